"""The fitted model as scoring sees it: feature spaces and weights, applied with numpy alone.

Each task is a LinearTask: the feature blocks (stance.vectorize) and the weights of a multinomial
logistic regression, which predict exactly what the scikit-learn pipeline that learned them
would (stance.model.pipeline). Nothing here imports scikit-learn.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from stance.collective import CollectivePass
from stance.model.settings import Settings, input_options
from stance.prior_shift import shift_neutral
from stance.quantify import ErrorRates
from stance.schema import TASKS
from stance.vectorize import ActorBlock, Cells, EmbeddingBlock, FeatureSpace, TfidfBlock

FIXED_BLOCKS = {"actors": ActorBlock, "embeddings": EmbeddingBlock}  # blocks that learn nothing: no vocabulary, no idf


def numpy_block(spec: dict, vocabulary=None, idf=None):
    """One feature block ready to score (stance.vectorize), from its spec and what it learned."""
    if spec["analyzer"] in FIXED_BLOCKS:
        return FIXED_BLOCKS[spec["analyzer"]](spec["name"], spec["column"], spec["weight"], **spec.get("options", {}))
    return TfidfBlock(spec["name"], spec["column"], spec["analyzer"], spec["ngram_range"], list(vocabulary),
                      np.asarray(idf, dtype=float), spec["weight"])


@dataclass
class LinearTask:
    """One fitted classifier: a feature space, then softmax(features · coef + intercept)."""

    classes: list[str]
    space: FeatureSpace
    coef: np.ndarray
    intercept: np.ndarray

    def feature_names(self) -> list[str]:
        return self.space.feature_names()

    def proba_from(self, cells: Cells) -> np.ndarray:
        """Probabilities from the feature matrix of this task's space."""
        scores = cells.scores(self.coef) + self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def predict_proba(self, X) -> np.ndarray:
        return self.proba_from(self.space.transform(X))


@dataclass
class Model:
    """A fitted stance classifier and frame classifier, their settings, and the facts recorded about them."""

    tasks: dict[str, LinearTask]
    settings: Settings = field(default_factory=Settings)
    config: dict = field(default_factory=dict)
    second_pass: CollectivePass | None = None
    rates: ErrorRates = field(default_factory=ErrorRates.identity)

    def input_for(self, texts: list[str], articles: list[str]) -> dict[str, list[str]]:
        """The input columns this model reads, for sentences listed in article order."""
        from stance.features import sentence_inputs

        return sentence_inputs(texts, articles, **input_options(self.settings))

    def predict_proba(self, X) -> dict[str, np.ndarray]:
        """Probabilities per task, one column per label in the schema's order (shared features computed once)."""
        out, computed = {}, {}
        for task, labels in TASKS.items():
            linear = self.tasks[task]
            if id(linear.space) not in computed:
                computed[id(linear.space)] = linear.space.transform(X)
            proba = linear.proba_from(computed[id(linear.space)])
            ordered = np.zeros((len(proba), len(labels)))
            for column, label in enumerate(linear.classes):
                ordered[:, labels.index(label)] = proba[:, column]
            out[task] = ordered
        return out

    def read_in_context(self, proba: dict[str, np.ndarray], articles: list[str], texts: list[str]) -> dict[str, np.ndarray]:
        """The final probabilities of whole articles' sentences: the first pass's read again by the second pass,
        if the model has one, then shifted toward real coverage's stance mix (stance.prior_shift)."""
        if self.second_pass is not None:
            proba = self.second_pass.apply(proba, articles, texts)
        return shift_neutral(proba, self.settings.neutral_weight)


def share_features(tasks: dict[str, LinearTask]) -> dict[str, LinearTask]:
    """Give tasks with identical feature spaces one space, so scoring computes the features once."""
    first = next(iter(tasks.values()))
    for linear in tasks.values():
        if linear.space.same_as(first.space):
            linear.space = first.space
    return tasks
