"""Which features a model weighs most per label, and which terms pushed a sentence toward its label.

For the multinomial model the score of label k is a sum over features of value × weight[k]; a
term's contribution to the predicted label is its value times that label's weight minus the mean
weight over labels (what moves the label ahead of the others). The columns of a sentence
embedding mean nothing one by one: their contributions are summed into one term, and they are left
out of the top features.
"""

from __future__ import annotations

import numpy as np

from stance.schema import TASKS

DEFAULT_TERMS = 8  # terms shown per task
EMBEDDING = "embeddings__"  # the prefix of the embedding block's columns (stance.model.pipeline)
MEANING = "embeddings__(the sentence's meaning, all dimensions)"


def _embedding_columns(names: list[str]) -> np.ndarray:
    """Which columns of a feature space belong to the sentence embedding."""
    return np.array([name.startswith(EMBEDDING) for name in names], dtype=bool)


def _with_meaning(names: list[str], embedding: np.ndarray, columns: np.ndarray,
                  contributions: np.ndarray) -> tuple[list[str], np.ndarray]:
    """The terms and contributions of one sentence, the embedding columns (mask ``embedding``) summed into one term."""
    dense = embedding[columns]
    if not dense.any():
        return [names[j] for j in columns], contributions
    kept = ~dense
    return ([names[j] for j in columns[kept]] + [MEANING],
            np.append(contributions[kept], contributions[dense].sum()))


def _readable(name: str) -> str:
    """'words: mission', 'chars: «trah»', 'context: procès'."""
    block, _, feature = name.partition("__")
    return f"{block}: «{feature}»" if block == "chars" else f"{block}: {feature}"


def _relative(weights: np.ndarray) -> np.ndarray:
    """Weights relative to their mean over the labels."""
    return weights - weights.mean(axis=0, keepdims=True)


def top_features(model, n: int = 15):
    """The n features with the largest weight toward each label, for both tasks."""
    import pandas as pd

    rows = []
    for task in TASKS:
        linear = model.tasks[task]
        weights, names = _relative(linear.coef), linear.feature_names()
        weights[:, _embedding_columns(names)] = -np.inf
        for k, label in enumerate(linear.classes):
            for j in np.argsort(-weights[k])[:n]:
                rows.append({"task": task, "label": label, "feature": _readable(names[j]), "weight": float(weights[k, j])})
    return pd.DataFrame(rows)


def explain_sentence(model, text: str, n: int = DEFAULT_TERMS):
    """The terms that pushed one sentence toward its predicted label, per task."""
    import pandas as pd

    X = model.input_for([text], ["sentence"])
    proba = model.read_in_context(model.predict_proba(X), ["sentence"], [text])  # the label scoring gives it alone
    rows = []
    for task, labels in TASKS.items():
        linear = model.tasks[task]
        label = labels[int(proba[task][0].argmax())]
        values = linear.space.transform(X).toarray()[0]
        all_names = linear.feature_names()
        names, contributions = _with_meaning(all_names, _embedding_columns(all_names), np.arange(len(values)),
                                             values * _relative(linear.coef)[linear.classes.index(label)])
        for j in np.argsort(-contributions)[:n]:
            if contributions[j] > 0:
                rows.append({"task": task, "label": label, "probability": float(proba[task][0].max()),
                             "feature": _readable(names[j]), "contribution": float(contributions[j])})
    return pd.DataFrame(rows, columns=["task", "label", "probability", "feature", "contribution"])


def sentence_terms(model, texts: list[str], articles: list[str], labels: dict[str, list[str]], n: int = 4) -> list[dict]:
    """Per sentence and task, the ``n`` terms that pushed it most toward ``labels[task][i]`` (first pass).

    Works on the sparse cells, so a long article never becomes a dense matrix.
    """
    X = model.input_for(texts, articles)
    out: list[dict] = [{} for _ in texts]
    for task in TASKS:
        linear = model.tasks[task]
        cells, names, weights = linear.space.transform(X), linear.feature_names(), _relative(linear.coef)
        embedding = _embedding_columns(names)
        rows = [linear.classes.index(labels[task][i]) for i in range(len(texts))]
        contribution = cells.values * weights[np.asarray(rows)[cells.rows], cells.columns]
        order = np.argsort(cells.rows, kind="stable")  # each sentence's cells together, found by bisection
        bounds = np.searchsorted(cells.rows[order], np.arange(len(texts) + 1))
        for i in range(len(texts)):
            mine = order[bounds[i]:bounds[i + 1]]
            terms, pushes = _with_meaning(names, embedding, cells.columns[mine], contribution[mine])
            out[i][task] = [(_readable(terms[j]), float(pushes[j])) for j in np.argsort(-pushes)[:n] if pushes[j] > 0]
    return out
