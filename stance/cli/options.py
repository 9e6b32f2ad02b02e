"""What the commands share: their options, the error handlers, and the one way to write a result.

Each command declares the formats it writes (a ``stance.formats.Formats``); ``chosen`` picks one
from ``--format`` and ``-o``'s suffix, and ``emit`` writes a result in it.
"""

from __future__ import annotations

import contextlib
import functools
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, TypeVar

import typer
from typer.core import TyperGroup

from stance.formats import TABLES, FormatError, Formats

if TYPE_CHECKING:
    import pandas as pd

Command = TypeVar("Command", bound=Callable[..., Any])


def _standard_output(output: Optional[Path]) -> Optional[Path]:
    return None if output == Path("-") else output


def _model_folder(model: Optional[Path]) -> Optional[Path]:
    if model is None:
        return None
    from stance.model import model_folder

    return model_folder(model)


def format_option(formats: Formats, default: str) -> Any:
    """The ``--format``/``-f`` option of a command that writes ``formats``."""
    return typer.Option(None, "--format", "-f", metavar="FORMAT",
                        help=f"Output format: {', '.join(formats.names)} (default: {default}).")


TABLE_DEFAULT = "from -o's suffix, else table on a terminal, else jsonl"
OUTPUT_OPTION = typer.Option(None, "--output", "-o", callback=_standard_output,
                             help="Write to this regular file instead of standard output (- is standard output).")
MODEL_OPTION = typer.Option(None, "--model", "-m", callback=_model_folder,
                            help="Model folder, or a shipped model's name: default (the default) or embeddings.")
JOBS_OPTION = typer.Option(1, "--jobs", "-j", min=1, help="Score in this many processes.")
LABELS_OPTION = typer.Option(Path("labels"), "--labels", help="Label directory (articles.csv and gold/).")
EXCLUDE_OPTION = typer.Option([], "--exclude", help="Leave out the articles whose ids start with this prefix "
                              "(repeatable).")
ARTICLES_ARGUMENT = typer.Argument(
    ..., help="Articles (.txt, .md, .html), folders, corpus files (.jsonl, .csv, .parquet), or - for standard input.")


def notify(message: str) -> None:
    """Print a ``Warning:``, ``Conflict:`` or progress line on standard error."""
    typer.echo(message, err=True)


def reports_errors(command: Command) -> Command:
    """Turn the package's expected errors (a format or an output file the command cannot write among
    them) into one ``Error: …`` line and exit code 1, and library warnings into one ``Warning: …`` line each."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from stance.annotation.labels import LabelError
        from stance.destination import OutputError
        from stance.documents import InputError
        from stance.model import ModelError

        try:
            with warnings.catch_warnings():
                warnings.showwarning = warning_line
                return command(*args, **kwargs)
        except (FormatError, InputError, LabelError, ModelError, OutputError, OSError) as error:
            typer.echo(f"Error: {error}", err=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]  # functools.wraps keeps the signature typer reads


class OneLineUsageErrors(TyperGroup):
    """A command group whose usage errors (an unknown option, a missing argument, a value out of range) are one
    ``Error: …`` line on standard error that says where the help is, with exit code 2."""

    # contexts typed Any: typer's own copy of click defines their class in a private module
    def make_context(self, info_name: Optional[str], args: list[str], parent: Any = None, **extra: Any) -> Any:
        with usage_errors_as_one_line():
            return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        with usage_errors_as_one_line():
            return super().invoke(ctx)


def is_usage_error(error: Exception) -> bool:
    """Whether the option parser raised ``error``: click's UsageError (typer may carry its own copy of click, so the
    class is found by name, as typer finds NoArgsIsHelpError), but not the "no arguments: show the help" one."""
    names = {kind.__name__ for kind in type(error).__mro__}
    return "UsageError" in names and "NoArgsIsHelpError" not in names


@contextlib.contextmanager
def usage_errors_as_one_line() -> Iterator[None]:
    """Report a usage error as one line and exit 2."""
    try:
        yield
    except Exception as error:
        if not is_usage_error(error):
            raise
        context = getattr(error, "ctx", None)
        where = context.command_path if context is not None else "stance"
        message = " ".join(error.format_message().split())  # type: ignore[attr-defined]
        typer.echo(f"Error: {message.rstrip('.')}; see '{where} --help'", err=True)
        raise typer.Exit(2) from None


def warning_line(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                 file: Any = None, line: Optional[str] = None) -> None:
    """Show a Python warning as one ``Warning:`` line on standard error (no source file, no code)."""
    typer.echo(f"Warning: {' '.join(str(message).split())} ({category.__name__})", err=True)


def chosen(fmt: Optional[str], output: Optional[Path], formats: Formats = TABLES) -> str:
    """The format a command writes (FormatError for one it does not write, or Parquet without -o)."""
    picked = formats.choose(fmt, output)
    if picked == "parquet" and output is None:
        raise FormatError("Parquet output needs an output file (-o)")
    return picked


def emit(data: pd.DataFrame | None, fmt: Optional[str], output: Optional[Path], formats: Formats = TABLES,
         table_columns: Optional[list[str]] = None, special: Optional[dict[str, Callable[[], str]]] = None) -> None:
    """Write a result in the format chosen from ``fmt`` and ``output`` among ``formats``.

    ``data`` is a table, written by stance.output; ``special`` gives the text of the formats that
    show a result some other way (a terminal report, a whole JSON document).
    """
    from stance.output import write_table, write_text

    picked = chosen(fmt, output, formats)
    if special and picked in special:
        write_text(special[picked](), output)
    elif data is not None:
        write_table(data, picked, output, table_columns)
    else:
        raise FormatError(f"{formats.what} cannot write {picked!r}")
