"""`stance report` and `stance show`: a framing comparison report, and one article as a page."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from stance.cli.options import ARTICLES_ARGUMENT, JOBS_OPTION, MODEL_OPTION, OUTPUT_OPTION, chosen, format_option, notify
from stance.formats import REPORTS, Formats

PAGE = Formats(("html",), default="html", what="show (one HTML page)")


def report(
    paths: list[str] = ARTICLES_ARGUMENT,
    output: Optional[Path] = OUTPUT_OPTION,
    fmt: Optional[str] = format_option(REPORTS, "from -o's suffix, else html; html is one self-contained file, "
                                                "md is Markdown with SVG figures beside it (needs -o), csv the comparison table"),
    meta: Optional[Path] = typer.Option(None, "--meta", help="CSV or JSONL metadata: an 'article' column (file name without "
                                                             "extension) and any others, e.g. outlet, date, author."),
    by: Optional[str] = typer.Option(None, "--by",
                                     help="Compare groups of articles by this metadata column instead of single articles."),
    model: Optional[Path] = MODEL_OPTION,
    jobs: int = JOBS_OPTION,
) -> None:
    """Write a framing comparison report: table, charts, differences with intervals, and quoted evidence."""
    from stance.model import DEFAULT_MODEL
    from stance.report import report_on
    from stance.report.render import choose_report_format, write_report

    fmt = choose_report_format(fmt, output)
    built = report_on(paths, model or DEFAULT_MODEL, meta, by, jobs=jobs, notify=notify)
    for path in write_report(built, output, fmt):
        notify(f"Wrote {path}")


def show(
    paths: list[str] = ARTICLES_ARGUMENT,
    article: Optional[str] = typer.Option(None, "--id", help="The article to show when the inputs hold several."),
    output: Optional[Path] = OUTPUT_OPTION,
    model: Optional[Path] = MODEL_OPTION,
) -> None:
    """Write one article as a page: every sentence marked with its stance and frame, the profile above."""
    from stance.documents import readable_documents
    from stance.model import load_model
    from stance.output import write_text
    from stance.report.article import article_view, pick_document, render_article

    chosen(None, output, PAGE)  # an HTML page: refuse -o x.csv before scoring
    view = article_view(pick_document(readable_documents(paths, notify), article), load_model(model))
    write_text(render_article(view), output)
    if output is not None:
        notify(f"Wrote {output}")
