"""`stance score`: one framing profile per article, or one row per sentence."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from stance.cli.options import JOBS_OPTION, MODEL_OPTION, OUTPUT_OPTION, TABLE_DEFAULT, chosen, format_option, notify
from stance.formats import TABLES


def score(
    paths: list[str] = typer.Argument(..., help="Articles (.txt, .md, .html), folders, corpus files (.jsonl, .csv, .parquet "
                                                "with id and text columns), or - for standard input."),
    sentences: bool = typer.Option(False, "--sentences", help="One row per sentence instead of one profile per article."),
    fmt: Optional[str] = format_option(TABLES, TABLE_DEFAULT),
    output: Optional[Path] = OUTPUT_OPTION,
    model: Optional[Path] = MODEL_OPTION,
    jobs: int = JOBS_OPTION,
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Score on this Dask scheduler (needs stance\\[dask])."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted run into -o, skipping finished articles."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary (Warning lines are still printed)."),
) -> None:
    """Score articles: one framing profile per article, or one row per sentence."""
    import sys

    from stance.model import DEFAULT_MODEL
    from stance.run import run_scoring

    if scheduler and jobs > 1:
        raise typer.BadParameter("use --jobs or --scheduler, not both")
    summary = run_scoring(
        paths, model or DEFAULT_MODEL, chosen(fmt, output, TABLES), output,
        sentences=sentences, jobs=jobs, scheduler=scheduler, resume=resume,
        progress=not quiet and sys.stderr.isatty(), notify=notify)
    if summary.scored == 0 and summary.failed:
        typer.echo("Error: no document could be scored", err=True)
        raise typer.Exit(1)
    if not quiet and (summary.failed or summary.warned or summary.skipped or summary.scored > 1):
        notify(summary.line())
    if summary.failed:
        raise typer.Exit(3)
