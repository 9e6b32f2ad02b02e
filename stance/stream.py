"""Rows written as they come: to standard output, or to the output's locked partial file.

The partial file (stance.destination) is renamed onto the output when the run finishes; a
resumable format's partial file is kept after an interruption, for ``--resume``.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from stance.destination import OutputError, Partial, check_destination
from stance.output import arrow_schema, as_text, complete_row, csv_text, json_text, plain, render_rows, text_table
from stance.resume import earlier_rows
from stance.schema import INTEGER_COLUMNS, NUMBER_COLUMNS

if TYPE_CHECKING:
    import pyarrow.parquet as pq

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
        self._pending: list[dict] = []  # table format: rendered once at the end
        self._parquet: pq.ParquetWriter | None = None
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

            assert self._partial is not None  # refused in __init__: Parquet needs an output file
            self._parquet = pq.ParquetWriter(self._partial.file, arrow_schema(self.columns))

    def _resume(self, facts: dict | None) -> bool:
        """Keep the complete rows of the partial file (or of the finished output), after checking they are this run's.

        Returns whether something (a CSV header at least) was kept.
        """
        partial, output = self._partial, self.output
        assert partial is not None and output is not None  # refused in __init__: --resume needs an output file
        data = partial.read()
        copied = not data and output.is_file()
        if copied:
            data = output.read_bytes()
        recorded = partial.recorded() if data and not copied else None
        if recorded is not None and facts is not None and recorded != facts:
            raise OutputError(f"{self.output}: {_differences(recorded, facts)}; resume with the same options, or write elsewhere")
        earlier = earlier_rows(data, self.fmt)
        if earlier.columns is not None and earlier.columns != self.columns:
            raise OutputError(f"{self.output}: the earlier rows have other columns ({_listed(earlier.columns)}) than "
                              f"this run's ({_listed(self.columns)}); "
                              "resume with the same options and inputs, or write elsewhere")
        if copied:
            partial.restart(data[: earlier.size])
        else:
            partial.keep(earlier.size)
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
            self._pending.extend(complete_row(row, columns) for row in rows)
        elif self.fmt == "jsonl":
            self._put(render_rows(rows, columns, "jsonl"))
        elif self.fmt == "json":
            for row in rows:
                self._put(("\n" if self._first_json else ",\n") + json_text(complete_row(row, columns)))
                self._first_json = False
        elif self.fmt == "csv":
            self._put(csv_text([_as_stored(row, columns) for row in rows], columns, header=False))
        elif self.fmt == "parquet":
            import pyarrow as pa

            writer = self._parquet
            assert writer is not None  # opened by _start
            writer.write_table(pa.Table.from_pylist([_as_stored(row, columns) for row in rows], schema=writer.schema))
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
        elif self.fmt == "parquet" and self._parquet is not None:
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


def _as_stored(row: dict, columns: list[str]) -> dict:
    """A row as CSV and Parquet store it: the computed numbers as numbers, everything else as text."""
    return {c: plain(row.get(c)) if c in INTEGER_COLUMNS or c in NUMBER_COLUMNS else as_text(row.get(c)) for c in columns}


def _differences(earlier: dict, now: dict) -> str:
    return "; ".join(f"the earlier run wrote {key} {earlier.get(key)!r}, this one {value!r}"
                     for key, value in now.items() if earlier.get(key) != value)


def _listed(columns: list[str], shown: int = 3) -> str:
    return ", ".join(columns[:shown]) + (", …" if len(columns) > shown else "")
