"""Writing result tables as a terminal table, JSON, JSON Lines or CSV; files are replaced atomically."""

from __future__ import annotations

import contextlib
import json
import math
import os
import sys
import tempfile
from pathlib import Path

FORMATS = ("table", "json", "jsonl", "csv")
SUFFIX_FORMATS = {".json": "json", ".jsonl": "jsonl", ".csv": "csv", ".txt": "table"}
TEXT_WIDTH = 70


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
    handle, temporary = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(content)
        os.replace(temporary, output)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
