"""How far the shipped settings' probabilities can be trusted: reliability and expected calibration error.

    python experiments/calibration.py

Uses out-of-article probabilities (5-fold grouped cross-validation over the whole corpus, and the
seed holdout). For each task, sentences are binned by the probability of the predicted label;
each bin's mean confidence is set against its accuracy. ECE is the sentence-weighted mean gap.
Writes experiments/results/calibration.csv and calibration.png.
"""


import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from stance.evaluate import out_of_fold_proba
from stance.schema import TASKS
from stance.model import load_model
from stance.training import trained_on
from stance.paths import LABELS, RESULTS

BINS = 10


def reliability(proba: np.ndarray, truth: np.ndarray, labels) -> tuple[pd.DataFrame, float]:
    """Per-bin confidence, accuracy and count, and the expected calibration error."""
    confidence = proba.max(axis=1)
    correct = np.asarray(labels)[proba.argmax(axis=1)] == truth
    edges = np.linspace(0, 1, BINS + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, BINS - 1)
    rows = [{"bin_low": edges[b], "bin_high": edges[b + 1], "sentences": int((which == b).sum()),
             "confidence": float(confidence[which == b].mean()), "accuracy": float(correct[which == b].mean())}
            for b in range(BINS) if (which == b).any()]
    table = pd.DataFrame(rows)
    ece = float((table["sentences"] * (table["confidence"] - table["accuracy"]).abs()).sum() / len(truth))
    return table, ece


def main() -> None:
    gold = trained_on(load_model(), LABELS)  # the labels the shipped model was trained on
    rows = []
    figure, axes = plt.subplots(1, 2, figsize=(10, 4.5))
    for protocol, holdout in (("grouped", None), ("seeds", "seed")):
        proba, test = out_of_fold_proba(gold, holdout=holdout)
        for ax, (task, labels) in zip(axes, TASKS.items()):
            table, ece = reliability(proba[task], gold[task].to_numpy()[test], labels)
            rows.append(table.assign(protocol=protocol, task=task, ece=round(ece, 4)))
            ax.plot(table["confidence"], table["accuracy"], marker="o", label=f"{protocol} (ECE {ece:.3f})")
            print(f"{protocol} {task}: ECE {ece:.3f} over {test.sum()} sentences")
    for ax, task in zip(axes, TASKS):
        ax.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1, label="perfect calibration")
        ax.set(title=f"{task}: reliability", xlabel="mean probability of the predicted label",
               ylabel="share of correct predictions", xlim=(0, 1), ylim=(0, 1))
        ax.legend(loc="upper left", fontsize=8)
    figure.tight_layout()
    RESULTS.mkdir(parents=True, exist_ok=True)
    figure.savefig(RESULTS / "calibration.png", dpi=120)
    pd.concat(rows).to_csv(RESULTS / "calibration.csv", index=False)


if __name__ == "__main__":
    main()
