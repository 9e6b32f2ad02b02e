"""Article metadata for the report: reading a CSV or JSONL file, and naming each sentence's group."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from stance.documents import InputError

if TYPE_CHECKING:
    import pandas as pd

JSON_LINES_SUFFIXES = (".jsonl", ".ndjson", ".json")
GROUP = "group"  # the sentence column that holds each sentence's group while the report is built


def read_meta(path: Path) -> pd.DataFrame:
    """The metadata table: one row per article, every value as text ('' where missing)."""
    import pandas as pd

    path = Path(path)
    json_lines = path.suffix.lower() in JSON_LINES_SUFFIXES
    try:
        if json_lines:
            meta = pd.DataFrame(_json_lines(path))
        else:
            meta = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such meta file") from None
    except (ValueError, UnicodeDecodeError) as error:
        kind = "JSON Lines" if json_lines else "CSV"
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise InputError(f"{path}: not a readable {kind} meta file ({reason})") from None
    if "article" not in meta.columns:
        found = ", ".join(map(str, meta.columns)) or "none"
        raise InputError(f"{path}: the meta file has no 'article' column (columns: {found})")
    meta = meta.fillna("")
    twice = meta["article"][meta["article"].duplicated()]
    if len(twice):
        raise InputError(f"{path}: article {twice.iloc[0]!r} is listed more than once")
    return meta


def _json_lines(path: Path) -> list[dict]:
    """The objects of a JSON Lines file, with every value as text ('' for null)."""
    import json

    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if line.strip():
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"line {number}: {error.msg}") from None
            if not isinstance(row, dict):
                raise ValueError(f"line {number} is not a JSON object")
            rows.append({key: "" if value is None else str(value) for key, value in row.items()})
    return rows


def missing_label(by: str) -> str:
    """The group name of articles with no value in the ``by`` column."""
    return f"(no {by})"


def check_by(meta, by: str) -> None:
    """Refuse a ``by`` column that the meta file does not have (``article`` needs no meta file)."""
    if by == "article":
        return
    if meta is None:
        raise InputError(f"--by {by} needs a meta file (--meta) with a {by!r} column")
    if by not in meta.columns:
        raise InputError(f"--by {by}: no such column in the meta file (columns: {', '.join(meta.columns)})")


def assign_groups(sentences, meta=None, by: str = "article"):
    """The sentences with a ``group`` column from ``by``, and the articles the meta file lacks."""
    missing = [] if meta is None else sorted(set(sentences["article"]) - set(meta["article"]))
    check_by(meta, by)
    if by == "article":
        return sentences.assign(**{GROUP: sentences["article"]}), missing
    values = sentences["article"].map(dict(zip(meta["article"], meta[by]))).fillna("")
    return sentences.assign(**{GROUP: values.where(values != "", missing_label(by))}), missing
