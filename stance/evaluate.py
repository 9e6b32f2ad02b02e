"""Grouped cross-validation (folds by article) and held-out evaluation, with per-label metrics."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from stance.schema import TASKS

DEFAULT_FOLDS = 5


def task_metrics(truth, predicted, labels) -> dict:
    """Per-label precision, recall, F1 and support, macro-F1, accuracy and the confusion matrix."""
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    labels = list(labels)
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=labels, zero_division=0)
    present = support > 0
    return {
        "labels": labels,
        "per_label": {label: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
                      for label, p, r, f, s in zip(labels, precision, recall, f1, support)},
        "macro_f1": float(f1[present].mean()) if present.any() else 0.0,
        "accuracy": float(np.mean(np.asarray(truth) == np.asarray(predicted))),
        "confusion": confusion_matrix(truth, predicted, labels=labels).tolist(),
    }


def out_of_fold_proba(gold, settings: dict | None = None, folds: int = DEFAULT_FOLDS, holdout: str | None = None,
                      groups=None):
    """Out-of-article probabilities for every evaluated gold row: ({task: array}, row mask).

    Without ``holdout``, articles (or the given ``groups``, one value per row, such as writers) are
    split into ``folds`` and each fold is predicted by a model trained on the others. With
    ``holdout`` (a provenance such as ``seed``), a model trained on every other provenance predicts
    the held-out rows.
    """
    from sklearn.model_selection import GroupKFold

    from stance.features import model_input
    from stance.model import DEFAULT_SETTINGS, fit_model

    lemmas = {**DEFAULT_SETTINGS, **(settings or {})}["lemmas"]
    X = model_input(gold["text"].tolist(), gold["article"].tolist(), lemmas=lemmas)
    if holdout:
        test = (gold["provenance"] == holdout).to_numpy()
        splits = [(np.flatnonzero(~test), np.flatnonzero(test))] if test.any() else []
    else:
        test = np.ones(len(gold), dtype=bool)
        splits = GroupKFold(n_splits=folds).split(X, groups=gold["article"] if groups is None else groups)
    proba = {task: np.zeros((len(gold), len(labels))) for task, labels in TASKS.items()}
    for train, held in splits:
        model = fit_model(X.iloc[train], {t: gold[t].iloc[train] for t in TASKS}, settings)
        for task, values in model.predict_proba(X.iloc[held]).items():
            proba[task][held] = values
    return {task: values[test] for task, values in proba.items()}, test


def evaluate(labels_dir: Path, settings: dict | None = None, folds: int = DEFAULT_FOLDS,
             holdout: str | None = None) -> dict:
    """Evaluate a model configuration on the gold labels of ``labels_dir``; returns a dict."""
    from stance.labels import load_gold

    return evaluate_gold(load_gold(labels_dir), settings, folds, holdout, where=str(labels_dir))


def evaluate_gold(gold, settings: dict | None = None, folds: int = DEFAULT_FOLDS, holdout: str | None = None,
                  where: str = "gold labels") -> dict:
    """Evaluate a model configuration on gold labels already loaded; returns a dict."""
    from stance.labels import LabelError

    proba, test = out_of_fold_proba(gold, settings, folds, holdout)
    if not test.any():
        raise LabelError(f"{where}: no gold sentences with provenance {holdout!r} to hold out")
    truth = gold[test]
    predicted = {task: np.asarray(labels)[proba[task].argmax(axis=1)] for task, labels in TASKS.items()}
    return {
        "protocol": f"trained without {holdout}, tested on {holdout}" if holdout
        else f"grouped {folds}-fold cross-validation, folds by article",
        "sentences": int(test.sum()),
        "articles": int(truth["article"].nunique()),
        "tasks": {task: task_metrics(truth[task], predicted[task], labels) for task, labels in TASKS.items()},
    }
