"""Gold label files: one CSV per article, read, validated and written here.

A label directory holds ``articles.csv`` (one row per article: its id, provenance, the path of its
text relative to the directory, and notes), ``gold/<article>.csv`` with one row per sentence, and
the annotation passes ``passes/<name>/<article>.csv`` in the same layout.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from stance.schema import FRAMES, LABEL_COLUMNS, PROVENANCES, STANCES

MANIFEST = "articles.csv"
MANIFEST_COLUMNS = ("article", "provenance", "path", "register", "written_by", "note", "source_url")


class LabelError(ValueError):
    """A label file that breaks the format or disagrees with its article's text."""


def usable_article_id(article: object) -> bool:
    """Whether an article id can name files in a label directory."""
    return (isinstance(article, str) and bool(article) and not article.startswith(".")
            and not any(c in article for c in "/\\\0"))


def utf8_text(path: Path, newline: str | None = None) -> str:
    """A file's UTF-8 text (``newline`` as ``open`` takes it); LabelError naming the file when it is not UTF-8."""
    try:
        with open(path, encoding="utf-8", newline=newline) as handle:
            return handle.read()
    except UnicodeDecodeError:
        raise LabelError(f"{path}: not UTF-8 text") from None


def csv_rows(path: Path) -> csv.DictReader:
    """A reader of a UTF-8 CSV file's rows by column (LabelError naming the file when it is not UTF-8)."""
    return csv.DictReader(io.StringIO(utf8_text(path, newline=""), newline=""))


def read_rows(path: Path) -> list[dict]:
    """The rows of one label CSV, with integer positions."""
    reader = csv_rows(path)
    missing = set(LABEL_COLUMNS) - set(reader.fieldnames or ())
    if missing:
        raise LabelError(f"{path}: missing columns {', '.join(sorted(missing))}")
    rows = []
    for number, row in enumerate(reader, start=2):
        try:
            row["sentence"], row["start"], row["end"] = int(row["sentence"]), int(row["start"]), int(row["end"])
        except ValueError:
            raise LabelError(f"{path}, row {number}: sentence, start and end must be integers") from None
        rows.append(row)
    return rows


def write_rows(path: Path, rows: list[dict]) -> None:
    """Write label rows as CSV with the project's column order (atomically, making its folder)."""
    write_files({Path(path): csv_text(rows, LABEL_COLUMNS)})


def check_rows(rows: list[dict], text: str, where: str, complete: bool = True) -> None:
    """Raise LabelError on the first row that is unknown, duplicated or off its text."""
    seen = set()
    for number, row in enumerate(rows, start=2):
        here = f"{where}, row {number}"
        key = (row["article"], row["sentence"])
        if key in seen:
            raise LabelError(f"{here}: duplicate sentence {row['sentence']} of {row['article']}")
        seen.add(key)
        if text[row["start"]:row["end"]] != row["text"]:
            raise LabelError(f"{here}: offsets {row['start']}-{row['end']} do not match the sentence text")
        if complete or row["stance"] or row["frame"]:
            if row["stance"] not in STANCES:
                raise LabelError(f"{here}: unknown stance {row['stance']!r}")
            if row["frame"] not in FRAMES:
                raise LabelError(f"{here}: unknown frame {row['frame']!r}")
        if row["provenance"] not in PROVENANCES:
            raise LabelError(f"{here}: unknown provenance {row['provenance']!r}")


def read_manifest(directory: Path) -> list[dict]:
    """The articles of a label directory."""
    path = Path(directory) / MANIFEST
    if not path.is_file():
        raise LabelError(f"{path}: no article manifest")
    return list(csv_rows(path))


def article_text(directory: Path, entry: dict) -> str:
    """The text of one manifest entry, read exactly as stored."""
    return utf8_text(Path(directory) / entry["path"])


def load_gold(directory: Path, subfolder: str = "gold"):
    """Every gold label of a label directory, checked against its articles, in article order."""
    import pandas as pd

    directory = Path(directory)
    frames = []
    for entry in read_manifest(directory):
        path = directory / subfolder / f"{entry['article']}.csv"
        if not path.is_file():
            continue
        rows = read_rows(path)
        check_rows(rows, article_text(directory, entry), str(path))
        frames.append(pd.DataFrame(rows, columns=LABEL_COLUMNS))
    if not frames:
        raise LabelError(f"{directory / subfolder}: no label files for the articles in {MANIFEST}")
    return pd.concat(frames, ignore_index=True).sort_values(["article", "sentence"], ignore_index=True)


def training_gold(labels_dir: Path, exclude: Sequence[str] = ()):
    """The gold labels of ``labels_dir`` but the articles whose ids start with a prefix in ``exclude``."""
    gold = load_gold(labels_dir)
    if not exclude:
        return gold
    unmatched = next((prefix for prefix in exclude if not gold["article"].str.startswith(prefix).any()), None)
    if unmatched is not None:
        raise LabelError(f"{labels_dir}: --exclude {unmatched} matches no labelled article")
    kept = gold[~gold["article"].str.startswith(tuple(exclude))].reset_index(drop=True)
    if kept.empty:
        raise LabelError(f"{labels_dir}: --exclude {' '.join(exclude)} leaves no labelled article to train on")
    return kept


def labels_hash(gold) -> str:
    """A SHA-256 of the labelled sentences, independent of file layout."""
    import hashlib

    digest = hashlib.sha256()
    for row in gold[["article", "sentence", "text", "stance", "frame"]].itertuples(index=False):
        digest.update("\x1f".join(map(str, row)).encode("utf-8") + b"\x1e")
    return digest.hexdigest()


def load_pass(directory: Path, name: str):
    """Every label file of one annotation pass (``passes/<name>/``), checked, in article order."""
    return load_gold(directory, f"passes/{name}")


def csv_text(rows: list[dict], columns, header: bool = True) -> str:
    """Rows as CSV text, written as the label files are (``write_rows``)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    if header:
        writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_files(files: dict[Path, str]) -> None:
    """Replace every file atomically, or none: after a failure the files already written get their
    old content back and new folders are removed."""
    import contextlib

    import stance.output

    previous = {path: path.read_bytes() if path.is_file() else None for path in files}
    written, made = [], []
    try:
        for path, content in files.items():
            for folder in reversed(path.parents):
                if not folder.exists():
                    folder.mkdir()
                    made.append(folder)
            stance.output.write_text(content, path)
            written.append(path)
    except BaseException:
        for path in reversed(written):
            earlier = previous[path]
            if earlier is None:
                path.unlink()
            else:
                path.write_bytes(earlier)
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
