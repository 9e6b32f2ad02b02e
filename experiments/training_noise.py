"""How far do the real-text figures move when the training data changes a little? The noise floor under every
comparison of trainings.

    python experiments/training_noise.py            # 6 draws, two model fits at a time
    python experiments/training_noise.py --draws 10 --jobs 1
    python experiments/training_noise.py --add m0   # then: the same trainings with left-out articles added
    python experiments/training_noise.py --change '{"neutral_weight": 1.55}'   # or with settings changed

The paired bootstrap that batches.py, label_review.py and the other comparisons report resamples the test
articles only: it says how sure a difference is for these two fitted models, not whether another draw of
training articles of the same kinds would give it again. Here the shipped settings are trained on the shipped
model's labels, then again with 5% of the training articles (seeds never among them) left out at random, once
per draw, and each model is measured on the real development set and on the seeds (trained without them). The
spread of the draws, and of their differences from the full training, is how much a change of the training data
moves the figures by itself; the mean of the draws' probabilities (a bag) is measured too. With ``--add PREFIX``
(repeatable), the same trainings are fitted again with the articles the shipped model leaves out that start with
those prefixes, and each is compared with its twin recorded in training_noise.csv: a paired comparison per draw,
which says whether the added articles help on average rather than against one training. ``--change JSON`` does
the same for a change of the shipped settings (e.g. '{"neutral_weight": 1.55}'), alone or with ``--add``. Skips
when the development texts are absent. Writes experiments/results/training_noise.md and .csv, or, with --add or
--change, training_noise_added_<first prefix>.md or training_noise_changed_<the settings changed>.md, one file per
comparison (draws + 1 model fits of about 6.5 minutes each, two at a time).
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np
import pandas as pd

from stance.annotation.labels import load_gold
from stance.evaluate import macro_f1, predicted_labels
from stance.model import load_model
from stance.paths import LABELS, RESULTS
from stance.schema import TASKS
from stance.training import trained_on
from batches import held_out_pairs, held_out_proba
from dev_set import dev_set_or_skip
from tables import write_markdown
from versus_shipped import changes as settings_changes, settings_named

LEFT_OUT = 0.05  # share of the training articles each draw leaves out
FIGURES = ["dev_stance", "dev_frame", "seeds_stance", "seeds_frame", "pooled_stance", "pooled_frame"]


def left_out_articles(gold: pd.DataFrame, draws: int, seed: int = 0) -> list[list[str]]:
    """Per draw, the training articles it leaves out: ``LEFT_OUT`` of the articles that are not seeds."""
    articles = sorted(gold.loc[gold["provenance"] != "seed", "article"].unique())
    rng = np.random.default_rng(seed)
    size = max(1, round(LEFT_OUT * len(articles)))
    return [sorted(rng.choice(articles, size=size, replace=False)) for _ in range(draws)]


def figures(dev, seeds, on_dev: dict, on_seeds: dict) -> dict[str, float]:
    """Macro-F1 per task on the development set, the seeds and both pooled."""
    pooled = pd.concat([dev, seeds], ignore_index=True)
    out = {}
    for task, labels in TASKS.items():
        out[f"dev_{task}"] = macro_f1(dev[task], on_dev[task], labels)
        out[f"seeds_{task}"] = macro_f1(seeds[task], on_seeds[task], labels)
        out[f"pooled_{task}"] = macro_f1(pooled[task], np.concatenate([on_dev[task], on_seeds[task]]), labels)
    return out


def report(rows: pd.DataFrame, command: str) -> list[str]:
    """The report's lines: the full training (first row), the draws, their mean, sd (the noise a comparison of two
    trainings must clear), range and differences from the full training; then the bag of the draws (last row)."""
    full, draws, bag = rows.iloc[0], rows.iloc[1:-1], rows.iloc[-1]
    differences = draws[FIGURES] - full[FIGURES]
    cell = " | ".join

    def line(name, sentences, values) -> str:
        return f"| {name} | {sentences} | " + cell(values) + " |"

    lines = ["# Training noise: the figures when a few training articles change", "",
             f"`{command}`; the shipped settings on the shipped model's labels, then with {LEFT_OUT:.0%} of the "
             "training articles left out at random per draw (never the seeds); macro-F1 on the real development "
             "set, the seeds (trained without them) and both pooled. Last, the draws as one model: the mean of their "
             "probabilities.", "",
             "| training | sentences | " + cell(name.replace("_", " ") for name in FIGURES) + " |",
             "|---" * (len(FIGURES) + 2) + "|"]
    lines += [line(row["training"], row["sentences"], (f"{row[f]:.3f}" for f in FIGURES))
              for _, row in rows.iloc[:-1].iterrows()]
    lines += [line(f"mean of the {len(draws)} draws", "", (f"{draws[f].mean():.3f}" for f in FIGURES)),
              line("sd of the draws", "", (f"{draws[f].std(ddof=1):.3f}" for f in FIGURES)),
              line("range of the draws", "", (f"{draws[f].min():.3f}–{draws[f].max():.3f}" for f in FIGURES)),
              line("mean of draw − full", "", (f"{differences[f].mean():+.3f}" for f in FIGURES)),
              line("largest abs(draw − full)", "", (f"{differences[f].abs().max():.3f}" for f in FIGURES)),
              line(bag["training"], "", (f"{bag[f]:.3f}" for f in FIGURES)),
              "", f"- Leaving out {LEFT_OUT:.0%} of the training articles at random moves pooled stance by "
              f"{draws['pooled_stance'].std(ddof=1):.3f} (sd) and development stance by "
              f"{draws['dev_stance'].std(ddof=1):.3f}, up to {differences['dev_stance'].abs().max():.3f} from the full "
              "training: a difference between two trainings smaller than about twice that sd is within what a change "
              "of training data does by itself, whatever the paired bootstrap over test articles says.",
              f"- The bag of the {len(draws)} draws reaches development stance {bag['dev_stance']:.3f} and pooled "
              f"stance {bag['pooled_stance']:.3f}, against {full['dev_stance']:.3f} and {full['pooled_stance']:.3f} "
              "for the full training."]
    return lines


def what_changes(prefixes: list[str], changes: dict) -> str:
    """The comparison in words: the articles added and the settings changed."""
    parts = ([f"the articles whose ids start with {', '.join(prefixes)} added"] if prefixes else []) \
        + ([f"the settings {json.dumps(changes)}"] if changes else [])
    return " and ".join(parts)


def paired_report(base: pd.DataFrame, paired: pd.DataFrame, prefixes: list[str], command: str,
                 changes: dict | None = None) -> list[str]:
    """The report's lines: each training with the articles of ``prefixes`` added and the settings ``changes``, its
    difference from the same training without them (training_noise.csv), and the mean, sd and sign of those
    differences over the draws."""
    differences = paired[FIGURES].to_numpy() - base[FIGURES].to_numpy()
    change = what_changes(prefixes, changes or {})
    lines = [f"# Training noise: the full training and each draw with {change}", "",
             f"`{command}`; each training of training_noise.md (the full one, then each draw that leaves out "
             f"{LEFT_OUT:.0%} of the articles) with {change}; Δ against the same training "
             "without, so each draw is a paired comparison.", "",
             "| training | sentences | " + " | ".join(f"{f.replace('_', ' ')} (Δ)" for f in FIGURES) + " |",
             "|---" * (len(FIGURES) + 2) + "|"]
    for (_, row), delta in zip(paired.iterrows(), differences):
        lines.append(f"| {row['training']} | {row['sentences']} | "
                     + " | ".join(f"{row[f]:.3f} ({d:+.3f})" for f, d in zip(FIGURES, delta)) + " |")
    draws = differences[1:]
    lines += [f"| Δ, mean of the {len(draws)} draws (sd) | | "
              + " | ".join(f"{m:+.3f} ({sd:.3f})" for m, sd in zip(draws.mean(axis=0), draws.std(axis=0, ddof=1)))
              + " |",
              "| draws where it gains | | " + " | ".join(f"{int((d > 0).sum())} of {len(d)}" for d in draws.T) + " |"]
    return lines


def main(draws: int, jobs: int, add: list[str], change: str | None = None) -> None:
    dev = dev_set_or_skip().gold
    model = load_model()
    changes, settings = settings_changes(change, model.settings) if change else ({}, model.settings)
    gold = trained_on(model, LABELS)
    seeds = gold[gold["provenance"] == "seed"].reset_index(drop=True)
    trainings = [("full", gold)] + [(f"draw {number} ({len(out)} articles out)", gold[~gold["article"].isin(out)])
                                    for number, out in enumerate(left_out_articles(gold, draws), start=1)]
    command = "python experiments/training_noise.py" + (f" --draws {draws}" if draws != 6 else "") \
        + "".join(f" --add {prefix}" for prefix in add) + (f" --change '{change}'" if change else "")
    plain = trainings  # the trainings training_noise.csv records, the twins of those with something added or changed
    if add:
        everything = load_gold(LABELS)
        extra = everything[everything["article"].str.startswith(tuple(add)) & ~everything["article"].isin(gold["article"])]
        unmatched = [prefix for prefix in add if not extra["article"].str.startswith(prefix).any()]
        if unmatched:
            sys.exit(f"Error: --add {unmatched[0]}: no labelled article outside the shipped model's training")
        trainings = [(f"{name} + {', '.join(add)}", pd.concat([training, extra], ignore_index=True))
                     for name, training in trainings]
    if changes:
        trainings = [(f"{name}, {json.dumps(changes)}", training) for name, training in trainings]
    if add or changes:
        base = recorded_base(plain, model.settings)
    proba = held_out_pairs([training for _, training in trainings], settings, dev, seeds, jobs, fit=held_out_proba)
    rows = [{"training": name, "sentences": len(training),
             **figures(dev, seeds, predicted_labels(on_dev), predicted_labels(on_seeds))}
            for (name, training), (on_dev, on_seeds) in zip(trainings, proba)]
    RESULTS.mkdir(parents=True, exist_ok=True)
    if add or changes:
        write_markdown(paired_name(add, changes), paired_report(base, pd.DataFrame(rows), add, command, changes))
        return
    bagged = [{task: np.mean([pair[side][task] for pair in proba[1:]], axis=0) for task in TASKS} for side in (0, 1)]
    table = pd.DataFrame(rows + [{"training": f"bag: mean probabilities of the {draws} draws", "sentences": "",
                                  **figures(dev, seeds, *map(predicted_labels, bagged))}])
    table["settings"] = settings_key(model.settings)
    table.to_csv(RESULTS / "training_noise.csv", index=False)
    write_markdown("training_noise.md", report(table, command))


def paired_name(prefixes: list[str], changes: dict | None = None) -> str:
    """The results file of the comparison for these added prefixes (named by the first) and changed settings."""
    parts = ([f"added_{prefixes[0]}"] if prefixes else []) + ([f"changed_{settings_named([changes])}"] if changes else [])
    return f"training_noise_{'_'.join(parts)}.md"


def settings_key(settings) -> str:
    """The settings as training_noise.csv records them: one JSON text."""
    return json.dumps(settings.to_dict(), sort_keys=True)


def recorded_base(trainings: list, settings) -> pd.DataFrame:
    """The figures training_noise.csv recorded for these trainings with these settings (nothing added, nothing
    changed); stops when it holds others, or was measured with other settings."""
    path = RESULTS / "training_noise.csv"
    recorded = pd.read_csv(path) if path.is_file() else pd.DataFrame(columns=["training", "sentences", "settings"])
    base = recorded.iloc[:len(trainings)]
    expected = [(name, len(training)) for name, training in trainings]
    if list(zip(base["training"], pd.to_numeric(base["sentences"]).astype(int))) != expected:
        sys.exit(f"Error: {path} does not hold these {len(trainings)} trainings; run this script without --add or "
                 "--change first")
    if "settings" not in base or set(base["settings"]) != {settings_key(settings)}:
        sys.exit(f"Error: {path} was measured with other settings than the shipped model's; run this script "
                 "without --add or --change first")
    return base.reset_index(drop=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draws", type=int, default=6, choices=range(2, 51), metavar="N",
                        help="training draws, each leaving out 5%% of the articles (2 to 50; default 6)")
    parser.add_argument("--jobs", type=int, default=2, choices=range(1, 9), metavar="N",
                        help="fit N models at a time, one process each (1 to 8; default 2)")
    parser.add_argument("--add", action="append", default=[], metavar="PREFIX",
                        help="also train every training with these left-out articles added (repeatable), and "
                             "report the paired differences: training_noise_added_<first prefix>.md")
    parser.add_argument("--change", metavar="JSON",
                        help="also train every training with these settings changed (a JSON object), and report the "
                             "paired differences: training_noise_changed_<the settings changed>.md")
    arguments = parser.parse_args()
    main(arguments.draws, arguments.jobs, arguments.add, arguments.change)
