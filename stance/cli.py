"""The `stance` command line: each command is a thin wrapper over a function of the package.

Exit codes: 0 success; 1 the command could not do its job (an input, label, model or output error,
reported as one ``Error: …`` line on standard error); 2 a usage error; 3 some documents could not be
scored (each named in a ``Warning: …`` line and present in the output with an ``error``).
Inputs that hold no document at all (an empty corpus file) are not an error: exit 0, with a
``Warning: no documents…`` line and an output with no rows (a CSV header, a Parquet schema, ``[]``).
"""

from __future__ import annotations

import functools
import json
import warnings
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
    parquet = "parquet"


FORMAT_OPTION = typer.Option(None, "--format", "-f", help="Output format (default: table on a terminal, else from -o's suffix, else jsonl).")
OUTPUT_OPTION = typer.Option(None, "--output", "-o", help="Write to this regular file instead of standard output (- is standard output).",
                             callback=lambda output: None if output == Path("-") else output)
MODEL_OPTION = typer.Option(None, "--model", "-m", help="Model folder (default: the shipped model).")
JOBS_OPTION = typer.Option(1, "--jobs", "-j", min=1, help="Score in this many processes.")
LABELS_OPTION = typer.Option(Path("labels"), "--labels", help="Label directory (articles.csv and gold/).")


def reports_errors(command):
    """Turn the package's expected errors into one ``Error: …`` line and exit code 1, and library
    warnings (numpy, scikit-learn, matplotlib…) into one ``Warning: …`` line each."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from stance.destination import OutputError
        from stance.documents import InputError
        from stance.annotation.labels import LabelError
        from stance.model import ModelError

        try:
            with warnings.catch_warnings():
                warnings.showwarning = warning_line
                return command(*args, **kwargs)
        except (InputError, LabelError, ModelError, OutputError, OSError) as error:
            typer.echo(f"Error: {error}", err=True)
            raise typer.Exit(1) from None

    return wrapper


def warning_line(message, category, filename, lineno, file=None, line=None) -> None:
    """Show a Python warning as one ``Warning:`` line on standard error (no source file, no code)."""
    typer.echo(f"Warning: {' '.join(str(message).split())} ({category.__name__})", err=True)


def readable_documents(paths: list[str]):
    """The documents of ``paths`` that can be scored; the others are named in a Warning line."""
    from stance.documents import read_documents

    for document in read_documents(paths, notify=functools.partial(typer.echo, err=True)):
        for problem in document.warnings + ((f"{document.error} (left out)",) if document.error else ()):
            typer.echo(f"Warning: {document.source or document.id}: {problem}", err=True)
        if document.error is None:
            yield document


def emit(frame, fmt: Optional[Format], output: Optional[Path], table_columns: Optional[list[str]] = None) -> None:
    from stance.output import choose_format, render, write_text

    chosen = choose_format(fmt.value if fmt else None, output)
    write_text(render(frame, chosen, table_columns), output)


@app.command()
@reports_errors
def score(
    paths: list[str] = typer.Argument(..., help="Articles (.txt, .md, .html), folders, corpus files (.jsonl, .csv, .parquet with id and text columns), or - for standard input."),
    sentences: bool = typer.Option(False, "--sentences", help="One row per sentence instead of one profile per article."),
    fmt: Optional[Format] = FORMAT_OPTION,
    output: Optional[Path] = OUTPUT_OPTION,
    model: Optional[Path] = MODEL_OPTION,
    jobs: int = JOBS_OPTION,
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Score on this Dask scheduler (needs stance[dask])."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted run into -o, skipping finished articles."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary (Warning lines are still printed)."),
) -> None:
    """Score articles: one framing profile per article, or one row per sentence."""
    import sys

    from stance.model import DEFAULT_MODEL
    from stance.output import choose_format
    from stance.run import run_scoring

    if scheduler and jobs > 1:
        raise typer.BadParameter("use --jobs or --scheduler, not both")
    notify = functools.partial(typer.echo, err=True)
    summary = run_scoring(
        paths, model or DEFAULT_MODEL, choose_format(fmt.value if fmt else None, output), output,
        sentences=sentences, jobs=jobs, scheduler=scheduler, resume=resume,
        progress=not quiet and sys.stderr.isatty(), notify=notify)
    if summary.scored == 0 and summary.failed:
        typer.echo("Error: no document could be scored", err=True)
        raise typer.Exit(1)
    if not quiet and (summary.failed or summary.warned or summary.skipped or summary.scored > 1):
        notify(summary.line())
    if summary.failed:
        raise typer.Exit(3)


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


label_app = typer.Typer(
    help="The annotation loop: export sentences to label, import the labels, pick what to label next, measure agreement; "
         "the annotators' tool (template, fill, check, realign); gold from the passes.",
    no_args_is_help=True,
)
app.add_typer(label_app, name="label")


class LabelFormat(str, Enum):
    csv = "csv"
    label_studio = "label-studio"
    doccano = "doccano"


ARTICLES_ARGUMENT = typer.Argument(..., help="Articles (.txt, .md, .html), folders, corpus files (.jsonl, .csv, .parquet), or - for standard input.")
LABEL_FORMAT_OPTION = typer.Option(None, "--format", "-f", help="Annotation format (default: from the suffix: .csv csv, .json label-studio, .jsonl doccano).")
EXPORT_OPTION = typer.Option(..., "--output", "-o", help="File to write (.csv, .json or .jsonl); its side file is written beside it.")


def export_for_labelling(paths: list[str], output: Path, fmt: Optional[LabelFormat], model: Optional[Path],
                         pick=None) -> None:
    """Score articles, keep every sentence (or those ``pick`` chooses from the table), write the export."""
    from stance.annotation.export import export_sentences, suggestions
    from stance.model import load_model

    loaded = load_model(model)
    table, texts = suggestions(readable_documents(paths), loaded)
    if pick is not None:
        table = pick(table)
    written = export_sentences(table, texts, output, fmt.value if fmt else None, loaded.config.get("name", "stance"))
    typer.echo(f"Exported {len(table)} sentences of {table['article'].nunique()} articles to {', '.join(map(str, written))}.", err=True)


@label_app.command("export")
@reports_errors
def label_export(
    paths: list[str] = ARTICLES_ARGUMENT,
    output: Path = EXPORT_OPTION,
    fmt: Optional[LabelFormat] = LABEL_FORMAT_OPTION,
    model: Optional[Path] = MODEL_OPTION,
) -> None:
    """Export every sentence of new articles, with the model's suggested labels and uncertainty, for labelling."""
    export_for_labelling(paths, output, fmt, model)


@label_app.command("suggest")
@reports_errors
def label_suggest(
    paths: list[str] = ARTICLES_ARGUMENT,
    n: int = typer.Option(50, "--n", min=1, help="Number of sentences to pick."),
    similarity: float = typer.Option(0.6, "--similarity", min=0.0, max=1.0, help="Skip a sentence whose TF-IDF cosine similarity to one already picked is above this."),
    output: Path = EXPORT_OPTION,
    fmt: Optional[LabelFormat] = LABEL_FORMAT_OPTION,
    model: Optional[Path] = MODEL_OPTION,
) -> None:
    """Export the sentences worth labelling next: the most uncertain, without near-duplicates."""
    from stance.annotation.export import most_uncertain

    export_for_labelling(paths, output, fmt, model, lambda table: most_uncertain(table, n, similarity))


@label_app.command("import")
@reports_errors
def label_import(
    path: Path = typer.Argument(..., help="A labelled export: CSV, Label Studio JSON or doccano JSONL."),
    labels: Path = LABELS_OPTION,
    fmt: Optional[LabelFormat] = LABEL_FORMAT_OPTION,
    annotator: Optional[str] = typer.Option(None, "--annotator", help="Annotator of every row (default: the one the file names)."),
    provenance: str = typer.Option("imported", "--provenance", help="Provenance of every row."),
) -> None:
    """Check labelled sentences and merge them into the gold labels; differing labels go to conflicts/."""
    from stance.annotation.importing import import_labels

    report = import_labels(path, labels, fmt.value if fmt else None, annotator, provenance)
    for line in report.warnings:
        typer.echo(f"Warning: {line}", err=True)
    for line in report.conflicts:
        typer.echo(f"Conflict: {line}", err=True)
    typer.echo(f"Imported {report.added} new labels into {labels} ({report.unchanged} already in gold, "
               f"{len(report.conflicts)} conflicts, {len(report.warnings)} rows left out).", err=True)


@label_app.command("agreement")
@reports_errors
def label_agreement(
    first: Path = typer.Argument(..., help="First annotation file (any format import reads, or a gold CSV)."),
    second: Path = typer.Argument(..., help="Second annotation file."),
    fmt: Optional[Format] = FORMAT_OPTION,
    output: Optional[Path] = OUTPUT_OPTION,
) -> None:
    """Cohen's kappa per dimension, per-label agreement, confusion matrices and the disagreements.

    table and json give the whole report; jsonl and csv give the disagreements to adjudicate.
    """
    from stance.annotation.agreement import agreement_report, agreement_summary, compare_annotations
    from stance.output import choose_format, records, write_text

    result, differ, warnings = compare_annotations(first, second)
    for line in warnings:
        typer.echo(f"Warning: {line}", err=True)
    chosen = choose_format(fmt.value if fmt else None, output)
    if chosen == "table":
        write_text(agreement_report(result, differ), output)
        return
    typer.echo(agreement_summary(result, differ), err=True)
    if chosen == "json":
        write_text(json.dumps({**result, "disagreements": records(differ)}, ensure_ascii=False, indent=2) + "\n", output)
    else:
        emit(differ, fmt, output)


LABEL_FILE_ARGUMENT = typer.Argument(..., help="The article's label file (CSV, one row per sentence).")
TEXT_ARGUMENT = typer.Argument(..., help="The article's text file (its name without suffix is the article id).")


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
    import sys

    from stance.annotation.tool import fill

    if decisions == "-":
        filled = fill(out, sys.stdin)
    else:
        with open(decisions, encoding="utf-8") as handle:
            filled = fill(out, handle, decisions)
    typer.echo(f"{out}: {filled} sentences labelled", err=True)


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
        typer.echo(f"Conflict: {line}", err=True)
    typer.echo(f"Gold: {report.sentences} sentences in {report.articles} articles from the passes "
               f"({report.adjudicated} adjudicated, {report.kept} imported labels kept); "
               f"{len(report.changed)} files changed.", err=True)


class ReportFormat(str, Enum):
    html = "html"
    md = "md"
    csv = "csv"


@app.command()
@reports_errors
def report(
    paths: list[str] = ARTICLES_ARGUMENT,
    output: Optional[Path] = OUTPUT_OPTION,
    fmt: Optional[ReportFormat] = typer.Option(None, "--format", "-f", help="html (one self-contained file), md (Markdown with SVG figures beside it; needs -o) or csv (the comparison table); default: from -o's suffix, else html."),
    meta: Optional[Path] = typer.Option(None, "--meta", help="CSV or JSONL metadata: an 'article' column (file name without extension) and any others, e.g. outlet, date, author."),
    by: Optional[str] = typer.Option(None, "--by", help="Compare groups of articles by this metadata column instead of single articles."),
    model: Optional[Path] = MODEL_OPTION,
    jobs: int = JOBS_OPTION,
) -> None:
    """Write a framing comparison report: table, charts, differences with intervals, and quoted evidence."""
    from stance.model import DEFAULT_MODEL
    from stance.report import build_report, score_for_report
    from stance.report.meta import check_by, missing_label, read_meta
    from stance.report.render import check_destination, choose_report_format, write_report
    from stance.scoring import cached_model

    chosen = choose_report_format(fmt.value if fmt else None, output)
    check_destination(chosen, output)
    table = read_meta(meta) if meta else None
    check_by(table, by or "article")
    model_dir = model or DEFAULT_MODEL
    config = cached_model(str(model_dir)).config  # refuse a bad model before reading anything
    sentences, quotes = score_for_report(readable_documents(paths), model_dir, jobs=jobs)
    built = build_report(sentences, config, table, by, quotes=quotes, rates=cached_model(str(model_dir)).rates)
    if built.missing:
        missing = ", ".join(built.missing)
        group = f"; they form the group '{missing_label(built.by)}'" if built.grouped else ""
        typer.echo(f"Warning: {len(built.missing)} article(s) not in {meta}: {missing}{group}", err=True)
    for path in write_report(built, output, chosen):
        typer.echo(f"Wrote {path}", err=True)


@app.command()
@reports_errors
def show(
    paths: list[str] = ARTICLES_ARGUMENT,
    article: Optional[str] = typer.Option(None, "--id", help="The article to show when the inputs hold several."),
    output: Optional[Path] = OUTPUT_OPTION,
    model: Optional[Path] = MODEL_OPTION,
) -> None:
    """Write one article as a page: every sentence marked with its stance and frame, the profile above."""
    from stance.model import load_model
    from stance.output import write_text
    from stance.report.article import article_view, pick_document, render_article

    loaded = load_model(model)
    write_text(render_article(article_view(pick_document(readable_documents(paths), article), loaded)), output)
    if output is not None:
        typer.echo(f"Wrote {output}", err=True)


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
