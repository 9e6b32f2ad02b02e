"""SentenceEmbeddings: the scikit-learn transformer for the optional embedding block."""

from __future__ import annotations

import numpy as np

from stance.encoder import DEFAULT, embed
from stance.text_transformer import TextTransformer
from stance.vectorize import embedding_features


class SentenceEmbeddings(TextTransformer):
    """Each text as a sentence embedding by the named encoder (stance.encoder): one dense column per dimension."""

    def __init__(self, encoder: str = DEFAULT):
        self.encoder = encoder

    def features_of(self, texts: list[str]) -> np.ndarray:
        return embed(texts, self.encoder)

    def get_feature_names_out(self, input_features=None):
        return np.array(embedding_features(self.encoder), dtype=object)
