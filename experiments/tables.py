"""Markdown rows and reports that several experiment scripts write alike."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from stance.evaluate import held_out_deltas, task_metrics
from stance.paths import RESULTS
from stance.schema import TASKS


def interval_text(delta: tuple[float, float, float]) -> str:
    """A difference and its 95% interval, ``+0.012 (-0.003 to +0.027)``."""
    return "{:+.3f} ({:+.3f} to {:+.3f})".format(*delta)


def delta_rows(name: str, pooled, dev_rows: int, first: dict, second: dict) -> list[str]:
    """One row per task: ``second``'s macro-F1 minus ``first``'s on the development set (the first ``dev_rows`` rows
    of ``pooled``), the seeds and both pooled, each with its 95% paired interval (stance.evaluate.held_out_deltas)."""
    return [f"| {name} | {task} | " + " | ".join(map(interval_text, cells.values())) + " |"
            for task, cells in held_out_deltas(pooled, dev_rows, first, second).items()]


def class_f1(metrics: dict) -> str:
    """Every class's F1 of both tasks, ``pro_musk 0.64; …``, from stance.evaluate.task_metrics results by task."""
    return "; ".join(f"{label} {metrics[task]['per_label'][label]['f1']:.2f}" for task, labels in TASKS.items()
                     for label in labels)


def training_row(cells: list, dev, seeds, on_dev: dict, on_seeds: dict, after: Sequence = ()) -> str:
    """A Markdown row for one training: ``cells`` (its name…), then macro-F1 on the development set and on the
    seeds per task, the ``after`` cells, and the development set's per-class F1, from each side's predicted labels."""
    on = {"dev": (dev, on_dev), "seeds": (seeds, on_seeds)}
    metrics = {side: {task: task_metrics(gold[task], predicted[task], labels) for task, labels in TASKS.items()}
               for side, (gold, predicted) in on.items()}
    figures = [f"{metrics[side][task]['macro_f1']:.3f}" for side in on for task in TASKS]
    return "| " + " | ".join([*map(str, cells), *figures, *map(str, after), class_f1(metrics["dev"])]) + " |"


def variant_tables(labels: dict, dev, seeds) -> list[str]:
    """Two Markdown tables for variants of the shipped model: each one's macro-F1 (training_row), then each one's Δ
    against ``labels["shipped"]`` (delta_rows); ``labels`` maps a variant to its predicted labels on ``"dev"`` and
    ``"seeds"``."""
    pooled = pd.concat([dev, seeds], ignore_index=True)
    rows = ["| variant | dev stance | dev frame | seeds stance | seeds frame | dev per class |", "|---" * 6 + "|"]
    deltas = ["| variant | task | Δ dev | Δ seeds | Δ dev and seeds pooled |", "|---" * 5 + "|"]
    both = {name: {task: np.concatenate([on["dev"][task], on["seeds"][task]]) for task in TASKS}
            for name, on in labels.items()}
    for name, on in labels.items():
        rows.append(training_row([name], dev, seeds, on["dev"], on["seeds"]))
        if name != "shipped":
            deltas += delta_rows(name, pooled, len(dev), both["shipped"], both[name])
    return rows + ["", *deltas]


def kappa_text(passes: dict) -> str:
    """``stance κ = … (raw agreement …), frame κ = …`` from stance.devset.pass_agreement's result."""
    return ", ".join(f"{task} κ = {m['kappa']:.3f} (raw agreement {m['agreement']:.3f})" for task, m in passes["tasks"].items())


def write_markdown(name: str, lines: list[str]) -> None:
    """Write ``lines`` as experiments/results/``name`` and print them."""
    report = "\n".join(lines)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / name).write_text(report + "\n", encoding="utf-8")
    print(report)
