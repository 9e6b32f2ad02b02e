"""Corpus files: JSON Lines, CSV and Parquet with an ``id`` and a ``text`` column, one document a row.

Every other column is the document's metadata, written beside its scores; a column named like an
output column (``stance``, ``article``, ``p_…``) is kept as ``meta_stance``… so that it never
replaces a score, and a ``Warning:`` line says so. A malformed row (no id, an id that is not a
string or an integer, no text, bad JSON, the wrong number of fields, a field over the size limit)
is a Document with an ``error`` naming its row; invalid UTF-8 in a row becomes U+FFFD with a
warning naming the row. A file that cannot be read (a corrupt Parquet file, an I/O error) is an
error row naming the file, and the other files are read. CSV files may start with a UTF-8 BOM.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from stance import documents
from stance.documents import Document, DocumentError, InputError, check_size, checked_text
from stance.schema import OUTPUT_COLUMNS, OUTPUT_PREFIXES

METADATA_PREFIX = "meta_"
CONSUMED = ("id", "text")
MAX_ID = 2**63  # ids are strings, or integers that fit 64 bits
SURROGATE = re.compile("[\ud800-\udfff]")  # an undecodable byte read with surrogateescape, or a lone surrogate
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class Unreadable(Exception):
    """A corpus file that cannot be read (any further): it becomes an error row naming the file."""


def corpus_documents(path: Path, notify: Callable[[str], None]) -> Iterator[Document]:
    """The documents of one corpus file, in order; file-level warnings go to ``notify``.

    A file that cannot be read, or not to its end, gives an error document naming it after the
    documents that could be read.
    """
    read = {".jsonl": _jsonl_documents, ".csv": _csv_documents, ".parquet": _parquet_documents}[path.suffix.lower()]
    try:
        yield from read(path, Metadata(path, notify))
    except Unreadable as error:
        yield _file_error(path, str(error))
    except OSError as error:
        yield _file_error(path, f"could not be read ({error.strerror or error})")


def metadata_name(column: str) -> str:
    """An input column's name in the output: ``meta_`` before it when the output computes that name.

    A column already named ``meta_stance`` (or ``meta_meta_stance``…) gets one more ``meta_``, so
    that two input columns never end up under the same name.
    """
    bare = column
    while bare.startswith(METADATA_PREFIX):
        bare = bare[len(METADATA_PREFIX):]
    computed = bare in OUTPUT_COLUMNS or bare.startswith(OUTPUT_PREFIXES)
    return METADATA_PREFIX + column if computed else column


class Metadata:
    """The metadata of one corpus file's rows, under their output names; each renaming said once."""

    def __init__(self, path: Path, notify: Callable[[str], None]):
        self.path, self.notify = path, notify
        self.names: dict[str, str] = {}

    def of(self, row: dict) -> dict:
        """The metadata of one row (every column but id and text)."""
        new = [column for column in row if column not in self.names]
        if new:
            self._learn(new)
        return {self.names[column]: value for column, value in row.items() if column not in CONSUMED}

    def _learn(self, columns: list[str]) -> None:
        self.names.update((column, metadata_name(column)) for column in columns)
        renamed = [column for column in columns if column not in CONSUMED and self.names[column] != column]
        if renamed:
            plural = len(renamed) > 1
            self.notify(f"Warning: {self.path}: column{'s' if plural else ''} {_listed(renamed)} "
                        f"{'are output columns' if plural else 'is an output column'}: kept as "
                        f"{_listed(self.names[column] for column in renamed)}")


def _listed(names: Iterable[str]) -> str:
    return ", ".join(repr(name) for name in names)


def check_corpus_columns(path: Path) -> None:
    """Raise InputError when a corpus file lacks its ``id`` or ``text`` column.

    A file that cannot be read at all is left to the reading, which names it in an error row.
    """
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return  # JSONL rows are checked one by one
    try:
        columns = _csv_header(path) if suffix == ".csv" else _parquet_columns(path)
    except (Unreadable, OSError):
        return
    missing = [c for c in ("id", "text") if c not in columns]
    if missing:
        raise InputError(f"{path}: no {' or '.join(repr(c) for c in missing)} column")


def metadata_columns(files: Iterable[str | Path]) -> list[str]:
    """The metadata columns of every corpus file, under their output names, in order of first appearance.

    Read before scoring, so that every row of the output has every column (the header of a CSV or
    Parquet output is written first): JSON Lines files are read twice, CSV and Parquet headers once.
    """
    names: dict[str, None] = {}
    for path in files:
        if isinstance(path, Path) and path.suffix.lower() in documents.CORPUS_SUFFIXES:
            names.update((metadata_name(column), None) for column in _columns(path) if column not in CONSUMED)
    return list(names)


def _columns(path: Path) -> Iterator[str]:
    """The column names of a corpus file (none when it cannot be read: reading it reports that)."""
    try:
        if path.suffix.lower() == ".csv":
            yield from _csv_header(path)
        elif path.suffix.lower() == ".parquet":
            yield from _parquet_columns(path)
        else:
            for _, line, _ in _jsonl_lines(path):
                with contextlib.suppress(DocumentError):
                    yield from _json_object(line)[0]
    except (Unreadable, InputError, OSError):
        return


def _csv_header(path: Path) -> list[str]:
    with _csv_file(path) as handle:
        try:
            return [_repaired(column)[0] for column in next(csv.reader(handle), [])]
        except csv.Error as error:
            raise InputError(f"{path}: the CSV header cannot be read ({error})") from None


def _csv_file(path: Path):
    """A CSV file as text: a UTF-8 BOM skipped, undecodable bytes kept as surrogates (see _repaired)."""
    csv.field_size_limit(documents.MAX_DOCUMENT_BYTES + 1)
    return open(path, newline="", encoding="utf-8-sig", errors="surrogateescape")


def _parquet_columns(path: Path) -> list[str]:
    return _parquet_file(path).schema_arrow.names


def _parquet_file(path: Path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as error:
        raise Unreadable(f"not a readable Parquet file ({error})") from None


def _repaired(text: str) -> tuple[str, bool]:
    """``text`` with each undecodable byte (or lone surrogate) as U+FFFD, and whether it had any."""
    if text.isascii():
        return text, False
    repaired, count = SURROGATE.subn("\ufffd", text)
    return repaired, count > 0


def _row_error(path: Path, number: int, problem: str) -> Document:
    return Document(f"{path.name}:{number}", "", f"{path}:{number}", error=f"row {number}: {problem}")


def _file_error(path: Path, problem: str) -> Document:
    return Document(path.name, "", str(path), error=problem)


def _row_document(path: Path, number: int, row: dict, metadata: Metadata, repaired: bool = False) -> Document:
    source = f"{path}:{number}"
    doc_id = row.get("id")
    if doc_id is None or (isinstance(doc_id, str) and not doc_id.strip()):
        return _row_error(path, number, "no id")
    if not _usable_id(doc_id):
        return _row_error(path, number, "id must be a string or integer")
    doc_id = str(doc_id)
    meta = metadata.of(row)
    text = row.get("text")
    if not isinstance(text, str):
        return Document(doc_id, "", source, meta, error=f"row {number}: no text")
    notes = [f"row {number}: invalid UTF-8 bytes, replaced by U+FFFD"] if repaired else []
    try:
        check_size(len(text.encode("utf-8")))
        text, warnings = checked_text(text, warnings=notes)
    except DocumentError as error:
        return Document(doc_id, "", source, meta, error=f"row {number}: {error}")
    return Document(doc_id, text, source, meta, tuple(warnings))


def _usable_id(value) -> bool:
    """A string, or an integer that fits 64 bits (not a boolean, a float, a list or an object)."""
    if isinstance(value, str):
        return True
    return isinstance(value, int) and not isinstance(value, bool) and -MAX_ID <= value < MAX_ID


def _jsonl_documents(path: Path, metadata: Metadata) -> Iterator[Document]:
    for number, line, repaired in _jsonl_lines(path):
        try:
            row, escaped = _json_object(line)
        except DocumentError as error:
            yield _row_error(path, number, str(error))
            continue
        yield _row_document(path, number, row, metadata, repaired or escaped)


def _jsonl_lines(path: Path) -> Iterator[tuple[int, str, bool]]:
    """Each non-blank line: its number, its text (see _repaired) and whether it held invalid UTF-8."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            line, repaired = _repaired(raw.decode("utf-8", "surrogateescape").removeprefix("\ufeff"))
            if line.strip():
                yield number, line, repaired


def _json_object(line: str) -> tuple[dict, bool]:
    """The JSON object of a line, and whether escaped lone surrogates in it became U+FFFD; raises DocumentError."""
    try:
        row = json.loads(line)
        if not isinstance(row, dict):
            raise DocumentError("not a JSON object")
        if SURROGATE_ESCAPE.search(line):  # "\ud800" makes a lone surrogate, which no UTF-8 output can hold
            text, escaped = _repaired(json.dumps(row, ensure_ascii=False))
            return (json.loads(text) if escaped else row), escaped
        return row, False
    except RecursionError:
        raise DocumentError("not valid JSON (nested too deeply)") from None
    except json.JSONDecodeError as error:
        raise DocumentError(f"not valid JSON ({error.msg})") from None
    except ValueError as error:  # an integer of more than 4300 digits
        raise DocumentError(f"not valid JSON ({error})") from None


def _csv_documents(path: Path, metadata: Metadata) -> Iterator[Document]:
    with _csv_file(path) as handle:
        reader = csv.reader(handle)
        header = [_repaired(column)[0] for column in next(reader, [])]
        for number in itertools.count(2):
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as error:  # the reader cannot find the next row again: stop here, and say so
                yield _row_error(path, number, f"{_csv_problem(error)}; the rest of the file was not read")
                return
            if not fields:
                continue
            if len(fields) != len(header):
                yield _row_error(path, number, f"{len(fields)} fields for {len(header)} columns")
                continue
            cells = [_repaired(field) for field in fields]
            yield _row_document(path, number, dict(zip(header, (c for c, _ in cells))), metadata, any(r for _, r in cells))


def _csv_problem(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return f"a field larger than the {documents.MAX_DOCUMENT_BYTES // 2**20} MB limit"
    return f"not readable as CSV ({error})"


def _parquet_documents(path: Path, metadata: Metadata) -> Iterator[Document]:
    import pyarrow as pa

    number = 0
    try:
        for batch in _parquet_file(path).iter_batches(batch_size=1024):
            for row in batch.to_pylist():
                number += 1
                yield _row_document(path, number, row, metadata)
    except (pa.ArrowException, OSError, UnicodeDecodeError) as error:
        raise Unreadable(f"not a readable Parquet file after row {number} ({error}); the rest was not read") from None
