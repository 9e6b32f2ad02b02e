"""Writing result tables as a terminal table, JSON, JSON Lines, CSV or Parquet.

Whole tables are replaced atomically (a temporary file, then a rename); streams of rows go to
``OUTPUT.partial`` and are renamed when the run finishes.
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
import os
import sys
import tempfile
from pathlib import Path

from stance.schema import STATUS_COLUMNS

FORMATS = ("table", "json", "jsonl", "csv", "parquet")
SUFFIX_FORMATS = {".json": "json", ".jsonl": "jsonl", ".csv": "csv", ".parquet": "parquet", ".txt": "table"}
TEXT_WIDTH = 70


class OutputError(ValueError):
    """An output that cannot be written as asked."""


def check_output_folder(output: Path) -> None:
    """Raise OutputError when the output's folder does not exist."""
    if not Path(output).parent.is_dir():
        raise OutputError(f"{output}: the folder {Path(output).parent} does not exist")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def choose_format(requested: str | None, output: Path | None) -> str:
    """The requested format, else the output file's suffix, else table on a terminal and jsonl otherwise."""
    if requested:
        return requested
    if output is not None:
        return SUFFIX_FORMATS.get(output.suffix.lower(), "jsonl")
    return "table" if sys.stdout.isatty() else "jsonl"


def records(frame) -> list[dict]:
    """Rows as plain dicts, with NaN as None and numpy scalars as Python values."""
    rows = frame.to_dict(orient="records")
    return [{k: (None if isinstance(v, float) and math.isnan(v) else getattr(v, "item", lambda: v)())
             for k, v in row.items()} for row in rows]


def render(frame, fmt: str, table_columns: list[str] | None = None) -> str:
    """The whole table as text in one format."""
    if fmt == "json":
        return json.dumps(records(frame), ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in records(frame))
    if fmt == "csv":
        return frame.to_csv(index=False, lineterminator="\n")
    if fmt == "table":
        shown = frame[table_columns] if table_columns else frame
        shown = shown.drop(columns=[c for c in STATUS_COLUMNS if c in shown and shown[c].isna().all()])
        if "text" in shown:
            shown = shown.assign(text=shown["text"].map(_shorten))
        return shown.to_string(index=False, float_format=lambda x: f"{x:.2f}") + "\n"
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


def _shorten(text: str) -> str:
    return text if len(text) <= TEXT_WIDTH else text[: TEXT_WIDTH - 1] + "…"


def write_text(content: str, output: Path | None) -> None:
    """Print to standard output, or replace ``output`` atomically (temporary file, then rename)."""
    if output is None:
        sys.stdout.write(content)
        return
    output = Path(output)
    check_output_folder(output)
    handle, temporary = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(content)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600 files; give the usual mode
        os.replace(temporary, output)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


RESUMABLE = ("jsonl", "csv")


class RowStream:
    """Rows written as they come, to standard output or to ``OUTPUT.partial`` renamed on close.

    An interrupted run leaves only the ``.partial`` file, never a truncated file under the output's
    name; ``resume=True`` keeps the complete rows of that file (or of a finished output) and
    reports their article ids in ``done`` so the run can skip them.
    """

    def __init__(self, fmt: str, output: Path | None, table_columns: list[str] | None = None, resume: bool = False):
        self.fmt, self.output, self.table_columns = fmt, output, table_columns
        self.columns: list[str] | None = None
        self.done: frozenset[str] = frozenset()
        self._pending = []  # table format: rendered once at the end
        self._parquet = None
        self._first_json = True
        if resume:
            if output is None or fmt not in RESUMABLE:
                raise OutputError(f"--resume needs an output file (-o) in {' or '.join(RESUMABLE)} format")
            self._partial = Path(f"{output}.partial")
            self.done, self.columns = _resume(self._partial, Path(output), fmt)
            self._stream = open(self._partial, "a", encoding="utf-8", newline="")
        elif output is None:
            self._partial, self._stream = None, (sys.stdout if fmt != "parquet" else None)
            if fmt == "parquet":
                raise OutputError("Parquet output needs an output file (-o)")
        else:
            check_output_folder(output)
            self._partial = Path(f"{output}.partial")
            self._stream = None if fmt == "parquet" else open(self._partial, "w", encoding="utf-8", newline="")
        if fmt == "json" and self._stream is not None:
            self._stream.write("[")

    def write(self, frame) -> None:
        """Append the rows of a DataFrame (the first one fixes the columns of csv and parquet)."""
        if not len(frame):
            return
        if self.columns is None:
            self.columns = list(frame.columns)
            if self.fmt == "csv":
                self._stream.write(frame.iloc[:0].to_csv(index=False, lineterminator="\n"))
        if self.fmt in ("csv", "parquet"):
            frame = frame.reindex(columns=self.columns)
        if self.fmt == "table":
            self._pending.append(frame)
        elif self.fmt == "jsonl":
            self._stream.write(render(frame, "jsonl"))
        elif self.fmt == "json":
            for row in records(frame):
                self._stream.write(("\n" if self._first_json else ",\n") + json.dumps(row, ensure_ascii=False))
                self._first_json = False
        elif self.fmt == "csv":
            self._stream.write(frame.to_csv(index=False, header=False, lineterminator="\n"))
        elif self.fmt == "parquet":
            self._write_parquet(frame)
        if self._stream is not None:
            self._stream.flush()

    def _write_parquet(self, frame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(frame, preserve_index=False)
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(self._partial, table.schema)
        self._parquet.write_table(table.cast(self._parquet.schema))

    def close(self) -> None:
        """Finish the output: render a table, close a JSON array, rename the partial file."""
        import pandas as pd

        if self.fmt == "table":
            self._stream.write(render(pd.concat(self._pending), "table", self.table_columns) if self._pending else "")
        if self.fmt == "json" and self._stream is not None:
            self._stream.write("\n]\n")
        if self._parquet is not None:
            self._parquet.close()
        if self._partial is None:
            self._stream.flush()
            return
        if self._stream is not None:
            self._stream.close()
        if not self._partial.exists():  # parquet output with no row at all
            _empty_parquet(self._partial)
        os.replace(self._partial, self.output)


def _empty_parquet(path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({}), path)


def _resume(partial: Path, output: Path, fmt: str) -> tuple[frozenset[str], list[str] | None]:
    """The finished articles of an earlier run; its complete rows are kept in ``partial``."""
    import shutil

    if not partial.exists() and output.exists():
        shutil.copyfile(output, partial)
    if not partial.exists():
        return frozenset(), None
    content = partial.read_text(encoding="utf-8")
    lines = content[: content.rfind("\n") + 1].splitlines(keepends=True)  # drop a cut-off last line
    if fmt == "csv":
        rows = list(csv.DictReader(lines))
        columns = lines and next(csv.reader(lines[:1])) or None
        header, body = lines[:1], lines[1:]
    else:
        rows = [json.loads(line) for line in lines]
        columns, header, body = (list(rows[0]) if rows else None), [], lines
    articles = [str(row["article"]) for row in rows]
    last = articles[-1] if articles else None  # its rows may be incomplete: score it again
    kept = [line for line, article in zip(body, articles) if article != last]
    partial.write_text("".join(header + kept), encoding="utf-8")
    return frozenset(a for a in articles if a != last), columns
