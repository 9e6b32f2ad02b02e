"""Would more training articles still pay? Macro-F1 on real text against training-set size.

    python experiments/learning_curve.py

Trains the shipped settings' first pass (the linear classifiers and the neutral weight; no second
pass, which would multiply the run time by six) on growing random subsets of the shipped model's
training articles without the seeds (three draws per size, whole articles at a time), and tests
each on the real development set and on the five seed articles. Fits the mean development stance
F1 against the logarithm of the training size, to say what a doubling of the data buys. Skips when
the development texts are absent. Writes experiments/results/learning_curve.csv, .md and .png.
"""


import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from stance.evaluate import macro_f1, model_proba, predicted_labels, provenance_split
from stance.features import model_input
from stance.model import fit_model, load_model
from stance.model.settings import input_options
from stance.paths import LABELS, RESULTS
from stance.schema import TASKS
from stance.training import trained_on
from dev_set import dev_set_or_skip
from tables import write_markdown

FRACTIONS = (0.1, 0.2, 0.35, 0.5, 0.75, 1.0)
DRAWS = 3
TESTS = ("dev", "seeds")


def doubling_gain(means: pd.DataFrame, column: str) -> float:
    """Least-squares slope of ``column`` against log2(sentences): the F1 one doubling of the data buys."""
    return float(np.polyfit(np.log2(means["sentences"]), means[column], 1)[0])


FIGURES = [f"{test}_{task}" for test in TESTS for task in TASKS]


def by_size(table: pd.DataFrame) -> pd.DataFrame:
    """Per fraction: the mean articles and sentences, and each figure's mean and sd (``<figure>_sd``) over draws."""
    return table.groupby("fraction").agg(articles=("articles", "mean"), sentences=("sentences", "mean"),
                                         **{c: (c, "mean") for c in FIGURES},
                                         **{f"{c}_sd": (c, "std") for c in FIGURES}).reset_index()


def report(table: pd.DataFrame, shipped_dev_stance: float) -> list[str]:
    """The markdown summary's lines: mean (sd) per size, and what a doubling buys on the development set."""
    columns, means = FIGURES, by_size(table)
    lines = ["# Learning curve on real text", "",
             "`python experiments/learning_curve.py`; the shipped settings' first pass (no second pass) trained on "
             f"random subsets of the shipped model's training articles without the seeds ({DRAWS} draws per size, "
             "one at the full size), tested on the real development set and the seeds; macro-F1, mean (sd over draws).",
             "", "| fraction | articles | sentences | " + " | ".join(c.replace("_", " ") for c in columns) + " |",
             "|---" * (3 + len(columns)) + "|"]
    for _, row in means.iterrows():
        cells = [f"{row[c]:.3f}" + (f" ({row[c + '_sd']:.3f})" if pd.notna(row[c + "_sd"]) else "") for c in columns]
        lines.append(f"| {row['fraction']:g} | {row['articles']:.0f} | {row['sentences']:.0f} | " + " | ".join(cells) + " |")
    gain = doubling_gain(means, "dev_stance")
    last_two = means.tail(2)
    last = float(last_two["dev_stance"].diff().iloc[-1])
    needed = 0.70 - shipped_dev_stance
    lines += ["", f"- Development stance, least-squares slope against log2(sentences): {gain:+.3f} per doubling of the "
              f"training data (frame {doubling_gain(means, 'dev_frame'):+.3f}; on the seeds, stance "
              f"{doubling_gain(means, 'seeds_stance'):+.3f}, frame {doubling_gain(means, 'seeds_frame'):+.3f}); "
              f"the last step ({last_two['fraction'].iloc[0]:g} → {last_two['fraction'].iloc[1]:g}) moved it {last:+.3f}."]
    if needed > 0:
        verdict = (f"about {2 ** (needed / gain):.1f} times the data at that rate, if the second pass's gain held"
                   if gain > 0 else "no amount of such data at that rate")
        lines.append(f"- The shipped model (with its second pass) is at {shipped_dev_stance:.3f} on the development set; "
                     f"+{needed:.3f} to reach 0.70 would take {verdict}.")
    return lines


def plot(table: pd.DataFrame) -> None:
    """Mean and sd per size, one line per test set and task."""
    figure, ax = plt.subplots(figsize=(6.5, 4))
    means = by_size(table)
    for column in FIGURES:
        ax.errorbar(means["sentences"], means[column], yerr=means[f"{column}_sd"].fillna(0), marker="o", capsize=3,
                    linestyle="-" if column.startswith("dev") else "--", label=column.replace("_", " "))
    ax.set(xscale="log", xlabel="training sentences (log scale)", ylabel="macro-F1",
           title="First pass trained on subsets, tested on real text", ylim=(0.3, 0.9))
    ax.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(RESULTS / "learning_curve.png", dpi=120)


def main() -> None:
    dev = dev_set_or_skip().gold
    shipped = load_model()
    settings = shipped.settings
    pool, seeds = provenance_split(trained_on(shipped, LABELS), "seed")
    X = model_input(pool["text"].tolist(), pool["article"].tolist(), **input_options(settings))
    tests = {"dev": dev, "seeds": seeds}
    articles = sorted(pool["article"].unique())
    rng = np.random.default_rng(0)
    rows = []
    for fraction in FRACTIONS:
        for draw in range(1 if fraction == 1.0 else DRAWS):
            chosen = rng.choice(articles, size=max(2, round(fraction * len(articles))), replace=False)
            train = pool["article"].isin(chosen).to_numpy()
            model = fit_model(X[train], {t: pool.loc[train, t] for t in TASKS}, settings)
            row = {"fraction": fraction, "draw": draw, "articles": len(chosen), "sentences": int(train.sum())}
            for test, gold in tests.items():
                predicted = predicted_labels(model_proba(model, gold))
                row.update({f"{test}_{task}": macro_f1(gold[task], predicted[task], labels)
                            for task, labels in TASKS.items()})
            rows.append(row)
            print({k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()}, flush=True)
    table = pd.DataFrame(rows)
    RESULTS.mkdir(parents=True, exist_ok=True)
    table.to_csv(RESULTS / "learning_curve.csv", index=False)
    shipped_dev = macro_f1(dev["stance"], predicted_labels(model_proba(shipped, dev))["stance"], TASKS["stance"])
    write_markdown("learning_curve.md", report(table, shipped_dev))
    plot(table)


if __name__ == "__main__":
    main()
