"""SentenceEmbeddings: the scikit-learn transformer for the optional embedding block."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from stance.encoder import WIDTH, embed


class SentenceEmbeddings(TransformerMixin, BaseEstimator):
    """Each row's text as a sentence embedding (stance.encoder): WIDTH dense columns.

    Takes a 2-D array of text columns (the cells of a row are read as one text). Learns nothing:
    fitting only records the input's shape, as scikit-learn's rules ask.
    """

    def fit(self, X, y=None):
        validate_data(self, X, dtype=None)
        return self

    def transform(self, X):
        check_is_fitted(self, "n_features_in_")
        X = validate_data(self, X, dtype=None, reset=False)
        return embed([" ".join(map(str, cells)) for cells in X])

    def get_feature_names_out(self, input_features=None):
        return np.array([f"dim{i}" for i in range(WIDTH)], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        return tags
