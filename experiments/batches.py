"""Did each batch of modelled articles aimed at the real-text errors help? The shipped settings,
trained with the batches added one at a time.

    python experiments/batches.py            # every batch, one at a time: batches.md
    python experiments/batches.py --last 1   # only the newest batch against the training without it
    python experiments/batches.py --jobs 2   # two model fits at a time (same figures, about half the time)

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
difference) and on the seeds (trained without them); a seventh batch, c13–c16 (OpenAI's
history told plainly, as a betrayal and as a necessity; a hearing with the judge's words; the
9.74 billion retort and quotes that run over several sentences; Musk's charges spelled out), aimed
at the confusions that remained; an eighth batch, m0xx (sixteen partisan-dense articles: columns
for each side, rulings, mockery on the networks, the conversion in the business press, the 2026
trial, Stargate and xAI, francophone press outside France), written to grow the data after the
learning curve (learning_curve.py) showed that more of it still pays on average; and a ninth,
m97x, w972, c17 and c18 (background told as background, OpenAI's own short statements, the
retort and the hypocrisy charge), aimed at the development set's two commonest errors. Skips when the
development texts are absent. The solver runs to the optimum (stance.model.pipeline.SOLVER_TOL),
so runs apart agree: batches_last3.md's rows are batches.md's last four. Writes
experiments/results/batches.md, or batches_last<N>.md with ``--last N`` (each model fit takes
minutes; the full run, two fits per row, took about 20 minutes with --jobs 2 on two cores).
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from joblib import Parallel, delayed

from stance.annotation.labels import load_gold
from stance.evaluate import fit_labels, model_proba, predicted_labels
from stance.model import load_model
from stance.paths import LABELS
from stance.schema import TASKS
from dev_set import dev_set_or_skip
from tables import delta_rows, training_row, write_markdown

BATCHES = {"second batch (m5xx)": ("m5",), "third batch (m6xx)": ("m6",),  # name: prefixes of its article ids
           "fourth batch (m7xx)": ("m7",), "fifth batch (m8xx)": ("m8",),
           "sixth batch (m9xx, c09–c12)": ("m9", "c09", "c10", "c11", "c12"),
           "seventh batch (c13–c16)": ("c13", "c14", "c15", "c16"), "eighth batch (m0xx)": ("m0",),
           "ninth batch (m97x, w972, c17, c18)": ("m97", "w972", "c17", "c18")}  # every batch, or a rerun trains on it


def held_out_proba(train, settings, test) -> dict:
    """The probabilities a model fitted on ``train`` gives the held-out sentences of ``test``."""
    return model_proba(fit_labels(train.reset_index(drop=True), settings), test)


def held_out_labels(train, settings, test) -> dict:
    """The labels of held_out_proba."""
    return predicted_labels(held_out_proba(train, settings, test))


def held_out_pairs(trainings, settings, dev, seeds, jobs: int, fit=held_out_labels) -> list[tuple[dict, dict]]:
    """Per training: what ``fit`` gives the development set for a model fitted on it, and the seeds for one fitted
    on it without the seeds; ``jobs`` fits at a time."""
    fits = [(train, test) for training in trainings
            for train, test in ((training, dev), (training[training["provenance"] != "seed"], seeds))]
    results = Parallel(n_jobs=jobs)(delayed(fit)(train, settings, test) for train, test in fits)
    return list(zip(results[::2], results[1::2]))


def main(last: int, jobs: int) -> None:
    dev = dev_set_or_skip().gold
    gold, settings = load_gold(LABELS), load_model().settings
    names, trainings = list(BATCHES), {}
    first = len(names) - last
    for added in range(first, len(names) + 1):  # the first `added` batches in, the later ones out
        later: tuple[str, ...] = sum((BATCHES[name] for name in names[added:]), ())
        trainings[f"+ {names[added - 1]}" if added else "before the batches"] = \
            gold[~gold["article"].str.startswith(later)] if later else gold
    seeds = gold[gold["provenance"] == "seed"].reset_index(drop=True)
    pooled = pd.concat([dev, seeds], ignore_index=True)  # all held-out real text: the development set, then the seeds
    command = "python experiments/batches.py" + (f" --last {last}" if first else "")
    lines = ["# Batches of modelled articles", "", f"`{command}`; shipped settings; macro-F1 (seeds: "
             "models trained without them); Δ with a 95% paired bootstrap over articles, on the development set, the "
             "seeds, and both pooled (every held-out real sentence).", "",
             "| training | sentences | dev stance | dev frame | seeds stance | seeds frame | dev per class |",
             "|---" * 7 + "|"]
    predicted: list[dict] = []
    for (name, train), (on_dev, on_seeds) in zip(trainings.items(),
                                                 held_out_pairs(trainings.values(), settings, dev, seeds, jobs)):
        predicted.append({task: np.concatenate([on_dev[task], on_seeds[task]]) for task in TASKS})
        lines.append(training_row([name, len(train)], dev, seeds, on_dev, on_seeds))
        print(lines[-1], flush=True)
    steps = [(names[first + i], i, i + 1) for i in range(last)]
    if last > 1:
        steps.append(("all batches against none" if first == 0 else f"the last {last} against none of them", 0, last))
    deltas = ["| Δ | task | dev | seeds | dev and seeds pooled |", "|---" * 5 + "|"]
    for name, before, after in steps:
        deltas += delta_rows(name, pooled, len(dev), predicted[before], predicted[after])
    lines += ["", *deltas]
    write_markdown("batches.md" if first == 0 else f"batches_last{last}.md", lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--last", type=int, default=len(BATCHES), choices=range(1, len(BATCHES) + 1), metavar="N",
                        help=f"measure only the newest N batches (1 to {len(BATCHES)}; default: all)")
    parser.add_argument("--jobs", type=int, default=1, choices=range(1, 9), metavar="N",
                        help="fit N models at a time, one process each (1 to 8; default 1)")
    arguments = parser.parse_args()
    main(arguments.last, arguments.jobs)
