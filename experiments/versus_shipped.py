"""Candidate settings against a shipped model's settings, on real coverage and by grouped CV.

    python experiments/versus_shipped.py [--model embeddings] CHANGES [CHANGES ...]

Each CHANGES is a JSON object of settings (stance.model.Settings) that changes the shipped model's
(the default model's, or with ``--model`` another shipped model's), e.g. '{"speakers": true}'. The
shipped settings and every candidate are trained on the repository's
labels only and measured on the real development set (macro-F1 and per-class F1), on the seeds
(trained without them) and by grouped cross-validation, with their scoring speed on the development
texts; each difference to the shipped settings comes with a 95% paired bootstrap over articles on
the development set, the seeds and both pooled. Skips when the development texts are absent.
Writes experiments/results/versus_shipped_<the settings changed>.md, e.g. versus_shipped_speakers.md
(versus_<model>_<the settings changed>.md against another shipped model).
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import fields

import numpy as np
import pandas as pd

from stance.encoder import forget
from stance.evaluate import evaluate_gold, fit_labels, model_proba, predicted_labels, provenance_split
from stance.model import Model, Settings, load_model, shipped_models
from stance.training import trained_on
from stance.paths import LABELS
from stance.schema import TASKS
from dev_set import dev_set_or_skip
from tables import delta_rows, training_row, write_markdown

SHIPPED = "shipped settings"


def compare(shipped: Model, candidates: dict[str, Settings], results_file: str, heading: str, command: str) -> None:
    """Measure the shipped model's settings and each candidate; write the tables to experiments/results/``results_file``."""
    dev = dev_set_or_skip().gold
    gold = trained_on(shipped, LABELS)  # the labels the shipped model was trained on
    unseeded, seeds = provenance_split(gold, "seed")
    candidates = {SHIPPED: shipped.settings, **candidates}
    lines = [f"# {heading}", "", f"`{command}`; macro-F1; Δ against the shipped settings with a 95% paired bootstrap "
             "over articles; speed: development sentences scored per second (features, both passes) after a "
             "warm-up, no embedding remembered from training.", "",
             "| candidate | dev stance | dev frame | seeds stance | seeds frame | grouped CV stance | grouped CV frame "
             "| sentences/s | dev per class |", "|---" * 9 + "|"]
    pooled = pd.concat([dev, seeds], ignore_index=True)  # every held-out real sentence: the development set, then the seeds
    predicted, deltas = {}, ["| candidate | task | Δ dev | Δ seeds | Δ dev and seeds pooled |", "|---" * 5 + "|"]
    for name, settings in candidates.items():
        model = fit_labels(gold, settings)
        model_proba(model, dev.head(20))
        forget()
        start = time.perf_counter()
        on_dev = predicted_labels(model_proba(model, dev))
        speed = len(dev) / (time.perf_counter() - start)
        on_seeds = predicted_labels(model_proba(fit_labels(unseeded, settings), seeds))
        predicted[name] = {task: np.concatenate([on_dev[task], on_seeds[task]]) for task in TASKS}
        grouped = evaluate_gold(gold, settings)["tasks"]
        lines.append(training_row([name], dev, seeds, on_dev, on_seeds,
                                  after=[*(f"{grouped[task]['macro_f1']:.3f}" for task in TASKS), f"{speed:,.0f}"]))
        if name != SHIPPED:
            deltas += delta_rows(name, pooled, len(dev), predicted[SHIPPED], predicted[name])
        print(lines[-1], flush=True)
    lines += ["", *deltas]
    write_markdown(results_file, lines)


def changes(argument: str, shipped: Settings) -> tuple[dict, Settings]:
    """A CHANGES argument as (the changes, the shipped settings with them); a bad one stops with one Error line."""
    try:
        data = json.loads(argument)
        if not isinstance(data, dict) or not data:
            raise ValueError("expected a non-empty JSON object of settings")
        return data, shipped.with_changes(**data)
    except ValueError as error:
        sys.exit(f"Error: {argument!r:.80}: {error}")


def against(model: str) -> tuple[str, str, list[str]]:
    """How a comparison names the shipped model it starts from: its results file's prefix, its heading's
    ending and its command-line option (the default model's are the plain ones)."""
    if model == "default":
        return "versus_shipped_", "", []
    return f"versus_{model}_", f" (the {model} model's)", ["--model", model]


def results_name(changed: list[dict], model: str = "default") -> str:
    """The results file of a comparison, named by the shipped model it starts from (none for the default)
    and the settings its candidates change."""
    return against(model)[0] + settings_named(changed) + ".md"


def settings_named(changed: list[dict]) -> str:
    """The settings these changes touch, in Settings' order, joined by underscores (for a file name)."""
    keys = set().union(*changed)
    return "_".join(field.name for field in fields(Settings) if field.name in keys)


def arguments(argv: list[str]) -> tuple[str, list[str]]:
    """The command line as (the shipped model to start from, the CHANGES); a bad one stops with one Error line."""
    model = "default"
    if argv[:1] == ["--model"]:
        if len(argv) < 2 or argv[1] not in shipped_models():
            sys.exit(f"Error: --model takes a shipped model's name: {', '.join(shipped_models())}")
        model, argv = argv[1], argv[2:]
    if not argv:
        sys.exit("Error: give at least one JSON object of settings to change, e.g. '{\"speakers\": true}'")
    return model, argv


if __name__ == "__main__":
    name, changed = arguments(sys.argv[1:])
    shipped_model = load_model(name)
    candidates = [changes(argument, shipped_model.settings) for argument in changed]
    compare(shipped_model, {f"+ {json.dumps(data, ensure_ascii=False)}": settings for data, settings in candidates},
            results_name([data for data, _ in candidates], name),
            "Candidate settings against the shipped ones" + against(name)[1],
            " ".join(["python experiments/versus_shipped.py", *against(name)[2], *(f"'{a}'" for a in changed)]))
