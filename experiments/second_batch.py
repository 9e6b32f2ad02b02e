"""Did the second batch of modelled articles (m5xx: OpenAI's counter-claims, rulings, mockery, Altman's
defence, pro-Musk columns, dispatches) help? The shipped settings trained with and without it.

    python experiments/second_batch.py

Measured on the real development set (macro-F1, per-class F1, and the paired bootstrap of the
difference over articles) and on the seeds (trained without them). Skips when the development
texts are absent. Writes experiments/results/second_batch.md.
"""

from __future__ import annotations

import sys

from stance.devset import DevSetMissing, load_dev
from stance.evaluate import fit_labels, model_proba, paired_bootstrap, predicted_labels, task_metrics
from stance.annotation.labels import load_gold
from stance.model import load_model
from stance.schema import TASKS
from stance.paths import LABELS, RESULTS

BATCH = "m5"  # article ids of the second batch start with it


def main() -> None:
    try:
        dev = load_dev().gold
    except DevSetMissing as missing:
        sys.exit(f"Skipped: {missing}")
    gold, settings = load_gold(LABELS), load_model().settings
    trainings = {"without the second batch": gold[~gold["article"].str.startswith(BATCH)], "with it (shipped)": gold}
    lines = ["# The second batch of modelled articles", "", "`python experiments/second_batch.py`; shipped settings; "
             "macro-F1; Δ with a 95% paired bootstrap over articles.", "",
             "| training | sentences | dev stance | dev frame | seeds stance | seeds frame | dev per class |",
             "|---" * 7 + "|"]
    predicted = {}
    for name, train in trainings.items():
        train = train.reset_index(drop=True)
        predicted[name] = predicted_labels(model_proba(fit_labels(train, settings), dev))
        seeds = train[train["provenance"] == "seed"].reset_index(drop=True)
        on_seeds = predicted_labels(model_proba(fit_labels(train[train["provenance"] != "seed"].reset_index(drop=True),
                                                           settings), seeds))
        metrics = {task: task_metrics(dev[task], predicted[name][task], labels) for task, labels in TASKS.items()}
        seed_metrics = {task: task_metrics(seeds[task], on_seeds[task], labels) for task, labels in TASKS.items()}
        classes = "; ".join(f"{label} {metrics[task]['per_label'][label]['f1']:.2f}" for task, labels in TASKS.items()
                            for label in labels)
        lines.append(f"| {name} | {len(train)} | {metrics['stance']['macro_f1']:.3f} | {metrics['frame']['macro_f1']:.3f} | "
                     f"{seed_metrics['stance']['macro_f1']:.3f} | {seed_metrics['frame']['macro_f1']:.3f} | {classes} |")
    before, after = predicted.values()
    lines.append("")
    for task, labels in TASKS.items():
        delta, low, high = paired_bootstrap(dev[task], before[task], after[task], labels, dev["article"])
        lines.append(f"- {task}: Δ {delta:+.3f} (95% CI {low:+.3f} to {high:+.3f})")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "second_batch.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
