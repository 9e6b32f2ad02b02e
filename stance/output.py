"""Writing result tables as a terminal table, JSON, JSON Lines, CSV or Parquet.

Whole tables are replaced atomically (a temporary file, then a rename); streams of rows are
written by ``stance.stream.RowStream``. Which format a command writes is chosen by ``stance.formats``.
"""

from __future__ import annotations

import csv
import io
import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from stance.destination import OutputError, check_destination, replace_file
from stance.formats import TABLES
from stance.schema import INTEGER_COLUMNS, NUMBER_COLUMNS, STATUS_COLUMNS

if TYPE_CHECKING:
    import pandas as pd

TEXT_WIDTH = 70


def plain(value):
    """A value as JSON, CSV and Parquet take it: NaN as None, numpy scalars as Python values."""
    value = getattr(value, "item", lambda: value)()
    return None if isinstance(value, float) and math.isnan(value) else value


def records(frame: pd.DataFrame) -> list[dict]:
    """A DataFrame's rows as plain dicts."""
    return [{k: plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def render(frame: pd.DataFrame, fmt: str, table_columns: list[str] | None = None) -> str:
    """A whole DataFrame as text in one format."""
    return render_rows(records(frame), [str(c) for c in frame.columns], fmt, table_columns)


def render_rows(rows: list[dict], columns: list[str], fmt: str, table_columns: list[str] | None = None) -> str:
    """Rows (plain dicts) as text in one format, with the given columns in order."""
    if fmt == "json":
        return json.dumps([complete_row(row, columns) for row in rows], ensure_ascii=False, indent=2, default=str) + "\n"
    if fmt == "jsonl":
        return "".join(json_text(complete_row(row, columns)) + "\n" for row in rows)
    if fmt == "csv":
        return csv_text(rows, columns)
    if fmt == "table":
        return text_table(rows, table_columns or columns)
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(TABLES.names)}")


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


def complete_row(row: dict, columns: list[str]) -> dict:
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
    write_bytes(content.encode("utf-8"), output)


def write_table(frame: pd.DataFrame, fmt: str, output: Path | None, table_columns: list[str] | None = None) -> None:
    """A whole DataFrame in one of the formats of result tables, to standard output or ``output``.

    Parquet needs an output file; its columns keep their numbers (integers, floats, booleans) and
    hold everything else as text (lists and objects as JSON).
    """
    if fmt != "parquet":
        write_text(render(frame, fmt, table_columns), output)
        return
    if output is None:
        raise OutputError("Parquet output needs an output file (-o)")
    write_bytes(parquet_bytes(frame), output)


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    """A DataFrame as a Parquet file: numeric columns as numbers, the others as text."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from pandas.api.types import is_bool_dtype, is_float_dtype, is_integer_dtype

    fields, columns = [], {}
    for name in frame.columns:
        values = frame[name]
        kind = pa.bool_() if is_bool_dtype(values) else pa.int64() if is_integer_dtype(values) \
            else pa.float64() if is_float_dtype(values) else pa.string()
        fields.append((str(name), kind))
        columns[str(name)] = [plain(v) for v in values] if kind != pa.string() else [as_text(v) for v in values]
    sink = pa.BufferOutputStream()
    pq.write_table(pa.table(columns, schema=pa.schema(fields)), sink)
    return sink.getvalue().to_pybytes()


def write_bytes(content: bytes, output: Path) -> None:
    """Replace ``output`` atomically with ``content``."""
    check_destination(output)
    replace_file(content, output)


def arrow_schema(columns: list[str]):
    """The Parquet schema of output rows: computed counts as integers, computed shares as floats, the rest text."""
    import pyarrow as pa

    return pa.schema([(c, pa.int64() if c in INTEGER_COLUMNS else pa.float64() if c in NUMBER_COLUMNS else pa.string())
                      for c in columns])


def as_text(value) -> str | None:
    """A value as text: strings as they are, numbers, booleans, lists and objects as JSON, None as None."""
    value = plain(value)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float, list, dict)):
        return json_text(value)
    return str(value)


def json_text(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
