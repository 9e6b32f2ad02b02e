"""Would real labelled sentences in training lift the development set? An analysis: no model it fits is kept.

    python experiments/real_in_training.py

The shipped model trains only on what the repository holds, and the development set's texts are not
held there. This measures what that rule costs. The development set's articles are cut into four
groups; each group is labelled by the shipped settings (second pass, neutral weight and all) trained
on the labels the shipped model was trained on plus the other three groups' sentences, these weighing
1 or 4 against a training sentence's 1 (domains.weighted_fitter: weights divided by their mean). The
four groups' labels are pooled and compared with the shipped model's on the same sentences: Δ with a
95% paired bootstrap over articles. Skips when the development texts are absent. Writes
experiments/results/real_in_training.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from joblib import Parallel, delayed

from stance.evaluate import article_splits, model_proba, paired_bootstrap, predicted_labels, task_metrics
from stance.model import Settings, load_model
from stance.paths import LABELS
from stance.schema import TASKS
from stance.training import trained_on
from dev_set import dev_set_or_skip
from domains import fitted_labels, weighted_fitter
from tables import class_f1, interval_text, write_markdown

GROUPS = 4
WEIGHTS = (1.0, 4.0)  # of each development sentence in training, against a training sentence's 1


def group_labels(gold, dev, settings: Settings, train_rows, test_rows, weight: float) -> dict:
    """The labels of the development rows ``test_rows`` from a model trained on ``gold`` and the rows ``train_rows``,
    each of these weighing ``weight``."""
    extra = dev.iloc[train_rows]
    return fitted_labels(weighted_fitter(frozenset(extra["article"]), weight), pd.concat([gold, extra], ignore_index=True),
                         settings, dev.iloc[test_rows].reset_index(drop=True))


def pooled(rows: int, parts: list[tuple[np.ndarray, dict]]) -> dict:
    """Per task, every row's label from the groups' (rows labelled, their labels)."""
    labels = {task: np.empty(rows, dtype=object) for task in TASKS}
    for test_rows, part in parts:
        for task in TASKS:
            labels[task][test_rows] = part[task]
    return labels


def row(name: str, dev, labels: dict, base: dict | None) -> str:
    """A Markdown row: macro-F1 per task, Δ against ``base`` with its interval, per-class F1."""
    metrics = {task: task_metrics(dev[task], labels[task], names) for task, names in TASKS.items()}
    cells = [name, *(f"{metrics[task]['macro_f1']:.3f}" for task in TASKS)]
    for task, names in TASKS.items():
        if base is None:
            cells.append("")
            continue
        cells.append(interval_text(paired_bootstrap(dev[task], base[task], labels[task], names, dev["article"])))
    return "| " + " | ".join([*cells, class_f1(metrics)]) + " |"


def main() -> None:
    dev = dev_set_or_skip().gold.reset_index(drop=True)
    shipped = load_model()
    gold = trained_on(shipped, LABELS)
    groups = article_splits(dev["article"], GROUPS)  # (rows to train on, rows to label); an article in one group
    fits = [(weight, train_rows, test_rows) for weight in WEIGHTS for train_rows, test_rows in groups]
    results = Parallel(n_jobs=2)(delayed(group_labels)(gold, dev, shipped.settings, train_rows, test_rows, weight)
                                 for weight, train_rows, test_rows in fits)
    base = predicted_labels(model_proba(shipped, dev))
    added = [len(train_rows) for train_rows, _ in groups]
    lines = ["# Real labelled sentences in training (an analysis; no model kept)", "",
             "`python experiments/real_in_training.py`; macro-F1 on the real development set. Each of its "
             f"{GROUPS} groups of articles is labelled by the shipped settings trained on the shipped model's labels "
             f"plus the other groups' sentences ({np.mean(added):.0f} on average) at the weight shown; Δ against "
             "the shipped model, 95% paired bootstrap over articles.", "",
             "| training | stance | frame | Δ stance | Δ frame | per class |", "|---" * 6 + "|",
             row("the shipped model (no real sentence)", dev, base, None)]
    parts: dict[float, list] = {weight: [] for weight in WEIGHTS}
    for (weight, _, test_rows), labels in zip(fits, results):
        parts[weight].append((test_rows, labels))
    for weight, weight_parts in parts.items():
        lines.append(row(f"+ the other groups' sentences, weight {weight:g}", dev, pooled(len(dev), weight_parts), base))
    write_markdown("real_in_training.md", lines)


if __name__ == "__main__":
    main()
