"""ActorCounts: the scikit-learn transformer for which side's actors a sentence names."""

from __future__ import annotations

import numpy as np

from stance.features import ACTOR_FEATURES, actor_counts
from stance.text_transformer import TextTransformer


class ActorCounts(TextTransformer):
    """Which side's actors a sentence names: Musk's side, OpenAI's side, both or neither.

    Returns four columns per text: log(1 + Musk-side mentions), log(1 + OpenAI-side mentions), both
    named, none named.
    """

    def features_of(self, texts: list[str]) -> np.ndarray:
        return actor_counts(texts)

    def get_feature_names_out(self, input_features=None):
        return np.array(ACTOR_FEATURES, dtype=object)
