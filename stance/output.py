"""Writing result tables as a terminal table, JSON, JSON Lines, CSV or Parquet.

Whole tables are replaced atomically (a temporary file, then a rename); streams of rows go to the
output's locked partial file (stance.destination) and are renamed when the run finishes.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import sys
from pathlib import Path

from stance.destination import OutputError, Partial, check_destination, replace_file
from stance.resume import earlier_rows
from stance.schema import INTEGER_COLUMNS, NUMBER_COLUMNS, STATUS_COLUMNS

FORMATS = ("table", "json", "jsonl", "csv", "parquet")
SUFFIX_FORMATS = {".json": "json", ".jsonl": "jsonl", ".csv": "csv", ".parquet": "parquet", ".txt": "table"}
TEXT_WIDTH = 70


def choose_format(requested: str | None, output: Path | None) -> str:
    """The requested format, else the output file's suffix, else table on a terminal and jsonl otherwise."""
    if requested:
        return requested
    if output is not None:
        return SUFFIX_FORMATS.get(output.suffix.lower(), "jsonl")
    return "table" if sys.stdout.isatty() else "jsonl"


def plain(value):
    """A value as JSON, CSV and Parquet take it: NaN as None, numpy scalars as Python values."""
    value = getattr(value, "item", lambda: value)()
    return None if isinstance(value, float) and math.isnan(value) else value


def records(frame) -> list[dict]:
    """A DataFrame's rows as plain dicts."""
    return [{k: plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def render(frame, fmt: str, table_columns: list[str] | None = None) -> str:
    """A whole DataFrame as text in one format."""
    return render_rows(records(frame), [str(c) for c in frame.columns], fmt, table_columns)


def render_rows(rows: list[dict], columns: list[str], fmt: str, table_columns: list[str] | None = None) -> str:
    """Rows (plain dicts) as text in one format, with the given columns in order."""
    if fmt == "json":
        return json.dumps([_complete(row, columns) for row in rows], ensure_ascii=False, indent=2, default=str) + "\n"
    if fmt == "jsonl":
        return "".join(_json(_complete(row, columns)) + "\n" for row in rows)
    if fmt == "csv":
        return csv_text(rows, columns)
    if fmt == "table":
        return text_table(rows, table_columns or columns)
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


def csv_text(rows: list[dict], columns: list[str], header: bool = True) -> str:
    """Rows as CSV lines (with a header line unless ``header`` is False).

    The csv module quotes a field holding ``\n`` but not one holding a lone ``\r``, which no CSV
    reader could then read back: a row with a ``\r`` has every field quoted.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    quoting = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    if header:
        writer.writerow(columns)
    for row in rows:
        cells = [plain(row.get(c)) for c in columns]
        (quoting if any(isinstance(cell, str) and "\r" in cell for cell in cells) else writer).writerow(cells)
    return buffer.getvalue()


def _complete(row: dict, columns: list[str]) -> dict:
    return {c: plain(row.get(c)) for c in columns}


def text_table(rows: list[dict], columns: list[str]) -> str:
    """An aligned plain-text table: numbers right-aligned with two decimals, long texts shortened."""
    columns = [c for c in columns if c not in STATUS_COLUMNS or any(row.get(c) is not None for row in rows)]
    cells = [[_cell(row.get(c), c) for c in columns] for row in rows]
    numeric = [all(isinstance(row.get(c), (int, float)) or row.get(c) is None for row in rows) for c in columns]
    widths = [max([len(c)] + [len(line[i]) for line in cells]) for i, c in enumerate(columns)]
    lines = [list(columns)] + cells
    return "".join("  ".join(cell.rjust(w) if right else cell.ljust(w) for cell, w, right in zip(line, widths, numeric)).rstrip()
                   + "\n" for line in lines)


def _cell(value, column: str) -> str:
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    text = str(value)
    return _shorten(text) if column == "text" else text


def _shorten(text: str) -> str:
    return text if len(text) <= TEXT_WIDTH else text[: TEXT_WIDTH - 1] + "…"


def write_text(content: str, output: Path | None) -> None:
    """Print to standard output, or replace ``output`` atomically (temporary file, then rename)."""
    if output is None:
        sys.stdout.write(content)
        return
    check_destination(output)
    replace_file(content.encode("utf-8"), output)


RESUMABLE = ("jsonl", "csv")


class RowStream:
    """Rows written as they come, to standard output or to the output's locked partial file.

    Every row has the same ``columns``, fixed before the first row (a CSV header, a Parquet schema
    in which only the computed numbers are numbers and everything else is text). Use it as a
    context manager: on success the partial file is renamed onto the output; after an interruption
    or a failure the output is untouched and only a partial file of a resumable format (jsonl, csv)
    stays. ``facts`` (the run's mode, format and model) are recorded beside it. ``resume=True``
    keeps the complete rows of that file (or of a finished output) and reports their article ids
    in ``done`` so the run can skip them; it refuses an earlier run with other facts or other
    columns. A failed write (a full disk) raises OutputError.
    """

    def __init__(self, fmt: str, output: Path | None, columns: list[str], table_columns: list[str] | None = None,
                 resume: bool = False, facts: dict | None = None):
        self.fmt, self.output, self.columns, self.table_columns = fmt, output, list(columns), table_columns
        self.done: frozenset[str] = frozenset()
        self._pending = []  # table format: rendered once at the end
        self._parquet = None
        self._first_json = True
        if output is None and fmt == "parquet":
            raise OutputError("Parquet output needs an output file (-o)")
        if resume and (output is None or fmt not in RESUMABLE):
            raise OutputError(f"--resume needs an output file (-o) in {' or '.join(RESUMABLE)} format")
        if output is not None:
            check_destination(output)
        self._partial = None if output is None else Partial(output)
        try:
            self._start(resume, facts)
        except BaseException:
            self._abort()
            raise

    def _start(self, resume: bool, facts: dict | None) -> None:
        """Begin the output: the earlier rows kept, or a CSV header, a JSON bracket, a Parquet schema."""
        resumed = self._resume(facts) if resume else False
        if self._partial is not None:
            if not resume:
                self._partial.restart()
            if facts is not None:
                self._partial.record(facts)
        if self.fmt == "csv" and not resumed:
            self._put(csv_text([], self.columns))
        elif self.fmt == "json":
            self._put("[")
        elif self.fmt == "parquet":
            import pyarrow.parquet as pq

            self._parquet = pq.ParquetWriter(self._partial.file, arrow_schema(self.columns))

    def _resume(self, facts: dict | None) -> bool:
        """Keep the complete rows of the partial file (or of the finished output), after checking they are this run's.

        Returns whether something (a CSV header at least) was kept.
        """
        data = self._partial.read()
        copied = not data and Path(self.output).is_file()
        if copied:
            data = Path(self.output).read_bytes()
        recorded = self._partial.recorded() if data and not copied else None
        if recorded is not None and facts is not None and recorded != facts:
            raise OutputError(f"{self.output}: {_differences(recorded, facts)}; resume with the same options, or write elsewhere")
        earlier = earlier_rows(data, self.fmt)
        if earlier.columns is not None and earlier.columns != self.columns:
            raise OutputError(f"{self.output}: the earlier rows have other columns ({_listed(earlier.columns)}) than "
                              f"this run's ({_listed(self.columns)}); resume with the same options and inputs, or write elsewhere")
        if copied:
            self._partial.restart(data[: earlier.size])
        else:
            self._partial.keep(earlier.size)
        self.done = earlier.done
        return earlier.size > 0

    def __enter__(self) -> RowStream:
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is None:
            self.close()
        else:
            self._abort()

    def write(self, rows: list[dict]) -> None:
        """Append rows (plain dicts); each is written with the stream's columns."""
        if not rows:
            return
        try:
            self._write(rows)
        except OSError as error:
            raise self._failed(error) from None

    def _write(self, rows: list[dict]) -> None:
        columns = self.columns
        if self.fmt == "table":
            self._pending.extend(_complete(row, columns) for row in rows)
        elif self.fmt == "jsonl":
            self._put(render_rows(rows, columns, "jsonl"))
        elif self.fmt == "json":
            for row in rows:
                self._put(("\n" if self._first_json else ",\n") + _json(_complete(row, columns)))
                self._first_json = False
        elif self.fmt == "csv":
            self._put(csv_text([_as_stored(row, columns) for row in rows], columns, header=False))
        elif self.fmt == "parquet":
            import pyarrow as pa

            self._parquet.write_table(pa.Table.from_pylist([_as_stored(row, columns) for row in rows], schema=self._parquet.schema))
        (sys.stdout if self._partial is None else self._partial.file).flush()

    def _put(self, text: str) -> None:
        if self._partial is None:
            sys.stdout.write(text)
        else:
            self._partial.file.write(text.encode("utf-8"))

    def _failed(self, error: OSError) -> OutputError:
        if self._partial is None:
            return OutputError(f"standard output: could not write ({error.strerror or error})")
        kept = f"; the rows written so far stay in {self._partial.path} for --resume" if self.fmt in RESUMABLE else ""
        return OutputError(f"{self.output}: could not write ({error.strerror or error}){kept}")

    def close(self) -> None:
        """Finish the output: render a table, close a JSON array or a Parquet file, rename the partial file."""
        try:
            self._finish()
        except OSError as error:
            self._abort()
            raise self._failed(error) from None
        except BaseException:
            self._abort()
            raise

    def _finish(self) -> None:
        if self.fmt == "table":
            self._put(text_table(self._pending, self.table_columns or self.columns))
        elif self.fmt == "json":
            self._put("\n]\n")
        elif self.fmt == "parquet":
            self._parquet.close()
        if self._partial is None:
            sys.stdout.flush()
        else:
            self._partial.finish()

    def _abort(self) -> None:
        if self._parquet is not None:
            with contextlib.suppress(OSError, ValueError):  # its file is being thrown away
                self._parquet.close()
        if self._partial is not None:
            self._partial.abort(keep=self.fmt in RESUMABLE)


def arrow_schema(columns: list[str]):
    """The Parquet schema of output rows: computed counts as integers, computed shares as floats, the rest text."""
    import pyarrow as pa

    return pa.schema([(c, pa.int64() if c in INTEGER_COLUMNS else pa.float64() if c in NUMBER_COLUMNS else pa.string())
                      for c in columns])


def _as_stored(row: dict, columns: list[str]) -> dict:
    """A row as CSV and Parquet store it: the computed numbers as numbers, everything else as text."""
    return {c: plain(row.get(c)) if c in INTEGER_COLUMNS or c in NUMBER_COLUMNS else as_text(row.get(c)) for c in columns}


def as_text(value) -> str | None:
    """A value as text: strings as they are, numbers, booleans, lists and objects as JSON, None as None."""
    value = plain(value)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float, list, dict)):
        return _json(value)
    return str(value)


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _differences(earlier: dict, now: dict) -> str:
    return "; ".join(f"the earlier run wrote {key} {earlier.get(key)!r}, this one {value!r}"
                     for key, value in now.items() if earlier.get(key) != value)


def _listed(columns: list[str], shown: int = 3) -> str:
    return ", ".join(columns[:shown]) + (", …" if len(columns) > shown else "")
