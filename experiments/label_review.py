"""Does the training corpus apply the codebook as the real development set does? A blind review of training
labels, and the shipped settings trained on the labels before and after it.

    python experiments/label_review.py            # two model fits at a time: --jobs 1 for one

The review (labels/review/r1.csv, see labels/review/README.md) relabelled, blind and by judgment, the training
sentences nearest the development set's sentences (TF-IDF cosine): the neighbours of every sentence the shipped
model got wrong on stance, and of as many it got right; each disagreement with the existing label was then
decided. This script reports how often the review agreed with the existing labels (Cohen's kappa, per
neighbourhood), then trains the shipped settings on the shipped model's labels with the reviewed sentences
labelled as before and as decided, and measures both on the development set and the seeds (trained without
them), with the paired bootstrap of the difference. The reviewed sentences were chosen from the development set's
errors, so its figure may flatter the review; the seeds were not used to choose them. Skips when the development
texts are absent. Writes experiments/results/label_review.md (four model fits of about 6.5 minutes each).
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score

from stance.annotation.labels import LabelError
from stance.model import load_model
from stance.paths import LABELS
from stance.schema import FRAMES, STANCES, TASKS
from stance.training import trained_on
from batches import held_out_pairs
from dev_set import dev_set_or_skip
from tables import delta_rows, training_row, write_markdown

REVIEW = LABELS / "review" / "r1.csv"
KNOWN = {"stance": set(STANCES), "frame": set(FRAMES)}


def read_review(path=REVIEW) -> pd.DataFrame:
    """The review's rows, each label checked: the label before, the reviewer's and the one decided, per task."""
    review = pd.read_csv(path, dtype={"article": str}, keep_default_na=False)
    for task, known in KNOWN.items():
        for column in (f"before_{task}", f"review_{task}", task):
            unknown = sorted(set(review[column]) - known)
            if unknown:
                raise LabelError(f"{path}: unknown {column} {unknown[0]!r}")
    return review


def relabelled(gold: pd.DataFrame, review: pd.DataFrame, prefix: str = "") -> pd.DataFrame:
    """``gold`` with each reviewed sentence's labels taken from the review's ``<prefix><task>`` columns
    (``before_`` for the labels before the review, ``""`` for the decided ones)."""
    keys = pd.MultiIndex.from_frame(gold[["article", "sentence"]].astype({"sentence": int}))
    labels = review.set_index(["article", "sentence"])
    found = keys.isin(labels.index)
    missing = len(labels) - int(found.sum())
    if missing:
        raise LabelError(f"{missing} reviewed sentences are not in the training labels")
    out = gold.copy()
    for task in TASKS:
        out.loc[found, task] = labels.loc[keys[found], f"{prefix}{task}"].to_numpy()
    return out


def agreement_rows(review: pd.DataFrame) -> list[str]:
    """Per neighbourhood and task: sentences, the reviewer's kappa and raw agreement with the labels before, and
    how many labels the decisions changed."""
    rows = []
    for near, part in [("all", review), *review.groupby("near")]:
        cells = []
        for task in TASKS:
            before, seen = part[f"before_{task}"], part[f"review_{task}"]
            changed = int((part[task] != before).sum())
            cells.append(f"{cohen_kappa_score(before, seen):.3f} | {(before == seen).mean():.3f} | {changed}")
        rows.append(f"| {near} | {len(part)} | " + " | ".join(cells) + " |")
    return rows


def main(jobs: int) -> None:
    dev = dev_set_or_skip().gold
    model = load_model()
    gold, review = trained_on(model, LABELS), read_review()
    trainings = {"labels before the review": relabelled(gold, review, "before_"),
                 "labels as reviewed": relabelled(gold, review)}
    seeds = gold[gold["provenance"] == "seed"].reset_index(drop=True)
    pooled = pd.concat([dev, seeds], ignore_index=True)
    labelled = held_out_pairs(trainings.values(), model.settings, dev, seeds, jobs)
    lines = ["# A blind review of training labels", "", "`python experiments/label_review.py`; the review: "
             "labels/review/r1.csv. Agreement of the blind review with the labels before it (Cohen's kappa, raw "
             "agreement) and the labels the decisions changed, by the development-set sentences whose neighbours "
             "were reviewed (`error`: the shipped model's stance errors; `correct`: as many it got right):", "",
             "| neighbours of | sentences | stance kappa | stance agreement | stance changed | frame kappa | "
             "frame agreement | frame changed |", "|---" * 8 + "|", *agreement_rows(review), "",
             "The shipped settings trained on the shipped model's labels with the reviewed sentences labelled as "
             "before and as decided (one BLAS thread per fit; seeds: trained without them):", "",
             "| training | dev stance | dev frame | seeds stance | seeds frame | dev per class |", "|---" * 6 + "|"]
    predicted = []
    for name, (on_dev, on_seeds) in zip(trainings, labelled):
        predicted.append({task: np.concatenate([on_dev[task], on_seeds[task]]) for task in TASKS})
        lines.append(training_row([name], dev, seeds, on_dev, on_seeds))
        print(lines[-1], flush=True)
    lines += ["", "| Δ | task | dev | seeds | dev and seeds pooled |", "|---" * 5 + "|",
              *delta_rows("as reviewed − before", pooled, len(dev), predicted[0], predicted[1])]
    write_markdown("label_review.md", lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2, choices=range(1, 9), metavar="N",
                        help="fit N models at a time, one process each (1 to 8; default 2)")
    main(parser.parse_args().jobs)
