"""Did each batch of modelled articles aimed at the real-text errors help? The shipped settings,
trained with the batches added one at a time.

    python experiments/batches.py

Batches by article id: m5xx (OpenAI's counter-claims, rulings, mockery, Altman's defence, pro-Musk
columns, dispatches), m6xx (xAI's suits against Apple and OpenAI, Grok launches, Stargate, the
damages claim, the board's refusal and the counterclaim, Altman's interviews, the recapitalisation
explained), m7xx (the 2026 trial, OpenAI's subpoenas, the open-versus-closed quarrel, Europe's
answer, columns against Musk and for the conversion, Microsoft, broadcast and social-media
registers, procedural dispatches) and m8xx (headline-heavy explainers and live blogs, the duel's
lines quoted directly, crypto-feed posts, francophone African press) and a sixth batch, m9xx
with counterfactual sets c09–c12 (business analyses of the valuation, Swiss, Belgian and Quebec
registers, 'billionaires' war' columns, product news that mentions the feud in passing, Musk's
allies and OpenAI's counter-attacks; the xAI suits, the damages claim and the counterclaim each
written neutral, for Musk and for OpenAI). Measured on the real
development set (macro-F1, per-class F1, and the paired bootstrap over articles of each batch's
difference) and on the seeds (trained without them). Skips when the development texts are absent.
Writes experiments/results/batches.md.
"""

from __future__ import annotations


import numpy as np
import pandas as pd

from stance.annotation.labels import load_gold
from stance.evaluate import fit_labels, held_out_deltas, model_proba, predicted_labels, task_metrics
from stance.model import load_model
from stance.paths import LABELS, RESULTS
from stance.schema import TASKS
from dev_set import dev_set_or_skip

BATCHES = {"second batch (m5xx)": ("m5",), "third batch (m6xx)": ("m6",),  # name: prefixes of its article ids
           "fourth batch (m7xx)": ("m7",), "fifth batch (m8xx)": ("m8",),
           "sixth batch (m9xx, c09–c12)": ("m9", "c09", "c10", "c11", "c12")}


def main() -> None:
    dev = dev_set_or_skip().gold
    gold, settings = load_gold(LABELS), load_model().settings
    names, trainings = list(BATCHES), {}
    for added in range(len(names) + 1):  # the first `added` batches in, the later ones out
        later: tuple[str, ...] = sum((BATCHES[name] for name in names[added:]), ())
        trainings[f"+ {names[added - 1]}" if added else "before the batches"] = \
            gold[~gold["article"].str.startswith(later)] if later else gold
    seeds = gold[gold["provenance"] == "seed"].reset_index(drop=True)
    pooled = pd.concat([dev, seeds], ignore_index=True)  # all held-out real text: the development set, then the seeds
    lines = ["# Batches of modelled articles", "", "`python experiments/batches.py`; shipped settings; macro-F1 (seeds: "
             "models trained without them); Δ with a 95% paired bootstrap over articles, on the development set, the "
             "seeds, and both pooled (every held-out real sentence).", "",
             "| training | sentences | dev stance | dev frame | seeds stance | seeds frame | dev per class |",
             "|---" * 7 + "|"]
    predicted: list[dict] = []
    for name, train in trainings.items():
        train = train.reset_index(drop=True)
        on_dev = predicted_labels(model_proba(fit_labels(train, settings), dev))
        on_seeds = predicted_labels(model_proba(fit_labels(train[train["provenance"] != "seed"].reset_index(drop=True),
                                                           settings), seeds))
        predicted.append({task: np.concatenate([on_dev[task], on_seeds[task]]) for task in TASKS})
        metrics = {task: task_metrics(dev[task], on_dev[task], labels) for task, labels in TASKS.items()}
        seed_metrics = {task: task_metrics(seeds[task], on_seeds[task], labels) for task, labels in TASKS.items()}
        classes = "; ".join(f"{label} {metrics[task]['per_label'][label]['f1']:.2f}" for task, labels in TASKS.items()
                            for label in labels)
        lines.append(f"| {name} | {len(train)} | {metrics['stance']['macro_f1']:.3f} | {metrics['frame']['macro_f1']:.3f} | "
                     f"{seed_metrics['stance']['macro_f1']:.3f} | {seed_metrics['frame']['macro_f1']:.3f} | {classes} |")
        print(lines[-1], flush=True)
    steps = [(names[i], i, i + 1) for i in range(len(names))] + [("all batches against none", 0, len(names))]
    deltas = ["| Δ | task | dev | seeds | dev and seeds pooled |", "|---" * 5 + "|"]
    for name, before, after in steps:
        for task, cells in held_out_deltas(pooled, len(dev), predicted[before], predicted[after]).items():
            deltas.append(f"| {name} | {task} | " + " | ".join(
                f"{delta:+.3f} ({low:+.3f} to {high:+.3f})" for delta, low, high in cells.values()) + " |")
    lines += ["", *deltas]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "batches.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
