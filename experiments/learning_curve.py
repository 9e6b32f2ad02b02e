"""Would more training articles still pay? Macro-F1 on the seeds against training-set size.

    python experiments/learning_curve.py

Trains the shipped settings on growing random subsets of the written articles (three draws per
size, whole articles at a time) and tests each on the five seed articles. Writes
experiments/results/learning_curve.csv and learning_curve.png.
"""


import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from stance.evaluate import task_metrics
from stance.features import model_input
from stance.model import Settings, fit_model, load_model
from stance.schema import TASKS
from stance.training import trained_on
from stance.paths import LABELS, RESULTS

FRACTIONS = (0.1, 0.2, 0.35, 0.5, 0.75, 1.0)
DRAWS = 3


def main() -> None:
    gold = trained_on(load_model(), LABELS)  # the labels the shipped model was trained on
    X = model_input(gold["text"].tolist(), gold["article"].tolist(), lemmas=Settings().lemmas)
    seeds = (gold["provenance"] == "seed").to_numpy()
    written = sorted(gold.loc[~seeds, "article"].unique())
    rng = np.random.default_rng(0)
    rows = []
    for fraction in FRACTIONS:
        for draw in range(1 if fraction == 1.0 else DRAWS):
            chosen = rng.choice(written, size=max(2, round(fraction * len(written))), replace=False)
            train = gold["article"].isin(chosen).to_numpy()
            model = fit_model(X[train], {t: gold.loc[train, t] for t in TASKS})
            proba = model.predict_proba(X[seeds])
            row = {"fraction": fraction, "draw": draw, "articles": len(chosen), "sentences": int(train.sum())}
            for task, labels in TASKS.items():
                predicted = np.asarray(labels)[proba[task].argmax(axis=1)]
                row[task] = task_metrics(gold.loc[seeds, task], predicted, labels)["macro_f1"]
            rows.append(row)
            print(row, flush=True)
    table = pd.DataFrame(rows)
    RESULTS.mkdir(parents=True, exist_ok=True)
    table.to_csv(RESULTS / "learning_curve.csv", index=False)
    means = table.groupby("fraction").agg(sentences=("sentences", "mean"), **{t: (t, "mean") for t in TASKS},
                                          **{f"{t}_sd": (t, "std") for t in TASKS})
    figure, ax = plt.subplots(figsize=(6, 4))
    for task in TASKS:
        ax.errorbar(means["sentences"], means[task], yerr=means[f"{task}_sd"].fillna(0), marker="o", capsize=3, label=task)
    ax.set(xlabel="training sentences (written articles)", ylabel="macro-F1 on the seeds",
           title="Learning curve: trained on written text, tested on the seeds", ylim=(0, 1))
    ax.legend()
    figure.tight_layout()
    figure.savefig(RESULTS / "learning_curve.png", dpi=120)
    print(means.to_string(float_format=lambda x: f"{x:.3f}"))


if __name__ == "__main__":
    main()
