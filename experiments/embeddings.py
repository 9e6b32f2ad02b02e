"""Does the optional sentence-embedding block (stance.encoder) earn a second model?

    python experiments/embeddings.py [ENCODER:WEIGHT ...]

The shipped settings against the same settings plus the embedding block of each encoder at each
weight (stance.encoder.ENCODERS; default use:0.5 e5:0.5 e5:1), all trained on the repository's
labels only. Measured on the real development set (macro-F1 and per-class F1), on the seeds
(trained without them) and by grouped cross-validation, with each model's scoring speed on the
development texts; each difference to the shipped settings comes with a 95% paired bootstrap over
articles on the development set, the seeds and both pooled. Skips when the development texts are
absent. Writes experiments/results/embeddings.md.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from stance.annotation.labels import load_gold
from stance.devset import DevSetMissing, load_dev
from stance.encoder import ENCODERS, forget
from stance.evaluate import evaluate_gold, fit_labels, held_out_deltas, model_proba, predicted_labels, task_metrics
from stance.model import load_model
from stance.paths import LABELS, RESULTS
from stance.schema import TASKS

SHIPPED = "shipped settings"


def main(blocks: list[tuple[str, float]]) -> None:
    try:
        dev = load_dev().gold
    except DevSetMissing as missing:
        sys.exit(f"Skipped: {missing}")
    gold, shipped = load_gold(LABELS), load_model().settings
    unseeded, seeds = (gold[gold["provenance"] != "seed"].reset_index(drop=True),
                       gold[gold["provenance"] == "seed"].reset_index(drop=True))
    candidates = {SHIPPED: shipped, **{f"+ {encoder} embeddings (weight {w:g})": shipped.with_changes(
        embeddings=w, encoder=encoder) for encoder, w in blocks}}
    lines = ["# The sentence-embedding block", "", "`python experiments/embeddings.py`; macro-F1; Δ against the shipped "
             "settings with a 95% paired bootstrap over articles; speed: development sentences scored per second "
             "(features, both passes) after a warm-up, no embedding remembered from training.", "",
             "| candidate | dev stance | dev frame | seeds stance | seeds frame | grouped CV stance | grouped CV frame "
             "| sentences/s | dev per class |", "|---" * 9 + "|"]
    pooled = pd.concat([dev, seeds], ignore_index=True)  # every held-out real sentence: the development set, then the seeds
    predicted, deltas = {}, ["| candidate | task | Δ dev | Δ seeds | Δ dev and seeds pooled |", "|---" * 5 + "|"]
    for name, settings in candidates.items():
        model = fit_labels(gold, settings)
        model_proba(model, dev.head(20))
        forget()
        start = time.perf_counter()
        on_dev = predicted_labels(model_proba(model, dev))
        speed = len(dev) / (time.perf_counter() - start)
        on_seeds = predicted_labels(model_proba(fit_labels(unseeded, settings), seeds))
        predicted[name] = {task: np.concatenate([on_dev[task], on_seeds[task]]) for task in TASKS}
        grouped = evaluate_gold(gold, settings)["tasks"]
        metrics = {task: task_metrics(dev[task], on_dev[task], labels) for task, labels in TASKS.items()}
        seed_f1 = {task: task_metrics(seeds[task], on_seeds[task], labels)["macro_f1"] for task, labels in TASKS.items()}
        classes = "; ".join(f"{label} {metrics[task]['per_label'][label]['f1']:.2f}" for task, labels in TASKS.items()
                            for label in labels)
        lines.append(f"| {name} | {metrics['stance']['macro_f1']:.3f} | {metrics['frame']['macro_f1']:.3f} | "
                     f"{seed_f1['stance']:.3f} | {seed_f1['frame']:.3f} | {grouped['stance']['macro_f1']:.3f} | "
                     f"{grouped['frame']['macro_f1']:.3f} | {speed:,.0f} | {classes} |")
        if name != SHIPPED:
            for task, cells in held_out_deltas(pooled, len(dev), predicted[SHIPPED], predicted[name]).items():
                deltas.append(f"| {name} | {task} | " + " | ".join(
                    f"{delta:+.3f} ({low:+.3f} to {high:+.3f})" for delta, low, high in cells.values()) + " |")
        print(lines[-1], flush=True)
    lines += ["", *deltas]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "embeddings.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def block(argument: str) -> tuple[str, float]:
    """An ENCODER:WEIGHT argument as (encoder, weight); a bad one stops with one Error line."""
    encoder, _, text = argument.partition(":")
    try:
        weight = float(text)
    except ValueError:
        weight = 0.0
    if encoder in ENCODERS and 0 < weight < float("inf"):
        return encoder, weight
    sys.exit(f"Error: {argument!r}: expected ENCODER:WEIGHT, ENCODER one of {', '.join(ENCODERS)}, "
             "WEIGHT a finite number above 0")


if __name__ == "__main__":
    main([block(argument) for argument in sys.argv[1:]] or [("use", 0.5), ("e5", 0.5), ("e5", 1.0)])
