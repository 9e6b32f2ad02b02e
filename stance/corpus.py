"""Corpus files: JSON Lines, CSV and Parquet with an ``id`` and a ``text`` column, one document a row.

Every other column is the document's metadata, written beside its scores; a column named like an
output column (``stance``, ``article``, ``p_…``) is kept as ``meta_stance``… so that it never
replaces a score, and a ``Warning:`` line says so. A malformed row (no id, no text, bad JSON, the
wrong number of fields) is a Document with an ``error`` naming its row.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from stance import documents
from stance.documents import Document, DocumentError, InputError, check_size, checked_text
from stance.schema import OUTPUT_COLUMNS, OUTPUT_PREFIXES

METADATA_PREFIX = "meta_"
CONSUMED = ("id", "text")


def corpus_documents(path: Path, notify: Callable[[str], None]) -> Iterator[Document]:
    """The documents of one corpus file, in order; file-level warnings go to ``notify``."""
    suffix = path.suffix.lower()
    metadata = Metadata(path, notify)
    if suffix == ".jsonl":
        yield from _jsonl_documents(path, metadata)
    elif suffix == ".csv":
        yield from _csv_documents(path, metadata)
    else:
        yield from _parquet_documents(path, metadata)


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
    """Raise InputError when a corpus file lacks its ``id`` or ``text`` column."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with open(path, newline="", encoding="utf-8", errors="replace") as handle:
            columns = next(csv.reader(handle), [])
    elif suffix == ".parquet":
        import pyarrow.parquet as pq

        try:
            columns = pq.ParquetFile(path).schema_arrow.names
        except Exception as error:  # pyarrow raises several types on a broken file
            raise InputError(f"{path}: not a readable Parquet file ({error})") from None
    else:
        return  # JSONL rows are checked one by one
    missing = [c for c in ("id", "text") if c not in columns]
    if missing:
        raise InputError(f"{path}: no {' or '.join(repr(c) for c in missing)} column")


def _row_document(path: Path, number: int, row: dict, metadata: Metadata) -> Document:
    source = f"{path}:{number}"
    doc_id = row.get("id")
    if doc_id is None or str(doc_id).strip() == "":
        return Document(f"{path.name}:{number}", "", source, error=f"row {number}: no id")
    meta = metadata.of(row)
    text = row.get("text")
    if not isinstance(text, str):
        return Document(str(doc_id), "", source, meta, error=f"row {number}: no text")
    try:
        check_size(len(text.encode("utf-8")))
        text, warnings = checked_text(text)
    except DocumentError as error:
        return Document(str(doc_id), "", source, meta, error=f"row {number}: {error}")
    return Document(str(doc_id), text, source, meta, tuple(warnings))


def _jsonl_documents(path: Path, metadata: Metadata) -> Iterator[Document]:
    with open(path, encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                yield Document(f"{path.name}:{number}", "", f"{path}:{number}", error=f"row {number}: not valid JSON ({error.msg})")
                continue
            if not isinstance(row, dict):
                yield Document(f"{path.name}:{number}", "", f"{path}:{number}", error=f"row {number}: not a JSON object")
                continue
            yield _row_document(path, number, row, metadata)


def _csv_documents(path: Path, metadata: Metadata) -> Iterator[Document]:
    csv.field_size_limit(documents.MAX_DOCUMENT_BYTES + 1)
    with open(path, newline="", encoding="utf-8", errors="replace") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        for number, fields in enumerate(reader, start=2):
            if not fields:
                continue
            if len(fields) != len(header):
                yield Document(f"{path.name}:{number}", "", f"{path}:{number}",
                               error=f"row {number}: {len(fields)} fields for {len(header)} columns")
            else:
                yield _row_document(path, number, dict(zip(header, fields)), metadata)


def _parquet_documents(path: Path, metadata: Metadata) -> Iterator[Document]:
    import pyarrow.parquet as pq

    number = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=1024):
        for row in batch.to_pylist():
            number += 1
            yield _row_document(path, number, row, metadata)
