"""Reading back an earlier run's rows to continue it, with the parser that wrote them.

CSV is read with the csv module and JSON Lines one JSON document per ``\\n``, never by pairing
physical lines with rows, so fields holding newlines, U+2028, U+2029 or U+0085 come back whole.
The complete rows are kept; a cut-off end (a kill, or a full disk, even inside a multi-byte
character) and every row of the file's last article (it may be incomplete) are dropped, and those
articles are scored again: nothing is lost and nothing is written twice.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from stance import documents


@dataclass(frozen=True)
class Earlier:
    """What an earlier run left: its columns (None without a row), its finished articles, and the bytes to keep."""

    columns: list[str] | None
    done: frozenset[str]
    size: int


def earlier_rows(data: bytes, fmt: str) -> Earlier:
    """The complete rows of an earlier jsonl or csv output (``data``), and where they end."""
    text = _decoded(data)
    columns, start, rows = _csv_rows(text) if fmt == "csv" else _jsonl_rows(text)
    articles = [str(row.get("article")) for row, _ in rows]
    kept = len(rows)
    while kept and articles[kept - 1] == articles[-1]:  # the last article's rows may be incomplete
        kept -= 1
    end = rows[kept - 1][1] if kept else start
    if columns is None and rows:
        columns = list(rows[0][0])
    return Earlier(columns, frozenset(articles[:kept]), len(text[:end].encode("utf-8")))


def _decoded(data: bytes) -> str:
    """The text of ``data`` up to its first byte that is not UTF-8 (a cut-off character at the end)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        return data[: error.start].decode("utf-8")


def _jsonl_rows(text: str) -> tuple[None, int, list[tuple[dict, int]]]:
    """Each complete JSON Lines row with the offset where it ends; reading stops at the first bad one."""
    rows, end = [], 0
    for line in text.split("\n")[:-1]:  # what follows the last newline is cut off
        end += len(line) + 1
        try:
            row = json.loads(line)
        except ValueError:
            break
        if not isinstance(row, dict) or "article" not in row:
            break
        rows.append((row, end))
    return None, 0, rows


def _csv_rows(text: str) -> tuple[list[str] | None, int, list[tuple[dict, int]]]:
    """The header, where it ends, and each complete row with the offset where it ends."""
    csv.field_size_limit(documents.MAX_DOCUMENT_BYTES + 1)
    records = []
    try:
        for fields, end in _records(text):
            if not text.endswith("\n", 0, end):  # the last record, cut off
                break
            records.append((fields, end))
    except csv.Error:  # a quoted field cut off, or anything this module did not write
        pass
    if not records:
        return None, 0, []
    (header, start), rows = records[0], []
    for fields, end in records[1:]:
        if len(fields) != len(header):
            break
        rows.append((dict(zip(header, fields)), end))
    return header, start, rows


def _records(text: str):
    """The CSV records of ``text``, each with the offset where it ends."""
    consumed = 0

    def lines():
        nonlocal consumed
        for line in io.StringIO(text, newline=""):
            consumed += len(line)
            yield line

    for fields in csv.reader(lines(), strict=True):
        yield fields, consumed
