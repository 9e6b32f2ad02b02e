"""Other second passes and stance decision rules, on one set of first-pass fits, against the shipped one.

    python experiments/second_pass.py

The shipped settings' first pass is fitted once: out of fold (5 folds by article) on the labels the
shipped model was trained on, and on all of them (the shipped model's own first pass) for the real
development set; the same without the seeds for the seeds. Every variant then fits only its second
pass on those out-of-fold probabilities (stance.collective's recipe: a balanced logistic regression
per task) and is measured on the development set, the seeds and by grouped CV (the second pass
cross-fitted over the same folds). The variants change what the second pass reads, its C, or the
stance decision rule (a class's probabilities times a factor, after the shipped neutral weight).
The shipped variant must give the shipped model's labels; the script says on how many development
sentences it does. Δ: against the shipped variant, 95% paired bootstrap over articles. Skips when
the development texts are absent. Writes experiments/results/second_pass.md.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from joblib import Parallel, delayed

from stance.collective import FEATURES, article_slices, stacked_features
from stance.evaluate import (DEFAULT_FOLDS, article_splits, first_pass_proba, label_indices, macro_f1,
                             model_proba, predicted_labels, provenance_split, task_metrics)
from stance.features import model_input
from stance.model import fit_model, load_model, logistic_regression
from stance.model.settings import input_options
from stance.paths import LABELS
from stance.prior_shift import shift_neutral
from stance.schema import TASKS
from stance.training import trained_on
from dev_set import dev_set_or_skip
from tables import delta_rows, write_markdown

Features = Callable[[dict, list, list], np.ndarray]
STANCES = TASKS["stance"]


def first_pass(train: pd.DataFrame, held: pd.DataFrame, settings, model=None) -> dict:
    """Out-of-fold first-pass probabilities of ``train`` and a first pass fitted on all of it (or ``model``) for ``held``."""
    X = model_input(train["text"].tolist(), train["article"].tolist(), **input_options(settings))
    splits = article_splits(train["article"], DEFAULT_FOLDS)
    oof = first_pass_proba(X, train, splits, settings)
    model = model or fit_model(X, {task: train[task] for task in TASKS}, settings)
    return {"train": train, "held": held, "splits": splits, "oof": oof,
            "first": model.predict_proba(model.input_for(held["text"].tolist(), held["article"].tolist()))}


def log_probabilities(proba: dict, articles: list, texts: list) -> np.ndarray:
    """The shipped features computed from log-probabilities (floored at 1e-4)."""
    return stacked_features({task: np.log(np.clip(v, 1e-4, 1)) for task, v in proba.items()}, articles, texts)


def previous_and_next(proba: dict, articles: list, texts: list) -> np.ndarray:
    """The shipped features, plus the previous and the next sentence's probabilities apart."""
    own = np.hstack([proba[task] for task in TASKS])
    before, after = np.zeros_like(own), np.zeros_like(own)
    for part in article_slices(articles):
        rows = own[part]
        before[part.start + 1:part.stop], after[part.start:part.stop - 1] = rows[:-1], rows[1:]
    return np.hstack([stacked_features(proba, articles, texts), before, after])


def article_peaks(proba: dict, articles: list, texts: list) -> np.ndarray:
    """The shipped features, plus the article's highest probability of each stance (its loudest voice)."""
    peaks = np.zeros_like(proba["stance"])
    for part in article_slices(articles):
        peaks[part] = proba["stance"][part].max(axis=0)
    return np.hstack([stacked_features(proba, articles, texts), peaks])


def position(proba: dict, articles: list, texts: list) -> np.ndarray:
    """The shipped features, plus whether the sentence opens its article and its relative place in it."""
    where = np.zeros((len(texts), 2))
    for part in article_slices(articles):
        size = part.stop - part.start
        where[part.start, 0] = 1
        where[part, 1] = np.arange(size) / max(size - 1, 1)
    return np.hstack([stacked_features(proba, articles, texts), where])


def self_times_article(proba: dict, articles: list, texts: list) -> np.ndarray:
    """The shipped features, plus each stance probability times each of the article's mean stance probabilities."""
    shipped = stacked_features(proba, articles, texts)
    article = shipped[:, [FEATURES.index(f"article_stance_{label}") for label in STANCES]]
    return np.hstack([shipped, (proba["stance"][:, :, None] * article[:, None, :]).reshape(len(texts), -1)])


LENGTH_BINS = (4, 8, 15, 25)  # word counts: up to 4, 5-8, 9-15, 16-25, and longer (the reference)


def length(proba: dict, articles: list, texts: list) -> np.ndarray:
    """The shipped features, plus the sentence's length in words (one indicator per LENGTH_BINS band) and whether
    it ends without a final mark (a heading or a cut fragment)."""
    words = np.array([len(text.split()) for text in texts])
    bands = np.digitize(words, np.array(LENGTH_BINS) + 0.5)
    indicators = (bands[:, None] == np.arange(len(LENGTH_BINS))[None, :]).astype(float)
    unfinished = np.array([not text.rstrip().endswith((".", "!", "?", "»", '"', "…", ")")) for text in texts], float)
    return np.hstack([stacked_features(proba, articles, texts), indicators, unfinished[:, None]])


# name -> (what the second pass reads, its C, stance factors in STANCES order after the neutral weight)
VARIANTS: dict[str, tuple[Features, float, tuple[float, float, float]]] = {
    "shipped": (stacked_features, 1.0, (1.0, 1.0, 1.0)),
    "second pass C 0.3": (stacked_features, 0.3, (1.0, 1.0, 1.0)),
    "second pass C 3": (stacked_features, 3.0, (1.0, 1.0, 1.0)),
    "log-probabilities": (log_probabilities, 1.0, (1.0, 1.0, 1.0)),
    "previous and next apart": (previous_and_next, 1.0, (1.0, 1.0, 1.0)),
    "article's peak stance": (article_peaks, 1.0, (1.0, 1.0, 1.0)),
    "position in the article": (position, 1.0, (1.0, 1.0, 1.0)),
    "own stance × article stance": (self_times_article, 1.0, (1.0, 1.0, 1.0)),
    "the sentence's length": (length, 1.0, (1.0, 1.0, 1.0)),
    "pro_musk × 0.9": (stacked_features, 1.0, (0.9, 1.0, 1.0)),
    "pro_musk × 1.1": (stacked_features, 1.0, (1.1, 1.0, 1.0)),
    "pro_openai × 0.9": (stacked_features, 1.0, (1.0, 0.9, 1.0)),
    "pro_openai × 1.1": (stacked_features, 1.0, (1.0, 1.1, 1.0)),
}


def second_pass(features: np.ndarray, truth: dict, held: np.ndarray, C: float) -> dict:
    """Per task, a second pass fitted on ``features`` rows and their gold indices, applied to ``held`` rows."""
    return {task: logistic_regression(C, "balanced").fit(features, truth[task])
            .predict_proba(held) for task in TASKS}


def decided(proba: dict, neutral_weight: float, factors: tuple[float, ...]) -> dict:
    """Labels after the neutral weight and the stance factors."""
    shifted = shift_neutral(proba, neutral_weight)
    stance = shifted["stance"] * np.array(factors)
    return predicted_labels({**shifted, "stance": stance})


def measure(variant: tuple[Features, float, tuple], passes: dict, neutral_weight: float) -> dict[str, dict]:
    """A variant's labels on the development set and the seeds, and its grouped-CV macro-F1 per task."""
    features, C, factors = variant
    labels, train_rows = {}, {}
    for name, data in passes.items():
        train, held = data["train"], data["held"]
        train_rows[name] = features(data["oof"], train["article"].tolist(), train["text"].tolist())
        held_rows = features(data["first"], held["article"].tolist(), held["text"].tolist())
        labels[name] = decided(second_pass(train_rows[name], label_indices(train), held_rows, C), neutral_weight, factors)
    data, rows = passes["dev"], train_rows["dev"]
    train, truth = data["train"], label_indices(data["train"])
    crossed = {task: np.zeros_like(values) for task, values in data["oof"].items()}
    for fit_rows, held_rows in data["splits"]:
        for task, values in second_pass(rows[fit_rows], {t: v[fit_rows] for t, v in truth.items()}, rows[held_rows],
                                        C).items():
            crossed[task][held_rows] = values
    grouped = decided(crossed, neutral_weight, factors)
    return {"labels": labels, "grouped": {task: macro_f1(train[task], grouped[task], TASKS[task]) for task in TASKS}}


def main() -> None:
    dev = dev_set_or_skip().gold
    shipped = load_model()
    gold = trained_on(shipped, LABELS)
    unseeded, seeds = provenance_split(gold, "seed")
    on_dev, on_seeds = Parallel(n_jobs=2)(delayed(first_pass)(*job) for job in (
        (gold, dev, shipped.settings, shipped), (unseeded, seeds, shipped.settings)))
    passes = {"dev": on_dev, "seeds": on_seeds}
    pooled = pd.concat([dev, seeds], ignore_index=True)
    weight = shipped.settings.neutral_weight
    reference = predicted_labels(model_proba(shipped, dev))
    rows = ["| variant | dev stance | dev frame | seeds stance | seeds frame | grouped CV stance | grouped CV frame "
            "| dev stance per class |", "|---" * 8 + "|"]
    deltas = ["| variant | task | Δ dev | Δ seeds | Δ dev and seeds pooled |", "|---" * 5 + "|"]
    predicted: dict[str, dict[str, np.ndarray]] = {}
    for name, variant in VARIANTS.items():
        result = measure(variant, passes, weight)
        labels = result["labels"]
        predicted[name] = {task: np.concatenate([labels["dev"][task], labels["seeds"][task]]) for task in TASKS}
        if name == "shipped":
            same = {task: int((labels["dev"][task] == reference[task]).sum()) for task in TASKS}
        dev_stance: dict = task_metrics(dev["stance"], labels["dev"]["stance"], STANCES)
        figures = [dev_stance["macro_f1"], macro_f1(dev["frame"], labels["dev"]["frame"], TASKS["frame"]),
                   *(macro_f1(seeds[task], labels["seeds"][task], TASKS[task]) for task in TASKS),
                   *(result["grouped"][task] for task in TASKS)]
        rows.append(f"| {name} | " + " | ".join(f"{figure:.3f}" for figure in figures) + " | "
                    + "; ".join(f"{label} {dev_stance['per_label'][label]['f1']:.2f}" for label in STANCES) + " |")
        print(rows[-1], flush=True)
        if name != "shipped":
            deltas += delta_rows(name, pooled, len(dev), predicted["shipped"], predicted[name])
    header = ["# Other second passes and stance decision rules", "",
              "`python experiments/second_pass.py`; macro-F1; every variant shares the shipped settings' first pass "
              "(trained on the labels the shipped model was trained on; seeds: trained without them) and fits only "
              "its own second pass; grouped CV: 5 folds by article, the second pass cross-fitted.", "",
              f"The shipped variant gives the shipped model's stance label on {same['stance']} of {len(dev)} "
              f"development sentences and its frame label on {same['frame']}.", ""]
    write_markdown("second_pass.md", header + rows + ["", *deltas])


if __name__ == "__main__":
    main()
