"""Grouped cross-validation (folds by article) and held-out evaluation, with per-label metrics."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from stance.model.settings import Settings, input_options
from stance.prior_shift import shift_neutral
from stance.quantify import CORRECTING
from stance.schema import TASKS

if TYPE_CHECKING:
    import pandas as pd

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


def label_indices(gold) -> dict[str, np.ndarray]:
    """Per task, each gold row's label as its index in the schema's label order."""
    return {task: np.array([labels.index(value) for value in gold[task]]) for task, labels in TASKS.items()}


def first_pass_proba(X, gold, splits, settings: Settings | None) -> dict[str, np.ndarray]:
    """First-pass probabilities of each split's held rows from a model fitted on its other rows (others: 0)."""
    from stance.model import fit_model

    proba = {task: np.zeros((len(gold), len(labels))) for task, labels in TASKS.items()}
    for train, held in splits:
        model = fit_model(X.iloc[train], {t: gold[t].iloc[train] for t in TASKS}, settings)
        for task, values in model.predict_proba(X.iloc[held]).items():
            proba[task][held] = values
    return proba


def article_splits(articles, folds: int):
    """(train, held) row indices of a GroupKFold over articles (or any other groups); fewer folds than groups."""
    from sklearn.model_selection import GroupKFold

    folds = min(folds, len(set(articles)))
    return list(GroupKFold(n_splits=folds).split(np.zeros(len(articles)), groups=articles))


def cross_fitted_second_pass(proba: dict, gold, splits) -> dict[str, np.ndarray]:
    """Second-pass probabilities of each split's held rows, the pass fitted on the other rows' first-pass ones."""
    from stance.collective import fit_collective

    truth, articles, texts = label_indices(gold), gold["article"].tolist(), gold["text"].tolist()
    out = {task: values.copy() for task, values in proba.items()}
    for train, held in splits:
        second = fit_collective({t: v[train] for t, v in proba.items()}, [articles[i] for i in train],
                                [texts[i] for i in train], {t: v[train] for t, v in truth.items()})
        for task, values in second.apply({t: v[held] for t, v in proba.items()}, [articles[i] for i in held],
                                         [texts[i] for i in held]).items():
            out[task][held] = values
    return out


def passes_out_of_fold(X, gold, splits, settings: Settings) -> tuple[dict, dict]:
    """(first-pass, final) out-of-fold probabilities: each split's held rows read by passes fitted on the
    other rows, the second pass (if asked) on the first's, then shifted toward real coverage's stance mix."""
    first = first_pass_proba(X, gold, splits, settings)
    final = cross_fitted_second_pass(first, gold, splits) if settings.collective else first
    return first, shift_neutral(final, settings.neutral_weight)


def provenance_split(gold, provenance: str):
    """(the gold rows of every other provenance, the rows of ``provenance``), each indexed from 0."""
    held = (gold["provenance"] == provenance).to_numpy()
    return gold[~held].reset_index(drop=True), gold[held].reset_index(drop=True)


def out_of_fold_proba(gold, settings: Settings | None = None, folds: int = DEFAULT_FOLDS, holdout: str | None = None,
                      groups=None):
    """Out-of-article probabilities for every evaluated gold row: ({task: array}, row mask).

    Without ``holdout``, articles (or the given ``groups``, one value per row, such as writers) are
    split into ``folds`` and each fold is predicted by a model trained on the others; a second pass
    is cross-fitted on those first-pass probabilities. With ``holdout`` (a provenance such as
    ``seed``), a model trained on every other provenance predicts the held-out rows.
    """
    from stance.features import model_input

    settings = settings or Settings()
    if holdout:
        test = (gold["provenance"] == holdout).to_numpy()
        if not test.any():
            return {task: np.zeros((0, len(labels))) for task, labels in TASKS.items()}, test
        train, held = provenance_split(gold, holdout)
        return model_proba(fit_labels(train, settings), held), test
    X = model_input(gold["text"].tolist(), gold["article"].tolist(), **input_options(settings))
    _, proba = passes_out_of_fold(X, gold, article_splits(gold["article"] if groups is None else groups, folds),
                                  settings)
    return proba, np.ones(len(gold), dtype=bool)


def model_proba(model, gold) -> dict[str, np.ndarray]:
    """A fitted model's probabilities for gold sentences (rows in article order)."""
    texts, articles = gold["text"].tolist(), gold["article"].tolist()
    return model.read_in_context(model.predict_proba(model.input_for(texts, articles)), articles, texts)


def fit_labels(gold, settings: Settings | None = None, folds: int = DEFAULT_FOLDS):
    """The full model on gold labels: first pass, the second pass if asked, and the quantifier's error rates."""
    from stance.collective import fit_collective
    from stance.features import model_input
    from stance.model import fit_model
    from stance.quantify import estimate_error_rates

    settings = settings or Settings()
    X = model_input(gold["text"].tolist(), gold["article"].tolist(), **input_options(settings))
    model = fit_model(X, {task: gold[task] for task in TASKS}, settings)
    if not settings.collective and settings.quantifier not in CORRECTING:
        return model
    first, proba = passes_out_of_fold(X, gold, article_splits(gold["article"], folds), settings)
    truth = label_indices(gold)
    if settings.collective:
        model.second_pass = fit_collective(first, gold["article"].tolist(), gold["text"].tolist(), truth)
    rows = gold["provenance"].isin(settings.error_rates_from).to_numpy() if settings.error_rates_from \
        else np.ones(len(gold), dtype=bool)
    model.rates = estimate_error_rates({t: v[rows] for t, v in truth.items()}, {t: v[rows] for t, v in proba.items()},
                                       gold["article"].to_numpy()[rows], settings.quantifier)
    return model


def evaluate(labels_dir: Path, settings: Settings | None = None, folds: int = DEFAULT_FOLDS,
             holdout: str | None = None, exclude: Sequence[str] = ()) -> dict:
    """Evaluate a model configuration on the gold labels of ``labels_dir`` (without the articles whose
    ids start with a prefix in ``exclude``); returns a dict."""
    from stance.annotation.labels import training_gold

    return evaluate_gold(training_gold(labels_dir, exclude), settings, folds, holdout, where=str(labels_dir))


def evaluate_gold(gold, settings: Settings | None = None, folds: int = DEFAULT_FOLDS, holdout: str | None = None,
                  where: str = "gold labels") -> dict:
    """Evaluate a model configuration on gold labels already loaded; returns a dict."""
    from stance.annotation.labels import LabelError

    proba, test = out_of_fold_proba(gold, settings, folds, holdout)
    if not test.any():
        raise LabelError(f"{where}: no gold sentences with provenance {holdout!r} to hold out")
    truth = gold[test]
    predicted = predicted_labels(proba)
    return {
        "protocol": f"trained without {holdout}, tested on {holdout}" if holdout
        else f"grouped {folds}-fold cross-validation, folds by article",
        "sentences": int(test.sum()),
        "articles": int(truth["article"].nunique()),
        "tasks": {task: task_metrics(truth[task], predicted[task], labels) for task, labels in TASKS.items()},
    }


def predicted_labels(proba: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Per task, the most likely label of each row."""
    return {task: np.asarray(labels)[proba[task].argmax(axis=1)] for task, labels in TASKS.items()}


def macro_f1(truth, predicted, labels) -> float:
    """Macro-F1 over the labels present in ``truth``: task_metrics' figure, from the confusion counts."""
    return _coded_macro_f1(label_codes(truth, labels), label_codes(predicted, labels), len(labels))


def label_codes(values, labels) -> np.ndarray:
    """Each value as its index in ``labels``; a value not among them as len(labels)."""
    lookup = {label: i for i, label in enumerate(labels)}
    return np.array([lookup.get(value, len(lookup)) for value in values], dtype=np.int64)


def _coded_macro_f1(truth: np.ndarray, predicted: np.ndarray, k: int) -> float:
    """Macro-F1 of label codes (k: the number of labels; code k is any other value), as scikit-learn
    computes it with ``labels`` given and ``zero_division=0``."""
    confusion = np.bincount(truth * (k + 1) + predicted, minlength=(k + 1) ** 2).reshape(k + 1, k + 1)
    hits, support, chosen = np.diag(confusion)[:k], confusion.sum(axis=1)[:k], confusion.sum(axis=0)[:k]
    f1 = np.divide(2 * hits, support + chosen, out=np.zeros(k), where=hits > 0)
    present = support > 0
    return float(f1[present].mean()) if present.any() else 0.0


def article_resamples(groups, draws: int = 1000, seed: int = 0):
    """Row indices of ``draws`` bootstrap samples that resample whole articles (``groups``, one per row)."""
    groups = np.asarray(groups)
    members = [np.flatnonzero(groups == name) for name in np.unique(groups)]
    rng = np.random.default_rng(seed)
    for _ in range(draws):
        yield np.concatenate([members[i] for i in rng.integers(0, len(members), len(members))])


def f1_interval(truth, predicted, labels, groups, draws: int = 1000, seed: int = 0) -> tuple[float, float, float]:
    """Macro-F1 and its 95% interval, resampling articles."""
    truth, predicted, k = label_codes(truth, labels), label_codes(predicted, labels), len(labels)
    values = [_coded_macro_f1(truth[rows], predicted[rows], k) for rows in article_resamples(groups, draws, seed)]
    low, high = np.percentile(values, [2.5, 97.5])
    return _coded_macro_f1(truth, predicted, k), float(low), float(high)


def paired_bootstrap(truth, first, second, labels, groups, draws: int = 1000, seed: int = 0) -> tuple[float, float, float]:
    """Macro-F1 of ``second`` minus ``first`` and its 95% interval, resampling articles (``groups``)."""
    (truth, first, second), k = (label_codes(values, labels) for values in (truth, first, second)), len(labels)
    differences = [_coded_macro_f1(truth[rows], second[rows], k) - _coded_macro_f1(truth[rows], first[rows], k)
                   for rows in article_resamples(groups, draws, seed)]
    low, high = np.percentile(differences, [2.5, 97.5])
    return _coded_macro_f1(truth, second, k) - _coded_macro_f1(truth, first, k), float(low), float(high)


def held_out_deltas(pooled, dev_rows: int, first: dict, second: dict) -> dict[str, dict[str, tuple[float, float, float]]]:
    """Per task, ``second``'s macro-F1 minus ``first``'s with its 95% paired interval on the development set (the
    first ``dev_rows`` rows of ``pooled``), on the seeds (the other rows) and on both pooled."""
    where = {"dev": slice(0, dev_rows), "seeds": slice(dev_rows, len(pooled)), "pooled": slice(0, len(pooled))}
    return {task: {name: paired_bootstrap(pooled[task].iloc[rows], first[task][rows], second[task][rows], labels,
                                          pooled["article"].iloc[rows]) for name, rows in where.items()}
            for task, labels in TASKS.items()}


def evaluation_rows(result: dict) -> pd.DataFrame:
    """An evaluation as one row per task and label (macro rows included), for json, jsonl, csv and parquet."""
    import pandas as pd

    rows = []
    for task, metrics in result["tasks"].items():
        for label, figures in metrics["per_label"].items():
            confusion = dict(zip(metrics["labels"], metrics["confusion"][metrics["labels"].index(label)]))
            rows.append({"task": task, "label": label, **figures, "predicted_as": confusion})
        rows.append({"task": task, "label": "macro", "f1": metrics["macro_f1"], "accuracy": metrics["accuracy"],
                     "support": result["sentences"]})
    return pd.DataFrame(rows)


def evaluation_text(result: dict) -> str:
    """An evaluation as a terminal report: per task, the per-label figures and the confusion matrix."""
    import pandas as pd

    parts = [f"{result['protocol']}: {result['sentences']} sentences, {result['articles']} articles\n"]
    for task, metrics in result["tasks"].items():
        table = pd.DataFrame(metrics["per_label"]).T
        confusion = pd.DataFrame(metrics["confusion"], index=metrics["labels"], columns=metrics["labels"])
        parts.append(f"\n{task}: macro-F1 {metrics['macro_f1']:.3f}, accuracy {metrics['accuracy']:.3f}\n")
        parts.append(table.to_string(float_format=lambda x: f"{x:.3f}") + "\n")
        parts.append("confusion (rows: gold, columns: predicted)\n" + confusion.to_string() + "\n")
    return "".join(parts)
