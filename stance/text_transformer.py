"""TextTransformer: the base of the scikit-learn transformers that read text and learn nothing."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data


class TextTransformer(TransformerMixin, BaseEstimator):
    """Takes a 2-D array of text columns (the cells of a row are read as one text) and returns the
    features ``features_of`` computes from the texts. Fitting only records the input's shape, as
    scikit-learn's rules ask.
    """

    def features_of(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def fit(self, X, y=None):
        validate_data(self, X, dtype=None)
        return self

    def transform(self, X):
        check_is_fitted(self, "n_features_in_")
        X = validate_data(self, X, dtype=None, reset=False)
        return self.features_of([" ".join(map(str, cells)) for cells in X])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        return tags
