"""How far the shipped settings' probabilities can be trusted: reliability and expected calibration error.

    python experiments/calibration.py

Uses out-of-article probabilities (5-fold grouped cross-validation over the whole corpus, and the
seed holdout), then the shipped model's probabilities on real text, the development set: as they
are, and rescaled by one temperature per task fitted on the grouped cross-validation's
probabilities (the candidate calibration, chosen without real text). For each task, sentences are
binned by the probability of the predicted label; each bin's mean confidence is set against its
accuracy. ECE is the sentence-weighted mean gap. Without the development texts, their rows are left
out with one warning. Writes experiments/results/calibration.csv and calibration.png.
"""


import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy.optimize import minimize_scalar

from stance.devset import DevSetMissing, load_dev
from stance.evaluate import label_indices, model_proba, out_of_fold_proba
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


def with_temperature(proba: np.ndarray, temperature: float) -> np.ndarray:
    """Probabilities rescaled by a temperature: softmax(log p / T); T > 1 flattens, T < 1 sharpens."""
    logits = np.log(np.clip(proba, 1e-12, 1)) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    scaled = np.exp(logits)
    return scaled / scaled.sum(axis=1, keepdims=True)


def fitted_temperature(proba: np.ndarray, truth: np.ndarray) -> float:
    """The temperature that minimises the log-loss of ``proba`` against ``truth``, each row's label as its
    column index (stance.evaluate.label_indices); searched in 0.2–5."""
    rows = np.arange(len(truth))

    def log_loss(temperature: float) -> float:
        return float(-np.log(with_temperature(proba, temperature)[rows, truth] + 1e-12).mean())

    return float(minimize_scalar(log_loss, bounds=(0.2, 5.0), method="bounded").x)


def main() -> None:
    model = load_model()
    gold = trained_on(model, LABELS)  # the labels the shipped model was trained on
    sets = {}
    for protocol, holdout in (("grouped", None), ("seeds", "seed")):
        proba, test = out_of_fold_proba(gold, holdout=holdout)
        sets[protocol] = (proba, gold[test].reset_index(drop=True))
    try:
        dev = load_dev().gold
    except DevSetMissing as missing:
        print(f"Warning: {missing}; the development set's rows are left out", file=sys.stderr)
    else:
        grouped_proba, grouped_gold = sets["grouped"]
        truth = label_indices(grouped_gold)
        temperatures = {task: fitted_temperature(grouped_proba[task], truth[task]) for task in TASKS}
        print("temperatures fitted on grouped CV: " + ", ".join(f"{t} {v:.2f}" for t, v in temperatures.items()))
        dev_proba = model_proba(model, dev)
        sets["dev"] = (dev_proba, dev)
        sets["dev, temperature from grouped CV"] = (
            {task: with_temperature(dev_proba[task], temperatures[task]) for task in TASKS}, dev)
    rows = []
    figure, axes = plt.subplots(1, 2, figsize=(10, 4.5))
    for protocol, (proba, truth) in sets.items():
        for ax, (task, labels) in zip(axes, TASKS.items()):
            table, ece = reliability(proba[task], truth[task].to_numpy(), labels)
            rows.append(table.assign(protocol=protocol, task=task, ece=round(ece, 4)))
            ax.plot(table["confidence"], table["accuracy"], marker="o", label=f"{protocol} (ECE {ece:.3f})")
            print(f"{protocol} {task}: ECE {ece:.3f} over {len(truth)} sentences")
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
