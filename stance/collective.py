"""The second, collective pass: each sentence read again beside its neighbours and its article.

The first pass labels sentences one by one. The second is one small multinomial logistic regression
per task over what the first pass said of the sentence, of its neighbours, of the rest of its
article, and whether the sentence carries on a quotation opened before it (so the second half of a
quote keeps its speaker's side). It is fitted on out-of-fold first-pass probabilities and applied
with numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stance.schema import TASKS

ABSENT = -30.0  # the score of a label the second pass never saw
STANCE_CONTINUED = tuple(f"continued_{label}" for label in TASKS["stance"])
FEATURES = tuple(
    f"{where}_{task}_{label}" for where in ("self", "neighbours", "article")
    for task, labels in TASKS.items() for label in labels
) + ("continues_quote",) + STANCE_CONTINUED


def continues_quote(previous: str, current: str) -> bool:
    """Whether ``current`` carries on a quotation the previous sentence opened (or introduced with a colon)."""
    opened = previous.count("«") > previous.count("»") or previous.count("“") > previous.count("”")
    closes_here = ("»" in current and "«" not in current) or ("”" in current and "“" not in current)
    return opened or closes_here or previous.rstrip().endswith(":")


def article_slices(articles: list[str]) -> list[slice]:
    """The runs of consecutive sentences that belong to one article."""
    edges = [0] + [i for i in range(1, len(articles)) if articles[i] != articles[i - 1]] + [len(articles)]
    return [slice(a, b) for a, b in zip(edges, edges[1:])]


def stacked_features(proba: dict[str, np.ndarray], articles: list[str], texts: list[str]) -> np.ndarray:
    """One row per sentence, one column per FEATURES name, from first-pass probabilities."""
    own = np.hstack([proba[task] for task in TASKS])
    n, width = own.shape
    neighbours, article = np.zeros_like(own), np.zeros_like(own)
    continued = np.zeros((n, 1 + len(TASKS["stance"])))
    for part in article_slices(articles):
        rows = own[part]
        size = len(rows)
        total = rows.sum(axis=0)
        article[part] = (total - rows) / (size - 1) if size > 1 else rows
        padded = np.vstack([np.zeros(width), rows, np.zeros(width)])
        counts = np.minimum(np.arange(size), 1) + np.minimum(np.arange(size)[::-1], 1)
        neighbours[part] = (padded[:-2] + padded[2:]) / np.maximum(counts, 1)[:, None]
        for i in range(part.start + 1, part.stop):
            if continues_quote(texts[i - 1], texts[i]):
                continued[i, 0] = 1
                continued[i, 1:] = proba["stance"][i - 1]
    return np.hstack([own, neighbours, article, continued])


@dataclass
class CollectivePass:
    """Per task, the second pass's weights over FEATURES: softmax(features · coef.T + intercept)."""

    coef: dict[str, np.ndarray]       # task -> (labels, len(FEATURES))
    intercept: dict[str, np.ndarray]  # task -> (labels,)

    def apply(self, proba: dict[str, np.ndarray], articles: list[str], texts: list[str]) -> dict[str, np.ndarray]:
        """Second-pass probabilities (labels in the schema's order) from first-pass ones."""
        features = stacked_features(proba, articles, texts)
        out = {}
        for task in TASKS:
            # a row's products summed along that row alone: BLAS may round a row differently by batch size
            scores = (features[:, None, :] * self.coef[task][None, :, :]).sum(axis=2) + self.intercept[task]
            scores -= scores.max(axis=1, keepdims=True)
            exp = np.exp(scores)
            out[task] = exp / exp.sum(axis=1, keepdims=True)
        return out


def fit_collective(proba: dict[str, np.ndarray], articles: list[str], texts: list[str],
                   truth: dict[str, np.ndarray], C: float = 1.0) -> CollectivePass:
    """Fit the second pass on out-of-fold first-pass probabilities and gold label indices.

    A label absent from the training rows gets a score of ABSENT, so it is (almost) never predicted.
    """
    from stance.model.pipeline import logistic_regression

    features = stacked_features(proba, articles, texts)
    coef, intercept = {}, {}
    for task, labels in TASKS.items():
        present = np.unique(truth[task])
        weights, bias = np.zeros((len(labels), features.shape[1])), np.full(len(labels), ABSENT)
        if len(present) == 1:  # one label only: always that one
            bias[present[0]] = 0.0
        else:
            classifier = logistic_regression(C, "balanced").fit(features, truth[task])
            rows = classifier.coef_ if len(present) > 2 else np.vstack([-classifier.coef_[0], classifier.coef_[0]]) / 2
            shift = classifier.intercept_ if len(present) > 2 else np.array([-1, 1]) * classifier.intercept_[0] / 2
            weights[present], bias[present] = rows, shift
        coef[task], intercept[task] = weights, bias
    return CollectivePass(coef, intercept)
