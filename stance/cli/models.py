"""`stance train`, `stance evaluate` and `stance explain`: fitting, measuring and reading a model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from stance.cli.options import (EXCLUDE_OPTION, LABELS_OPTION, MODEL_OPTION, OUTPUT_OPTION, TABLE_DEFAULT, chosen, emit,
                                format_option, notify)
from stance.evaluate import DEFAULT_FOLDS
from stance.explain import DEFAULT_TERMS
from stance.formats import TABLES, Formats

METRICS = Formats(("json", "jsonl"), what="train (its evaluation figures)")


def train(
    labels: Path = LABELS_OPTION,
    out: Path = typer.Option(..., "--out", help="Model folder to write: a new folder or a model folder to "
                                                   "replace (required, so that no shipped model is replaced by accident)."),
    evaluate: bool = typer.Option(True, "--evaluate/--no-evaluate", help="Record grouped and seed-holdout figures in the model."),
    settings: Optional[Path] = typer.Option(None, "--settings", help="JSON object of settings (stance.model.Settings); "
                                            "those it leaves out take the shipped model's defaults."),
    name: str = typer.Option("stance-default", "--name", help="The model's name, recorded in its card."),
    exclude: list[str] = EXCLUDE_OPTION,
    fmt: Optional[str] = format_option(METRICS, "none: print nothing"),
) -> None:
    """Fit the stance and frame classifiers on the gold labels and save the model folder."""
    from stance.training import read_settings
    from stance.training import train as train_model

    if fmt is not None:
        chosen(fmt, None, METRICS)
    chosen_settings = read_settings(settings) if settings is not None else None
    config = train_model(labels, out, chosen_settings, evaluate_model=evaluate, name=name, exclude=exclude)
    notify(f"Saved model to {out} ({config['training']['sentences']} sentences).")
    if fmt is not None:
        emit(None, fmt, None, METRICS, special={
            "json": lambda: json.dumps(config["metrics"], ensure_ascii=False, indent=2) + "\n",
            "jsonl": lambda: json.dumps(config["metrics"], ensure_ascii=False) + "\n"})


def evaluate(
    labels: Path = LABELS_OPTION,
    folds: int = typer.Option(DEFAULT_FOLDS, "--folds", min=2, help="Number of article groups."),
    holdout: Optional[str] = typer.Option(None, "--holdout", help="Train without this provenance (e.g. seed) and test on it."),
    exclude: list[str] = EXCLUDE_OPTION,
    fmt: Optional[str] = format_option(TABLES, TABLE_DEFAULT),
    output: Optional[Path] = OUTPUT_OPTION,
) -> None:
    """Grouped cross-validation (folds by article): precision, recall, F1 and confusion matrices."""
    from stance.evaluate import evaluate as run_evaluation
    from stance.evaluate import evaluation_rows, evaluation_text

    fmt = chosen(fmt, output, TABLES)
    result = run_evaluation(labels, folds=folds, holdout=holdout, exclude=exclude)
    if fmt == "table":
        emit(None, fmt, output, special={"table": lambda: evaluation_text(result)})
    else:
        emit(evaluation_rows(result), fmt, output)


def explain(
    sentence: str = typer.Argument(..., help="The sentence to explain (- reads it from standard input)."),
    top: int = typer.Option(DEFAULT_TERMS, "--top", min=1, help="Terms to show per task."),
    fmt: Optional[str] = format_option(TABLES, TABLE_DEFAULT),
    output: Optional[Path] = OUTPUT_OPTION,
    model: Optional[Path] = MODEL_OPTION,
) -> None:
    """Show the terms that pushed a sentence toward its stance and frame."""
    from stance.explain import explain_sentence
    from stance.model import load_model

    fmt = chosen(fmt, output, TABLES)
    text = sentence_text(sentence)
    emit(explain_sentence(load_model(model), text, top), fmt, output)


def sentence_text(sentence: str) -> str:
    """The sentence to explain: the argument, or standard input for ``-``; InputError when there is none."""
    from stance.documents import STDIN, DocumentError, InputError, decoded_text, standard_input

    text = sentence
    if sentence == STDIN:
        data = standard_input()
        try:
            text = decoded_text(data)[0] if data.strip() else ""
        except DocumentError as error:
            raise InputError(f"standard input: {error}") from None
    if not text.strip():
        raise InputError("no sentence to explain")
    return text.strip()
