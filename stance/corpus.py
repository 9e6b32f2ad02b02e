"""Corpus files: JSON Lines, CSV and Parquet with an ``id`` and a ``text`` column, one document a row.

Every other column is the document's metadata, written beside its scores. A malformed row (no id,
no text, bad JSON, the wrong number of fields) is a Document with an ``error`` naming its row.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from stance import documents
from stance.documents import Document, DocumentError, InputError, check_size, checked_text


def corpus_documents(path: Path) -> Iterator[Document]:
    """The documents of one corpus file, in order."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _jsonl_documents(path)
    elif suffix == ".csv":
        yield from _csv_documents(path)
    else:
        yield from _parquet_documents(path)


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


def _row_document(path: Path, number: int, row: dict) -> Document:
    source = f"{path}:{number}"
    doc_id = row.get("id")
    if doc_id is None or str(doc_id).strip() == "":
        return Document(f"{path.name}:{number}", "", source, error=f"row {number}: no id")
    meta = {k: v for k, v in row.items() if k not in ("id", "text")}
    text = row.get("text")
    if not isinstance(text, str):
        return Document(str(doc_id), "", source, meta, error=f"row {number}: no text")
    try:
        check_size(len(text.encode("utf-8")))
        text, warnings = checked_text(text)
    except DocumentError as error:
        return Document(str(doc_id), "", source, meta, error=f"row {number}: {error}")
    return Document(str(doc_id), text, source, meta, tuple(warnings))


def _jsonl_documents(path: Path) -> Iterator[Document]:
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
            yield _row_document(path, number, row)


def _csv_documents(path: Path) -> Iterator[Document]:
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
                yield _row_document(path, number, dict(zip(header, fields)))


def _parquet_documents(path: Path) -> Iterator[Document]:
    import pyarrow.parquet as pq

    number = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=1024):
        for row in batch.to_pylist():
            number += 1
            yield _row_document(path, number, row)
