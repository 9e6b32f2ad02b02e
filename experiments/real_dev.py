"""Every candidate model on the real development set, the seeds and grouped cross-validation.

    python experiments/real_dev.py

Each candidate is trained on the repository's labels only (the real development set never trains
anything), then scored on: the real development set (every labelled sentence whose text is on this
machine), the five seed articles (a model trained without them) and grouped 5-fold
cross-validation. Differences to the baseline on the development set come with a 95% paired
bootstrap interval over articles. Writes experiments/results/real_dev.md and real_dev.json; skips
with a message when the development texts are absent.
"""

from __future__ import annotations

import json

from joblib import Parallel, delayed

from stance.devset import DEV_LABELS, pass_agreement, read_csv
from stance.evaluate import evaluate_gold, fit_labels, model_proba, paired_bootstrap, predicted_labels, task_metrics
from stance.model import Settings, load_model
from stance.schema import TASKS
from stance.training import trained_on
from stance.paths import LABELS, RESULTS
from dev_set import dev_set_or_skip
from tables import interval_text, kappa_text, write_markdown

BASE_DATA = ("seed", "written")
ALL_DATA = ("seed", "written", "modelled", "counterfactual")
PLAIN = {"collective": False, "actors": False, "sided": False, "speakers": False, "neutral_weight": 1.0,
         "ratio_scaling": 0.0, "quantifier": "pcc"}  # the first pass alone, words and characters only
LADDER = {"actors": True, "sided": True, "collective": True}
CANDIDATES = {
    "baseline (shipped before: seeds + written)": (BASE_DATA, {}),
    "+ modelled and counterfactual articles": (ALL_DATA, {}),
    "+ actors": (ALL_DATA, {"actors": True}),
    "+ sided (target-directed n-grams)": (ALL_DATA, {"sided": True}),
    "+ collective second pass": (ALL_DATA, {"collective": True}),
    "+ actors + sided": (ALL_DATA, {"actors": True, "sided": True}),
    "+ actors + sided + collective": (ALL_DATA, LADDER),
    "+ speakers": (ALL_DATA, {**LADDER, "speakers": True}),
    "+ neutral weight 1.25": (ALL_DATA, {**LADDER, "speakers": True, "neutral_weight": 1.25}),
    "+ ratio scaling 0.5": (ALL_DATA, {**LADDER, "speakers": True, "neutral_weight": 1.25, "ratio_scaling": 0.5}),
    "+ neutral weight 1.55 (the shipped settings)": (ALL_DATA, {**LADDER, "speakers": True, "neutral_weight": 1.55,
                                                                "ratio_scaling": 0.5}),
}


def candidate_settings(changes: dict) -> Settings:
    """The settings a candidate trains with: its changes to the PLAIN settings."""
    return Settings().with_changes(**{**PLAIN, **changes})


def run_candidate(gold, dev, data, changes: dict) -> tuple[dict, dict]:
    """(figures, dev predictions) of one candidate: its training data and its changes to PLAIN settings."""
    settings = candidate_settings(changes)
    train = gold[gold["provenance"].isin(data)].reset_index(drop=True)
    predicted = predicted_labels(model_proba(fit_labels(train, settings), dev))
    figures = {"dev": {task: task_metrics(dev[task], predicted[task], labels) for task, labels in TASKS.items()}}
    for name, holdout in (("seeds", "seed"), ("grouped_cv", None)):
        result = evaluate_gold(train, settings, holdout=holdout)
        figures[name] = {task: result["tasks"][task] for task in TASKS}
    return figures, predicted


def table(results: dict, intervals: dict) -> list[str]:
    """The Markdown comparison table."""
    lines = ["| candidate | dev stance | dev frame | Δ stance vs baseline (95% CI) | Δ frame (95% CI) | seeds stance | "
             "seeds frame | grouped CV stance | grouped CV frame |", "|---" * 9 + "|"]
    for name, figures in results.items():
        delta = [interval_text(intervals[name][t]) for t in TASKS] if name in intervals else ["", ""]
        cells = [f"{figures[where][task]['macro_f1']:.3f}" for where in ("dev",) for task in TASKS] + delta + [
            f"{figures[where][task]['macro_f1']:.3f}" for where in ("seeds", "grouped_cv") for task in TASKS]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def per_class(results: dict) -> list[str]:
    """Per-label F1 on the development set, and each candidate's confusion matrices."""
    lines = []
    for name, figures in results.items():
        lines += ["", f"### {name}", ""]
        for task, labels in TASKS.items():
            metrics = figures["dev"][task]
            lines.append(f"- {task} F1 on dev: " + ", ".join(
                f"{label} {metrics['per_label'][label]['f1']:.2f}" for label in labels))
            lines.append(f"  confusion (rows true, columns predicted, {', '.join(labels)}): {metrics['confusion']}")
    return lines


def main() -> None:
    dev = dev_set_or_skip()
    gold = trained_on(load_model(), LABELS)  # the labels the shipped model was trained on
    runs = Parallel(n_jobs=2)(delayed(run_candidate)(gold, dev.gold, data, changes) for data, changes in CANDIDATES.values())
    results = {name: figures for name, (figures, _) in zip(CANDIDATES, runs)}
    predicted = {name: labels for name, (_, labels) in zip(CANDIDATES, runs)}
    baseline = next(iter(CANDIDATES))
    intervals = {name: {task: paired_bootstrap(dev.gold[task], predicted[baseline][task], predicted[name][task],
                                               labels, dev.gold["article"])
                        for task, labels in TASKS.items()}
                 for name in CANDIDATES if name != baseline}
    passes = pass_agreement(DEV_LABELS)
    kappa = kappa_text(passes)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "real_dev.json").write_text(
        json.dumps({"agreement": passes, "results": results, "paired_bootstrap": intervals}, indent=1) + "\n")
    counts = dev.gold["stance"].value_counts().to_dict()
    lines = [
        "# Candidates on the real development set", "",
        f"`python experiments/real_dev.py`. Real development set: {len(dev.gold)} sentences of "
        f"{dev.gold['article'].nunique()} real articles ({counts}); {dev.unmatched_sentences} labelled sentences not "
        f"found in the rebuilt texts, {len(dev.missing_articles)} articles missing. Macro-F1. Every candidate is "
        "trained on the repository's labels only; seeds: trained without the seeds; grouped CV: 5 folds by article "
        "over the candidate's training data.", "",
        f"Labels: two independent passes over all {passes['sentences']} sentences, {kappa}; the "
        f"{len(read_csv(DEV_LABELS / 'adjudication.csv'))} disagreements adjudicated in "
        "`labels/real_dev/adjudication.csv`. Both passes were made by annotator sessions applying the same codebook.", "",
        *table(results, intervals), "", "## Per class and confusion matrices", *per_class(results)]
    write_markdown("real_dev.md", lines)


if __name__ == "__main__":
    main()
