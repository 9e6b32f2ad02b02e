"""The shipped models on the fresh real set, which chose nothing: the honest figure.

    python experiments/fresh.py

The development set chose the shipped model's features, weights and settings, so its figure is
optimistic (experiments/results/training_noise.md). The fresh set (labels/real_fresh/) holds other
real articles, labelled in two independent passes after the model was fixed and used for nothing
else. Each shipped model scores it as shipped: macro-F1 per task with a 95% bootstrap interval over
articles, per-class F1 and confusion matrices; then the article profiles it gives (its quantifier
and error rates) against the gold: lean MAE, 90% interval coverage and width, the most an interval of
width 0.45 could hold placed with hindsight, and the differences between years. The development
set, and both sets together, stand beside it. Writes experiments/results/fresh.md and fresh.json.
"""

from __future__ import annotations

import json

import pandas as pd

from stance.devset import DEV_LABELS, FRESH_LABELS, FRESH_TEXTS, pass_agreement
from stance.evaluate import model_proba, predicted_labels, task_metrics
from stance.model import load_model, shipped_models
from stance.paths import RESULTS
from stance.schema import TASKS
from dev_set import dev_set_or_skip
from headline import figure_cells, figures
from profiles import (CEILING_EXPLAINED, CEILING_HEADER, CEILING_TITLE, SCORE_EXPLAINED, SCORE_HEADER, ceiling_cells,
                      ceiling_row, manifest_dates, score_cells, scores, year_cells, year_groups)
from tables import kappa_text, write_markdown

COMMAND = "python experiments/fresh.py"


def evaluate(model, gold, dates: dict[str, str]) -> dict:
    """One model on one real set: sentence figures, confusion matrices, profile scores, the intervals' ceiling and
    year groups."""
    proba = model_proba(model, gold)
    predicted = predicted_labels(proba)
    return {"sentences": len(gold), "articles": int(gold["article"].nunique()),
            "labels": {task: {label: int(n) for label, n in gold[task].value_counts().items()} for task in TASKS},
            **figures(proba, gold),
            "confusion": {task: task_metrics(gold[task], predicted[task], labels)["confusion"]
                          for task, labels in TASKS.items()},
            "profiles": scores(gold, proba, lambda _: model.rates), "ceiling": ceiling_row(gold, proba),
            "years": year_groups(gold, proba, model.rates, dates)}


def report(results: dict, passes: dict, matched: str) -> list[str]:
    """The Markdown report's lines: sentence figures, profile scores, year groups and confusion matrices."""
    kappa = kappa_text(passes)
    lines = ["# The shipped models on the fresh real set", "",
             f"`{COMMAND}`. The fresh set's articles were labelled after the shipped models were fixed and have "
             "chosen nothing, so its figures carry no selection; the development set chose the models' settings. "
             f"Fresh set: {matched}; two independent passes over {passes['sentences']} sentences of "
             f"{passes['articles']} articles, {kappa}, the disagreements adjudicated "
             "(`labels/real_fresh/adjudication.csv`). Macro-F1 with 95% bootstrap intervals over articles.", "",
             "| model: set | sentences | articles | stance | frame | per class |", "|---" * 6 + "|"]
    lines += [f"| {name} | {r['sentences']} | {r['articles']} | {figure_cells(r)} |" for name, r in results.items()]
    lines += ["", "## Article profiles as shipped", "",
              f"The model's own quantifier and error rates. {SCORE_EXPLAINED}", "",
              f"| model: set | {SCORE_HEADER} |", "|---" * 9 + "|"]
    lines += [f"| {name} | {score_cells(r['profiles'])} |" for name, r in results.items()]
    lines += ["", CEILING_TITLE, "", CEILING_EXPLAINED, "", f"| model: set | {CEILING_HEADER} |", "|---" * 5 + "|"]
    lines += [f"| {name} | {ceiling_cells(r['ceiling'])} |" for name, r in results.items()]
    lines += ["", "## Differences between years (net lean, a − b)", "",
              "| model: set | a | b | estimated | 90% interval | flagged | true difference |", "|---" * 7 + "|"]
    lines += [f"| {name} | {year_cells(row)} |" for name, r in results.items() for row in r["years"]]
    lines += ["", "## Confusion matrices (rows true, columns predicted)", ""]
    for name, r in results.items():
        for task, labels in TASKS.items():
            lines.append(f"- {name}, {task} ({', '.join(labels)}): {r['confusion'][task]}")
    return lines


def main() -> None:
    fresh = dev_set_or_skip(FRESH_LABELS, FRESH_TEXTS)
    dev = dev_set_or_skip()
    sets = {"fresh": fresh.gold, "development": dev.gold,
            "development + fresh": pd.concat([dev.gold, fresh.gold], ignore_index=True)}
    dates = {**manifest_dates(DEV_LABELS / "manifest.csv"), **manifest_dates(FRESH_LABELS / "manifest.csv")}
    matched = (f"{len(fresh.gold)} labelled sentences matched in the rebuilt texts, {fresh.unmatched_sentences} not "
               f"found, {len(fresh.missing_articles)} articles missing")
    print(matched, flush=True)
    results = {}
    for name in shipped_models():
        model = load_model(name)
        for where, gold in sets.items():
            results[f"{name}: {where}"] = evaluate(model, gold, dates)
            print(name, where, {t: round(results[f"{name}: {where}"][t]["macro_f1"], 3) for t in TASKS}, flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    passes = pass_agreement(FRESH_LABELS)
    (RESULTS / "fresh.json").write_text(json.dumps({"agreement": passes, "results": results}, indent=1) + "\n")
    write_markdown("fresh.md", report(results, passes, matched))


if __name__ == "__main__":
    main()
