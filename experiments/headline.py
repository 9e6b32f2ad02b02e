"""The README's headline: the shipped model on real coverage, with 95% intervals.

    python experiments/headline.py

Each shipped model (stance/models/default, then the slower stance/models/embeddings; both trained on
the repository's labels only) scores the real development set; a model with its settings trained
without the seeds scores the five seed articles. Macro-F1 per task with a 95% bootstrap interval
over articles, per-class F1. Writes experiments/results/headline.json and headline.md.
"""

from __future__ import annotations

import json


from stance.evaluate import f1_interval, fit_labels, model_proba, predicted_labels, provenance_split, task_metrics
from stance.model import load_model, shipped_models
from stance.schema import TASKS
from stance.paths import LABELS, RESULTS
from stance.training import trained_on
from dev_set import dev_set_or_skip
from tables import write_markdown



def figures(proba, gold) -> dict:
    """Per task: macro-F1 with its interval, and per-class F1, of a model's probabilities for gold rows."""
    predicted = predicted_labels(proba)
    out = {}
    for task, labels in TASKS.items():
        f1, low, high = f1_interval(gold[task], predicted[task], labels, gold["article"])
        per_label = task_metrics(gold[task], predicted[task], labels)["per_label"]
        out[task] = {"macro_f1": f1, "low": low, "high": high,
                     "per_label": {label: round(v["f1"], 3) for label, v in per_label.items() if v["support"]}}
    return out


def figure_cells(r: dict) -> str:
    """A Markdown row's cells for figures(): each task's macro-F1 [interval], then the per-class F1."""
    cells = [f"{r[t]['macro_f1']:.3f} [{r[t]['low']:.3f}, {r[t]['high']:.3f}]" for t in TASKS]
    classes = "; ".join(f"{k} {v:.2f}" for t in TASKS for k, v in r[t]["per_label"].items())
    return " | ".join(cells + [classes])


def main() -> None:
    dev = dev_set_or_skip().gold
    result = {}
    for name in shipped_models():
        model = load_model(name)
        gold = trained_on(model, LABELS)  # the labels this model was trained on
        unseeded, seeds = provenance_split(gold, "seed")
        result[f"{name}: real development set"] = {"sentences": len(dev), "articles": int(dev["article"].nunique()),
                                                   **figures(model_proba(model, dev), dev)}
        result[f"{name}: seeds (trained without them)"] = {
            "sentences": len(seeds), "articles": int(seeds["article"].nunique()),
            **figures(model_proba(fit_labels(unseeded, model.settings), seeds), seeds)}
        print(name, {t: round(result[f"{name}: real development set"][t]["macro_f1"], 3) for t in TASKS}, flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "headline.json").write_text(json.dumps(result, indent=1) + "\n")
    lines = ["# The shipped models on real coverage", "", "`python experiments/headline.py`; macro-F1 with 95% bootstrap "
             "intervals over articles.", "", "| model: test | sentences | articles | stance | frame | per class |",
             "|---" * 6 + "|"]
    lines += [f"| {name} | {r['sentences']} | {r['articles']} | {figure_cells(r)} |" for name, r in result.items()]
    write_markdown("headline.md", lines)


if __name__ == "__main__":
    main()
