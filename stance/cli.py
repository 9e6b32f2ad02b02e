"""The `stance` command line: each command is a thin wrapper over a function of the package.

Exit codes: 0 success, 1 an input, label or model error (reported as one ``Error: …`` line on
standard error), 2 a usage error.
"""

from __future__ import annotations

import functools
import json
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(
    help="Stance and framing of French news about the Musk–OpenAI conflict, sentence by sentence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


FORMAT_OPTION = typer.Option(None, "--format", "-f", help="Output format (default: table on a terminal, else from -o's suffix, else jsonl).")
OUTPUT_OPTION = typer.Option(None, "--output", "-o", help="Write to this file instead of standard output.")
MODEL_OPTION = typer.Option(None, "--model", "-m", help="Model folder (default: the shipped model).")
LABELS_OPTION = typer.Option(Path("labels"), "--labels", help="Label directory (articles.csv and gold/).")
PROFILE_TABLE = ["article", "sentences", "stance_pro_musk", "stance_pro_openai", "stance_neutral",
                 "net_lean", "net_lean_low", "net_lean_high", "dominant_frame", "frame_none"]
SENTENCE_TABLE = ["article", "sentence", "stance", "frame", "p_stance_pro_musk", "p_stance_pro_openai", "text"]


def reports_errors(command):
    """Turn the package's expected errors into one ``Error: …`` line and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from stance.documents import InputError
        from stance.labels import LabelError
        from stance.model import ModelError

        try:
            return command(*args, **kwargs)
        except (InputError, LabelError, ModelError, OSError) as error:
            typer.echo(f"Error: {error}", err=True)
            raise typer.Exit(1) from None

    return wrapper


def emit(frame, fmt: Optional[Format], output: Optional[Path], table_columns: Optional[list[str]] = None) -> None:
    from stance.output import choose_format, render, write_text

    chosen = choose_format(fmt.value if fmt else None, output)
    write_text(render(frame, chosen, table_columns), output)


@app.command()
@reports_errors
def score(
    paths: list[str] = typer.Argument(..., help="Article files (.txt, .md), folders of articles, or - for standard input."),
    sentences: bool = typer.Option(False, "--sentences", help="One row per sentence instead of one profile per article."),
    fmt: Optional[Format] = FORMAT_OPTION,
    output: Optional[Path] = OUTPUT_OPTION,
    model: Optional[Path] = MODEL_OPTION,
) -> None:
    """Score articles: one framing profile per article, or one row per sentence."""
    from stance.documents import read_documents
    from stance.model import load_model
    from stance.profile import profiles
    from stance.scoring import score_sentences

    table = score_sentences(read_documents(paths), load_model(model))
    if sentences:
        emit(table, fmt, output, SENTENCE_TABLE)
    else:
        emit(profiles(table), fmt, output, PROFILE_TABLE)


@app.command()
@reports_errors
def train(
    labels: Path = LABELS_OPTION,
    out: Path = typer.Option(Path("stance/models/default"), "--out", help="Model folder to write."),
    evaluate: bool = typer.Option(True, "--evaluate/--no-evaluate", help="Record grouped and seed-holdout figures in the model."),
    fmt: Optional[Format] = FORMAT_OPTION,
) -> None:
    """Fit the stance and frame classifiers on the gold labels and save the model folder."""
    from stance.training import train as train_model

    config = train_model(labels, out, evaluate_model=evaluate)
    typer.echo(f"Saved model to {out} ({config['training']['sentences']} sentences).", err=True)
    if fmt in (Format.json, Format.jsonl):
        typer.echo(json.dumps(config["metrics"], ensure_ascii=False, indent=2 if fmt == Format.json else None))


@app.command()
@reports_errors
def evaluate(
    labels: Path = LABELS_OPTION,
    folds: int = typer.Option(5, "--folds", min=2, help="Number of article groups."),
    holdout: Optional[str] = typer.Option(None, "--holdout", help="Train without this provenance (e.g. seed) and test on it."),
    fmt: Optional[Format] = FORMAT_OPTION,
    output: Optional[Path] = OUTPUT_OPTION,
) -> None:
    """Grouped cross-validation (folds by article): precision, recall, F1 and confusion matrices."""
    from stance.evaluate import evaluate as run_evaluation
    from stance.output import choose_format, write_text

    result = run_evaluation(labels, folds=folds, holdout=holdout)
    chosen = choose_format(fmt.value if fmt else None, output)
    if chosen == "table":
        write_text(evaluation_text(result), output)
    else:
        emit(evaluation_rows(result), fmt, output)


@app.command()
@reports_errors
def explain(
    sentence: str = typer.Argument(..., help="The sentence to explain (- reads it from standard input)."),
    top: int = typer.Option(8, "--top", min=1, help="Terms to show per task."),
    fmt: Optional[Format] = FORMAT_OPTION,
    output: Optional[Path] = OUTPUT_OPTION,
    model: Optional[Path] = MODEL_OPTION,
) -> None:
    """Show the terms that pushed a sentence toward its stance and frame."""
    import sys

    from stance.explain import explain_sentence
    from stance.model import load_model

    text = sys.stdin.read().strip() if sentence == "-" else sentence
    emit(explain_sentence(load_model(model), text, top), fmt, output)


def evaluation_rows(result: dict):
    """The evaluation as one row per task and label (macro rows included), for json/jsonl/csv."""
    import pandas as pd

    rows = []
    for task, metrics in result["tasks"].items():
        for label, figures in metrics["per_label"].items():
            confusion = dict(zip(metrics["labels"], metrics["confusion"][metrics["labels"].index(label)]))
            rows.append({"task": task, "label": label, **figures, "predicted_as": confusion})
        rows.append({"task": task, "label": "macro", "f1": metrics["macro_f1"], "accuracy": metrics["accuracy"],
                     "support": result["sentences"]})
    return pd.DataFrame(rows)


def evaluation_text(result: dict) -> str:
    """The evaluation as a terminal report."""
    import pandas as pd

    parts = [f"{result['protocol']}: {result['sentences']} sentences, {result['articles']} articles\n"]
    for task, metrics in result["tasks"].items():
        table = pd.DataFrame(metrics["per_label"]).T
        confusion = pd.DataFrame(metrics["confusion"], index=metrics["labels"], columns=metrics["labels"])
        parts.append(f"\n{task}: macro-F1 {metrics['macro_f1']:.3f}, accuracy {metrics['accuracy']:.3f}\n")
        parts.append(table.to_string(float_format=lambda x: f"{x:.3f}") + "\n")
        parts.append("confusion (rows: gold, columns: predicted)\n" + confusion.to_string() + "\n")
    return "".join(parts)


def main() -> None:
    app()
