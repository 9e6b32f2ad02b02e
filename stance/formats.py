"""The one format chooser: what each kind of output can be written as, and which format a command writes.

A ``Formats`` names the formats one command supports and its default. ``choose`` takes the
requested format, else the one the output file's suffix names, else the default; a format or a
suffix the command does not support raises ``FormatError`` (the command line's one ``Error:`` line).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

# What a suffix names, whichever command writes it (a command may read some suffixes its own way).
SUFFIXES = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet",
            ".txt": "table", ".html": "html", ".htm": "html", ".md": "md", ".markdown": "md"}


class FormatError(ValueError):
    """A format, or an output file's suffix, that the command does not support."""


@dataclass(frozen=True)
class Formats:
    """The formats of one command: their names, the default, and suffixes read the command's own way."""

    names: tuple[str, ...]
    default: str | None = None  # None: table on a terminal, else jsonl (the formats of result tables)
    suffixes: dict[str, str] = field(default_factory=dict)
    what: str = "this command"
    guess: bool = True  # False: without --format, the suffix must name the format

    def choose(self, requested: str | None, output: Path | None) -> str:
        """The requested format, else the output file's suffix, else the default."""
        if requested:
            if requested not in self.names:
                raise FormatError(f"{self.what} cannot write {requested!r}; --format takes {', '.join(self.names)}")
            return requested
        if output is not None:
            suffix = output.suffix.lower()
            named = self.suffixes.get(suffix) or SUFFIXES.get(suffix)
            if named is not None:
                if named not in self.names:
                    raise FormatError(f"{self.what} cannot write {suffix} files ({named}); "
                                      f"use another suffix or pass --format {', '.join(self.names)}")
                return named
        return self._default(output)

    def _default(self, output: Path | None) -> str:
        if not self.guess:
            suffix = output.suffix if output is not None else ""
            raise FormatError(f"{output}: cannot tell the format from the suffix {suffix!r}; "
                              f"pass --format {', '.join(self.names)}")
        if self.default is not None:
            return self.default
        return "table" if output is None and sys.stdout.isatty() else "jsonl"


TABLES = Formats(("table", "json", "jsonl", "csv", "parquet"))
REPORTS = Formats(("html", "md", "csv"), default="html", what="a report")
LABELS = Formats(("csv", "label-studio", "doccano"), suffixes={".json": "label-studio", ".jsonl": "doccano"},
                 what="an annotation file", guess=False)
