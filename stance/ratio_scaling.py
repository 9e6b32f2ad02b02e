"""RatioScaling: the scikit-learn transformer that weighs each feature by how unevenly the classes use it."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data


class RatioScaling(TransformerMixin, BaseEstimator):
    """Multiplies each feature by ``(1 + max_c |r_c|) ** power``, where ``r_c`` is the feature's
    log-count ratio for class ``c`` (NB-SVM's, in its one-against-the-rest form): the log of how
    often the sentences of class ``c`` have the feature against how often the other sentences do,
    each smoothed by ``alpha``. A feature every class uses alike keeps its scale, 1; a feature one
    class owns weighs more, so the classifier's penalty holds it back less. ``power`` 0 changes
    nothing. A linear model on the scaled features is a linear model on the features themselves
    with its weights times ``scale_``, which is how a fitted model folds it in.
    """

    def __init__(self, power: float = 1.0, alpha: float = 1.0):
        self.power = power
        self.alpha = alpha

    def fit(self, X, y):
        if not (self.alpha > 0 and self.power >= 0):
            raise ValueError(f"alpha must be > 0 and power ≥ 0, not alpha={self.alpha!r}, power={self.power!r}")
        X, y = validate_data(self, X, y, accept_sparse="csr")
        check_classification_targets(y)
        present = (X != 0).astype(float)
        self.classes_ = np.unique(y)
        largest = np.zeros(X.shape[1])
        for label in self.classes_:
            inside = y == label
            ratio = (np.log(self._presence(present[inside]) / self._presence(present[~inside]))
                     if (~inside).any() else np.zeros(X.shape[1]))
            largest = np.maximum(largest, np.abs(ratio))
        self.scale_ = (1.0 + largest) ** self.power
        return self

    def _presence(self, present) -> np.ndarray:
        """The smoothed share of these rows that have each feature."""
        return (self.alpha + np.asarray(present.sum(axis=0)).ravel()) / (2 * self.alpha + present.shape[0])

    def transform(self, X):
        check_is_fitted(self, "scale_")
        X = validate_data(self, X, accept_sparse="csr", reset=False)
        return X @ sp.diags(self.scale_) if sp.issparse(X) else X * self.scale_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.input_tags.sparse = True
        return tags
