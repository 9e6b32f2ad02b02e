"""Labels back into a label directory: ``stance label import``.

An import reads an annotation file in any format (``stance.annotation.formats``), checks every row
against its article's text (``stance.annotation.checking``) and merges the labels: new sentences go
to ``gold/`` with the given provenance (``imported`` by default), a label that differs from gold
goes to ``conflicts/`` instead, and gold keeps its own. All files are written or none.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from stance.annotation.checking import Checked, check_annotations
from stance.annotation.formats import read_annotations
from stance.annotation.labels import (MANIFEST, MANIFEST_COLUMNS, LabelError, article_text, check_rows, csv_text,
                                      csv_rows, read_manifest, read_rows, usable_article_id, utf8_text,
                                      write_files)
from stance.schema import LABEL_COLUMNS, PROVENANCES

CONFLICT_COLUMNS = LABEL_COLUMNS + ("gold_stance", "gold_frame", "source")
IMPORTED = "imported"
CONFLICTS = "conflicts"


@dataclass
class ImportReport:
    """What an import did: labels added, labels already in gold, conflicts set apart, rows left out."""

    added: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def import_labels(path: Path, directory: Path, fmt: str | None = None, annotator: str | None = None,
                  provenance: str = "imported") -> ImportReport:
    """Validate an annotation file and merge its labels into a label directory (all files or none).

    New articles get their text under ``imported/`` and a manifest row; new sentences are added to
    ``gold/<article>.csv``; a label that differs from gold is written to ``conflicts/<article>.csv``
    and gold keeps its own.
    """
    if provenance not in PROVENANCES:
        raise LabelError(f"unknown provenance {provenance!r}; choose from {', '.join(PROVENANCES)}")
    path, directory = Path(path), Path(directory)
    raw = read_annotations(path, fmt)
    manifest = read_manifest(directory) if (directory / MANIFEST).is_file() else []
    named = {row["article"] for row in raw if usable_article_id(row.get("article"))}
    known = {entry["article"]: article_text(directory, entry) for entry in manifest if entry["article"] in named}
    gold = {article: read_rows(directory / "gold" / f"{article}.csv") for article in sorted(named)
            if (directory / "gold" / f"{article}.csv").is_file()}
    checked = check_annotations(raw, str(path), known, {(r["article"], r["sentence"]): r for rows in gold.values() for r in rows})
    if not checked.rows:
        raise LabelError(f"{path}: no labelled rows to import ({len(checked.warnings)} rows left out)")
    unnamed = [row["row"] for row in checked.rows if not (annotator or row["annotator"])]
    if unnamed:
        raise LabelError(f"{path}: {len(unnamed)} rows name no annotator (first: row {unnamed[0]}); pass --annotator NAME")
    for row in checked.rows:
        row.update(annotator=annotator or row["annotator"], provenance=provenance)
    files, report = merged_files(checked, directory, manifest, gold, path.name, provenance)
    report.warnings = checked.warnings
    write_files(files)
    return report


def merged_files(checked: Checked, directory: Path, manifest: list[dict], gold: dict[str, list[dict]],
                 source: str, provenance: str) -> tuple[dict[Path, str], ImportReport]:
    """The files an import changes (path → new content) and its report."""
    files: dict[Path, str] = {}
    report = ImportReport()
    listed = {entry["article"] for entry in manifest}
    new_entries = []
    for article in sorted({row["article"] for row in checked.rows}):
        current = {row["sentence"]: row for row in gold.get(article, [])}
        conflicts_path = directory / CONFLICTS / f"{article}.csv"
        apart = []
        for row in (r for r in checked.rows if r["article"] == article):
            held = current.get(row["sentence"])
            if held is None:
                current[row["sentence"]] = row
                report.added += 1
            elif (held["stance"], held["frame"]) == (row["stance"], row["frame"]):
                report.unchanged += 1
            else:
                apart.append({**row, "gold_stance": held["stance"], "gold_frame": held["frame"], "source": source})
                report.conflicts.append(
                    f"{article}, sentence {row['sentence']}: gold says {held['stance']}/{held['frame']}, "
                    f"{source} row {row['row']} says {row['stance']}/{row['frame']}; gold kept, see {conflicts_path}")
        if article not in listed:
            files[directory / IMPORTED / f"{article}.txt"] = checked.texts[article]
            new_entries.append(dict(article=article, provenance=provenance,
                                    path=f"{IMPORTED}/{article}.txt", register="", written_by="",
                                    note=f"imported from {source}"))
        if len(current) > len(gold.get(article, [])):
            gold_path = directory / "gold" / f"{article}.csv"
            rows = [current[sentence] for sentence in sorted(current)]
            check_rows(rows, checked.texts[article], str(gold_path))
            files[gold_path] = csv_text(rows, LABEL_COLUMNS)
        if apart:
            files[conflicts_path] = conflict_file(conflicts_path, apart)
    if new_entries:
        files[directory / MANIFEST] = manifest_with(directory / MANIFEST, new_entries)
    return files, report


def conflict_file(path: Path, rows: list[dict]) -> str:
    """A conflicts file holding its earlier rows and the new ones, each distinct row once."""
    earlier = []
    if path.is_file():
        earlier = list(csv_rows(path))
    distinct = {tuple(str(row.get(c, "")) for c in CONFLICT_COLUMNS): row for row in earlier + rows}
    return csv_text(list(distinct.values()), CONFLICT_COLUMNS)


def manifest_with(path: Path, entries: list[dict]) -> str:
    """The manifest's text, unchanged, with rows for the new articles appended."""
    if not path.is_file():
        return csv_text(entries, MANIFEST_COLUMNS)
    text = utf8_text(path, newline="")
    columns = next(csv.reader(io.StringIO(text)))
    return text + ("" if text.endswith("\n") else "\r\n") + csv_text(entries, columns, header=False)

