"""Label shares of an article or a group, corrected for the classifier's known errors, with intervals.

A classifier that confuses labels biases every share it counts: averaging probabilities pulls a
strongly partisan article towards the middle. Adjusted classify-and-count fixes that by solving
``observed = M · true`` for the true shares, where ``M[j, i]`` is how often (hard, ``acc``) or how
strongly (probabilistic, ``pacc``) a sentence of label ``i`` is read as ``j``, estimated out of fold
when the model is trained. ``cc`` (hard counts) and ``pcc`` (mean probabilities) take ``M`` as the
identity. ``pcc_pacc`` reports the mean probabilities (the smallest error per article on real
coverage, though shrunk towards the middle) with an interval drawn from both the plain and the
corrected estimates, so it also spans where the correction would put the shares.

Intervals combine both sources of doubt: each bootstrap draw resamples the sentences (or, for a
group, the articles) and takes one bootstrap draw of ``M`` (the out-of-fold rows resampled by
article), so a share's interval widens where the classifier's error rates are uncertain.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from stance.schema import TASKS

METHODS = ("cc", "pcc", "acc", "pacc", "pcc_pacc")
CORRECTING = ("acc", "pacc", "pcc_pacc")  # the methods that need error rates
DEFAULT_DRAWS = 400
INTERVAL = 0.90


@dataclass
class ErrorRates:
    """Per task, draws of the misclassification matrix (draw 0 is the point estimate) and the method."""

    method: str
    matrices: dict[str, np.ndarray]  # task -> (draws + 1, k, k); [b, j, i] = reading of label i as j

    @property
    def draws(self) -> int:
        return len(next(iter(self.matrices.values()))) - 1

    @functools.cached_property
    def inverses(self) -> dict[str, np.ndarray]:
        """Per task, the pseudo-inverse of every draw's matrix (computed once per model)."""
        return {task: np.linalg.pinv(matrices) for task, matrices in self.matrices.items()}

    @classmethod
    def identity(cls, method: str = "pcc", draws: int = DEFAULT_DRAWS) -> ErrorRates:
        """No correction: the shares are the observed ones."""
        return cls(method, {task: np.broadcast_to(np.eye(len(labels)), (draws + 1, len(labels), len(labels)))
                            for task, labels in TASKS.items()})


def is_soft(method: str) -> bool:
    """Whether a method reads probabilities (pcc, pacc, pcc_pacc) rather than hard labels (cc, acc)."""
    return method in ("pcc", "pacc", "pcc_pacc")


def readings(proba: np.ndarray, method: str) -> np.ndarray:
    """What the method counts per sentence: the probabilities, or a one-hot of the most likely label."""
    if is_soft(method):
        return np.asarray(proba, dtype=float)
    return np.eye(proba.shape[1])[np.asarray(proba).argmax(axis=1)]


def misclassification(truth: np.ndarray, read: np.ndarray, k: int) -> np.ndarray:
    """``M[j, i]``: the mean reading of label ``j`` over sentences whose true label is ``i``.

    A label with no example keeps the identity column (nothing known, nothing corrected).
    """
    matrix = np.eye(k)
    for i in range(k):
        rows = truth == i
        if rows.any():
            matrix[:, i] = read[rows].mean(axis=0)
    return matrix


def estimate_error_rates(truth: dict[str, np.ndarray], proba: dict[str, np.ndarray], groups: np.ndarray,
                         method: str, draws: int = DEFAULT_DRAWS, seed: int = 0) -> ErrorRates:
    """Misclassification matrices from out-of-fold predictions, bootstrapped by article (``groups``).

    ``truth[task]`` holds label indices, ``proba[task]`` the out-of-fold probabilities.
    """
    if method not in METHODS:
        raise ValueError(f"unknown quantification method {method!r}; choose from {', '.join(METHODS)}")
    if method not in CORRECTING:
        return ErrorRates.identity(method, draws)
    rng = np.random.default_rng(seed)
    names, index = np.unique(np.asarray(groups), return_inverse=True)
    members = [np.flatnonzero(index == g) for g in range(len(names))]
    picks = [np.arange(len(index))] + [
        np.concatenate([members[g] for g in rng.integers(0, len(members), len(members))]) for _ in range(draws)]
    matrices = {}
    for task, labels in TASKS.items():
        read = readings(proba[task], method)
        matrices[task] = np.stack([misclassification(truth[task][rows], read[rows], len(labels)) for rows in picks])
    return ErrorRates(method, matrices)


def project_simplex(values: np.ndarray) -> np.ndarray:
    """The Euclidean projection of each row of ``values`` onto the probability simplex."""
    values = np.atleast_2d(values)
    ordered = -np.sort(-values, axis=1)
    cumulative = np.cumsum(ordered, axis=1) - 1
    steps = np.arange(1, values.shape[1] + 1)
    support = (ordered - cumulative / steps > 0).sum(axis=1)
    theta = cumulative[np.arange(len(values)), support - 1] / support
    return np.maximum(values - theta[:, None], 0)


def correct(observed: np.ndarray, inverses: np.ndarray) -> np.ndarray:
    """True shares from observed ones, one row per draw: ``M⁺ · observed``, projected onto the simplex."""
    return project_simplex(np.einsum("bij,bj->bi", inverses, observed))


def resample_weights(n: int, draws: int, rng: np.random.Generator, sizes: np.ndarray | None = None) -> np.ndarray:
    """Bootstrap weights, one row per draw (row 0: the sample itself); rows sum to 1.

    With ``sizes`` (sentences per article), items are articles, weighted by their sentences.
    """
    picks = rng.integers(0, n, size=(draws, n)) + n * np.arange(draws)[:, None]  # n picks per draw, offset by row
    counts = np.vstack([np.ones(n), np.bincount(picks.ravel(), minlength=draws * n).reshape(draws, n)])
    if sizes is not None:
        counts = counts * sizes
    totals = counts.sum(axis=1, keepdims=True)
    return counts / np.where(totals == 0, 1, totals)


def share_draws(read: np.ndarray, inverses: np.ndarray, weights: np.ndarray, method: str) -> np.ndarray:
    """Share draws, row 0 the point estimate: plain ones (cc, pcc), corrected ones (acc, pacc), or for
    pcc_pacc the plain point and the plain and corrected draws pooled."""
    plain = weights @ read
    if method not in CORRECTING:
        return plain
    corrected = correct(plain, inverses)
    return np.vstack([plain, corrected[1:]]) if method == "pcc_pacc" else corrected


def summarise(draws: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Point estimate (draw 0) and the central INTERVAL of the other draws, per column."""
    tail = (1 - INTERVAL) / 2 * 100
    rest = draws[1:] if len(draws) > 1 else draws
    low, high = np.percentile(rest, [tail, 100 - tail], axis=0)
    return draws[0], np.minimum(low, draws[0]), np.maximum(high, draws[0])


def task_draws(proba: dict[str, np.ndarray], rates: ErrorRates, rng: np.random.Generator,
               sizes: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Per task, corrected share draws for one article (rows: sentences) or group (rows: articles).

    For a group, ``proba[task]`` holds each article's mean readings and ``sizes`` its sentence counts.
    """
    n = len(next(iter(proba.values())))
    weights = resample_weights(n, rates.draws, rng, sizes)
    read = {task: values if sizes is not None else readings(values, rates.method) for task, values in proba.items()}
    return {task: share_draws(read[task], rates.inverses[task], weights, rates.method) for task in TASKS}


def lean_draws(stance_draws: np.ndarray) -> np.ndarray:
    """Net lean per draw: share of pro_openai minus share of pro_musk."""
    labels = TASKS["stance"]
    return stance_draws[:, labels.index("pro_openai")] - stance_draws[:, labels.index("pro_musk")]
