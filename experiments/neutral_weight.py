"""Which neutral weight (stance.prior_shift)? Every weight from one set of fits, on real coverage and grouped CV.

    python experiments/neutral_weight.py

The shipped settings with ``neutral_weight`` 1 (no shift) are trained on the repository's labels
and give their stance probabilities for the real development set, for the seeds (trained without
them) and for every sentence by grouped cross-validation. Each weight of the grid then shifts those
probabilities (the weight changes no fitted coefficient, so one set of fits serves every weight).
The rule: the weight with the best stance macro-F1 on the development set and the seeds pooled
(every held-out real sentence: the issue's test "wins on the development set and the seeds
together"), among the weights that do not lose more than LOSS on grouped CV against weight 1.
Each weight's difference to weight 1 comes with a 95% paired bootstrap over articles. Skips when
the development texts are absent. Writes experiments/results/neutral_weight.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from stance.evaluate import (fit_labels, held_out_deltas, macro_f1, model_proba, out_of_fold_proba, paired_bootstrap,
                             predicted_labels, task_metrics)
from stance.model import load_model
from stance.training import trained_on
from stance.paths import LABELS
from stance.prior_shift import shift_neutral
from stance.schema import TASKS
from dev_set import dev_set_or_skip
from tables import interval_text, write_markdown

GRID = tuple(round(1 + 0.05 * step, 2) for step in range(-4, 21))  # 0.80 to 2.00
LOSS = 0.002  # the most grouped CV macro-F1 may drop for a weight to stay a candidate
STANCES = TASKS["stance"]


def main() -> None:
    dev = dev_set_or_skip().gold
    shipped = load_model()
    gold = trained_on(shipped, LABELS)  # the labels the shipped model was trained on
    settings = shipped.settings.with_changes(neutral_weight=1.0)
    seeds_proba, held = out_of_fold_proba(gold, settings, holdout="seed")
    seeds = gold[held].reset_index(drop=True)
    pooled = pd.concat([dev, seeds], ignore_index=True)
    dev_proba = model_proba(fit_labels(gold, settings), dev)
    real = {task: np.concatenate([dev_proba[task], seeds_proba[task]]) for task in TASKS}
    grouped, _ = out_of_fold_proba(gold, settings)
    rows, predicted = [], {}
    for weight in GRID:
        predicted[weight] = predicted_labels(shift_neutral(real, weight))
        on_grouped = predicted_labels(shift_neutral(grouped, weight))["stance"]
        dev_metrics = task_metrics(dev["stance"], predicted[weight]["stance"][:len(dev)], STANCES)
        rows.append({"weight": weight, "dev": dev_metrics["macro_f1"],
                     "seeds": macro_f1(seeds["stance"], predicted[weight]["stance"][len(dev):], STANCES),
                     "pooled": macro_f1(pooled["stance"], predicted[weight]["stance"], STANCES),
                     "grouped": macro_f1(gold["stance"], on_grouped, STANCES),
                     **{label: dev_metrics["per_label"][label]["f1"] for label in STANCES}})
    table = pd.DataFrame(rows)
    allowed = table[table["grouped"] >= table.loc[table["weight"] == 1.0, "grouped"].iloc[0] - LOSS]
    chosen = float(allowed.loc[allowed["pooled"].idxmax(), "weight"])
    deltas = {weight: {"pooled": paired_bootstrap(pooled["stance"], predicted[1.0]["stance"],
                                                  predicted[weight]["stance"], STANCES, pooled["article"])}
              for weight in GRID if weight != 1.0}
    if chosen != 1.0:
        deltas[chosen] = held_out_deltas(pooled, len(dev), predicted[1.0], predicted[chosen])["stance"]
    write(table, chosen, deltas)


def write(table: pd.DataFrame, chosen: float, deltas: dict) -> None:
    lines = ["# The neutral weight", "", "`python experiments/neutral_weight.py`; stance macro-F1 of the shipped settings "
             "with each neutral weight, trained on the repository's labels only (seeds: trained without them; grouped "
             "CV: 5 folds by article). Δ: against weight 1 (no shift), with a 95% paired bootstrap over articles, "
             "on the development set and the seeds pooled.", "",
             f"Rule: the best pooled stance macro-F1 among the weights whose grouped CV is at most "
             f"{LOSS} below weight 1's. **Chosen: {chosen:.2f}.**", "",
             "| weight | dev | seeds | dev and seeds pooled | Δ pooled (95% CI) | grouped CV | dev per class |",
             "|---" * 7 + "|"]
    for row in table.itertuples():
        delta = "" if row.weight == 1.0 else interval_text(deltas[row.weight]["pooled"])
        classes = "; ".join(f"{label} {getattr(row, label):.2f}" for label in STANCES)
        mark = "**" if row.weight == chosen else ""
        lines.append(f"| {mark}{row.weight:.2f}{mark} | {row.dev:.3f} | {row.seeds:.3f} | {row.pooled:.3f} | {delta} "
                     f"| {row.grouped:.3f} | {classes} |")
    if chosen != 1.0:
        lines += ["", f"At {chosen:.2f}, Δ on the development set alone: {interval_text(deltas[chosen]['dev'])}; "
                      f"on the seeds alone: {interval_text(deltas[chosen]['seeds'])}."]
    write_markdown("neutral_weight.md", lines)


if __name__ == "__main__":
    main()
