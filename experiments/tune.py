"""Tuning the winning feature set, chosen on text by writers the model never saw.

    python experiments/tune.py

The seeds are never used to choose. Each setting is scored on the written corpus by 6-fold
cross-validation grouped by writer (every article of a writer is held out together, so the score
is on a style the model did not train on), as the mean macro-F1 of both tasks; the seed holdout
is reported beside it for the record. Writes
experiments/results/tuning.csv.
"""

import itertools

import numpy as np
import pandas as pd

from stance.evaluate import out_of_fold_proba, task_metrics
from stance.annotation.labels import read_manifest
from stance.model import Settings, load_model
from stance.schema import TASKS
from stance.training import trained_on
from stance.paths import LABELS, RESULTS

GRID = {"context_weight": (0.0, 0.5, 1.0), "C": (1.0, 4.0)}


def macro_f1(gold, settings: dict, **protocol) -> dict:
    proba, test = out_of_fold_proba(gold, Settings.from_dict(settings), **protocol)
    return {task: round(task_metrics(gold[task].to_numpy()[test], np.asarray(labels)[proba[task].argmax(axis=1)],
                                     labels)["macro_f1"], 4) for task, labels in TASKS.items()}


def main() -> None:
    gold = trained_on(load_model(), LABELS)  # the labels the shipped model was trained on
    writers = {e["article"]: e["written_by"] for e in read_manifest(LABELS)}
    written = gold[gold["provenance"] == "written"].reset_index(drop=True)
    rows = []
    for values in itertools.product(*GRID.values()):
        settings = dict(zip(GRID, values))
        by_writer = macro_f1(written, settings, folds=6, groups=written["article"].map(writers))
        row = {**settings, **{f"writers_{t}": v for t, v in by_writer.items()},
               "writers_mean": round(float(np.mean(list(by_writer.values()))), 4)}
        row.update({f"seeds_{t}": v for t, v in macro_f1(gold, settings, holdout="seed").items()})
        rows.append(row)
        print(row, flush=True)
    table = pd.DataFrame(rows).sort_values("writers_mean", ascending=False)
    RESULTS.mkdir(parents=True, exist_ok=True)
    table.to_csv(RESULTS / "tuning.csv", index=False)
    print("chosen on held-out writers:", table.iloc[0].to_dict())


if __name__ == "__main__":
    main()
