"""SentenceEmbeddings: the scikit-learn transformer for the optional embedding block."""

from __future__ import annotations

import numpy as np

from stance.encoder import WIDTH, embed
from stance.text_transformer import TextTransformer


class SentenceEmbeddings(TextTransformer):
    """Each text as a sentence embedding (stance.encoder): WIDTH dense columns."""

    def features_of(self, texts: list[str]) -> np.ndarray:
        return embed(texts)

    def get_feature_names_out(self, input_features=None):
        return np.array([f"dim{i}" for i in range(WIDTH)], dtype=object)
