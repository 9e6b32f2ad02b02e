"""The `stance` command line: each command is a few lines over a function of the package.

Exit codes: 0 success; 1 the command could not do its job (an input, label, model or output error,
or a ``--format`` or ``-o`` suffix the command does not write, or Parquet without ``-o``: each
reported as one ``Error: …`` line on standard error); 2 a usage error found by the option parser
(an unknown option, a missing argument, a number out of range: one ``Error: …`` line that names the
command's ``--help``); 3 some documents could not be scored (each named in a
``Warning: …`` line and present in the output with an ``error``). Inputs that hold no document at
all (an empty corpus file, an empty or closed standard input) are not an error: exit 0, with a
``Warning: no documents…`` line and an output with no rows (a CSV header, a Parquet schema, ``[]``).

Formats each command writes (stance.formats; the default comes from ``-o``'s suffix when it names one):

- score, evaluate, explain, label agreement: table, json, jsonl, csv, parquet (parquet needs ``-o``);
- train: json or jsonl (the evaluation figures), or nothing without ``--format``;
- report: html, md (needs ``-o``), csv; show: one HTML page;
- label export and suggest (and the file label import reads): csv, label-studio, doccano.
"""

from __future__ import annotations

from collections.abc import Callable

import typer

from stance.cli import label, models, report, score
from stance.cli.options import OneLineUsageErrors, reports_errors

app = typer.Typer(
    cls=OneLineUsageErrors,
    help="Stance and framing of French news about the Musk–OpenAI conflict, sentence by sentence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _add(*commands: Callable[..., None]) -> None:
    for command in commands:
        app.command()(reports_errors(command))


_add(score.score, models.train, models.evaluate, models.explain)
app.add_typer(label.label_app, name="label")
_add(report.report, report.show)


def main() -> None:
    app()
