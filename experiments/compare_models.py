"""Which model labels stance and frame best: every candidate on the same article folds.

    python experiments/compare_models.py

Two protocols, the same for every candidate:
- grouped: 5-fold cross-validation over the whole gold corpus, folds by article;
- seeds: trained on the written corpus only, tested on the five real seed articles (the headline).
Writes experiments/results/candidates.csv (one row per candidate, protocol and task) and
candidates.md (macro-F1 side by side).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
from sklearn.model_selection import GroupKFold

from candidates import candidates
from stance.evaluate import task_metrics
from stance.features import model_input
from stance.schema import TASKS
from stance.model import load_model
from stance.training import trained_on
from stance.paths import LABELS, RESULTS

FOLDS = 5


def protocols(gold):
    """(name, [(train rows, test rows)]) for both protocols."""
    grouped = list(GroupKFold(n_splits=FOLDS).split(gold, groups=gold["article"]))
    seed = (gold["provenance"] == "seed").to_numpy()
    return [("grouped", grouped), ("seeds", [(np.flatnonzero(~seed), np.flatnonzero(seed))])]


def out_of_fold(model, X, y, splits, labels):
    """Probabilities for every test row of the splits, from a model fitted on the other rows."""
    proba = np.full((len(X), len(labels)), np.nan)
    for train, test in splits:
        proba[test] = model.fit(X.iloc[train], y.iloc[train]).predict_proba(X.iloc[test], list(labels))
    return proba


def main() -> None:
    gold = trained_on(load_model(), LABELS)  # the labels the shipped model was trained on
    X = model_input(gold["text"].tolist(), gold["article"].tolist(), lemmas=True)
    rows = []
    for protocol, splits in protocols(gold):
        tested = np.unique(np.concatenate([test for _, test in splits]))
        for task, labels in TASKS.items():
            for name, model in candidates(task).items():
                start = time.perf_counter()
                proba = out_of_fold(model, X, gold[task], splits, labels)[tested]
                predicted = np.asarray(labels)[proba.argmax(axis=1)]
                metrics = task_metrics(gold[task].to_numpy()[tested], predicted, labels)
                rows.append({"candidate": name, "protocol": protocol, "task": task,
                             "macro_f1": round(metrics["macro_f1"], 4), "accuracy": round(metrics["accuracy"], 4),
                             "sentences": len(tested), "seconds": round(time.perf_counter() - start, 1)})
                print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    RESULTS.mkdir(parents=True, exist_ok=True)
    table.to_csv(RESULTS / "candidates.csv", index=False)
    wide = table.pivot_table(index="candidate", columns=["protocol", "task"], values="macro_f1", sort=False)
    wide.columns = [f"{protocol} {task}" for protocol, task in wide.columns]
    (RESULTS / "candidates.md").write_text(
        "Macro-F1 per candidate (grouped: 5-fold CV by article over the whole corpus; seeds: trained on "
        "the written corpus, tested on the five seeds). Command: `python experiments/compare_models.py`.\n\n"
        + wide.to_markdown(floatfmt=".3f") + "\n")
    print(wide.to_string(float_format=lambda x: f"{x:.3f}"))


if __name__ == "__main__":
    main()
