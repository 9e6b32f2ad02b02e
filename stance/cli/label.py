"""`stance label …`: the annotation loop and the annotators' tool."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from stance.annotation.export import DEFAULT_SIMILARITY, DEFAULT_SUGGESTIONS
from stance.cli.options import (ARTICLES_ARGUMENT, LABELS_OPTION, MODEL_OPTION, OUTPUT_OPTION, TABLE_DEFAULT, chosen, emit,
                                format_option, notify, reports_errors)
from stance.formats import LABELS, TABLES

label_app = typer.Typer(
    help="The annotation loop: export sentences to label, import the labels, pick what to label next, measure agreement; "
         "the annotators' tool (template, fill, check, realign); gold from the passes.",
    no_args_is_help=True,
)

LABEL_FORMAT_OPTION = format_option(LABELS, "from the suffix: .csv csv, .json label-studio, .jsonl doccano")
EXPORT_OPTION = typer.Option(..., "--output", "-o",
                             help="File to write (.csv, .json or .jsonl); its side file is written beside it.")
LABEL_FILE_ARGUMENT = typer.Argument(..., help="The article's label file (CSV, one row per sentence).")
TEXT_ARGUMENT = typer.Argument(..., help="The article's text file (its name without suffix is the article id).")


@label_app.command("export")
@reports_errors
def label_export(
    paths: list[str] = ARTICLES_ARGUMENT,
    output: Path = EXPORT_OPTION,
    fmt: Optional[str] = LABEL_FORMAT_OPTION,
    model: Optional[Path] = MODEL_OPTION,
) -> None:
    """Export every sentence of new articles, with the model's suggested labels and uncertainty, for labelling."""
    from stance.annotation.export import export_for_labelling

    notify(export_for_labelling(paths, output, chosen(fmt, output, LABELS), model, notify=notify))


@label_app.command("suggest")
@reports_errors
def label_suggest(
    paths: list[str] = ARTICLES_ARGUMENT,
    n: int = typer.Option(DEFAULT_SUGGESTIONS, "--n", min=1, help="Number of sentences to pick."),
    similarity: float = typer.Option(DEFAULT_SIMILARITY, "--similarity", min=0.0, max=1.0,
                                     help="Skip a sentence whose TF-IDF cosine similarity to one already picked is above this."),
    output: Path = EXPORT_OPTION,
    fmt: Optional[str] = LABEL_FORMAT_OPTION,
    model: Optional[Path] = MODEL_OPTION,
) -> None:
    """Export the sentences worth labelling next: the most uncertain, without near-duplicates."""
    from stance.annotation.export import export_for_labelling, most_uncertain

    notify(export_for_labelling(paths, output, chosen(fmt, output, LABELS), model,
                                lambda table: most_uncertain(table, n, similarity), notify))


@label_app.command("import")
@reports_errors
def label_import(
    path: Path = typer.Argument(..., help="A labelled export: CSV, Label Studio JSON or doccano JSONL."),
    labels: Path = LABELS_OPTION,
    fmt: Optional[str] = LABEL_FORMAT_OPTION,
    annotator: Optional[str] = typer.Option(None, "--annotator",
                                            help="Annotator of every row (default: the one the file names)."),
    provenance: str = typer.Option("imported", "--provenance", help="Provenance of every row."),
) -> None:
    """Check labelled sentences and merge them into the gold labels; differing labels go to conflicts/."""
    from stance.annotation.importing import import_labels

    if fmt is not None:
        chosen(fmt, path, LABELS)
    report = import_labels(path, labels, fmt, annotator, provenance)
    for line in report.warnings:
        notify(f"Warning: {line}")
    for line in report.conflicts:
        notify(f"Conflict: {line}")
    notify(f"Imported {report.added} new labels into {labels} ({report.unchanged} already in gold, "
           f"{len(report.conflicts)} conflicts, {len(report.warnings)} rows left out).")


@label_app.command("agreement")
@reports_errors
def label_agreement(
    first: Path = typer.Argument(..., help="First annotation file (any format import reads, or a gold CSV)."),
    second: Path = typer.Argument(..., help="Second annotation file."),
    fmt: Optional[str] = format_option(TABLES, TABLE_DEFAULT),
    output: Optional[Path] = OUTPUT_OPTION,
) -> None:
    """Cohen's kappa per dimension, per-label agreement, confusion matrices and the disagreements.

    table and json give the whole report; jsonl, csv and parquet give the disagreements to adjudicate.
    """
    from stance.annotation.agreement import agreement_report, agreement_summary, compare_annotations
    from stance.output import records

    fmt = chosen(fmt, output, TABLES)
    result, differ, warnings = compare_annotations(first, second)
    for line in warnings:
        notify(f"Warning: {line}")
    if fmt != "table":
        notify(agreement_summary(result, differ))
    emit(differ, fmt, output, special={
        "table": lambda: agreement_report(result, differ),
        "json": lambda: json.dumps({**result, "disagreements": records(differ)}, ensure_ascii=False, indent=2) + "\n"})


@label_app.command("template")
@reports_errors
def label_template(
    text: Path = TEXT_ARGUMENT,
    out: Path = typer.Argument(..., help="Label file to create (never overwritten)."),
    annotator: str = typer.Option(..., "--annotator", help="Who labels this article."),
    provenance: str = typer.Option("written", "--provenance", help="Provenance of every row."),
) -> None:
    """Cut an article into sentences as the model will; write an unlabelled label file; print each sentence and its index."""
    from stance.annotation.tool import template

    for row in template(text, out, annotator, provenance):
        typer.echo(f"{row['sentence']}\t{row['text']}")


@label_app.command("fill")
@reports_errors
def label_fill(
    out: Path = LABEL_FILE_ARGUMENT,
    decisions: str = typer.Argument("-", help="File of INDEX STANCE FRAME lines, or - for standard input."),
) -> None:
    """Write the annotator's decisions (one INDEX STANCE FRAME line per sentence) into a label file."""
    from stance.annotation.tool import decision_lines, fill

    filled = fill(out, decision_lines(decisions), "standard input" if decisions == "-" else decisions)
    notify(f"{out}: {filled} sentences labelled")


@label_app.command("check")
@reports_errors
def label_check(out: Path = LABEL_FILE_ARGUMENT, text: Path = TEXT_ARGUMENT) -> None:
    """Check a label file against its article: every sentence in place and labelled with known labels."""
    from stance.annotation.tool import check

    typer.echo(f"{out}: ok, {check(out, text)} sentences")


@label_app.command("realign")
@reports_errors
def label_realign(out: Path = LABEL_FILE_ARGUMENT, text: Path = TEXT_ARGUMENT) -> None:
    """Move a label file's offsets to the current splitter's cut, keeping every label (after a splitter change)."""
    from stance.annotation.tool import realign

    typer.echo(f"{out}: {realign(out, text)} sentences realigned")


@label_app.command("gold")
@reports_errors
def label_gold(labels: Path = LABELS_OPTION) -> None:
    """Build gold/ from pass A and adjudication.csv; labels merged by `stance label import` are kept."""
    from stance.annotation.gold import build_gold

    report = build_gold(labels)
    for line in report.conflicts:
        notify(f"Conflict: {line}")
    notify(f"Gold: {report.sentences} sentences in {report.articles} articles from the passes "
           f"({report.adjudicated} adjudicated, {report.kept} imported labels kept); {len(report.changed)} files changed.")
