"""ActorCounts: the scikit-learn transformer for which side's actors a sentence names."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from stance.features import ACTOR_FEATURES, actor_counts


class ActorCounts(TransformerMixin, BaseEstimator):
    """Which side's actors a sentence names: Musk's side, OpenAI's side, both or neither.

    Takes a 2-D array of text columns (the cells of a row are read as one text) and returns four
    columns: log(1 + Musk-side mentions), log(1 + OpenAI-side mentions), both named, none named.
    """

    def fit(self, X, y=None):
        validate_data(self, X, dtype=None)
        return self

    def transform(self, X):
        check_is_fitted(self, "n_features_in_")
        X = validate_data(self, X, dtype=None, reset=False)
        return actor_counts([" ".join(map(str, cells)) for cells in X])

    def get_feature_names_out(self, input_features=None):
        return np.array(ACTOR_FEATURES, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        return tags
