"""Gold labels built from the annotation passes: ``stance label gold``.

Gold is pass A (``passes/a/<article>.csv``) for every article of the manifest, with each sentence
listed in ``adjudication.csv`` (decisions made by judgment) taken from there, annotator
``adjudicated``. While pass B (``passes/b/``) differs from pass A on a sentence that is not
adjudicated, the step refuses and writes nothing.

It never drops nor overwrites a label that ``stance label import`` merged into gold: a gold row with
provenance ``imported`` stays as it is (a pass-A label for the same sentence that differs is
reported as a conflict, not written), and an article without a pass-A file is left alone. Every
file is checked against its article's text, and all are written or none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from stance.annotation.importing import IMPORTED
from stance.annotation.labels import (LabelError, article_text, check_rows, csv_rows, csv_text, load_pass,
                                      read_manifest, read_rows, write_files)
from stance.schema import FRAMES, LABEL_COLUMNS, STANCES

FIRST, SECOND = "a", "b"
ADJUDICATION = "adjudication.csv"
ADJUDICATED = "adjudicated"


@dataclass
class GoldReport:
    """What the gold step did: sentences and articles in the passes' gold, files changed, labels
    adjudicated, imported labels kept, and the conflicts between pass A and imported labels."""

    sentences: int = 0
    articles: int = 0
    changed: list[Path] = field(default_factory=list)
    adjudicated: int = 0
    kept: int = 0
    conflicts: list[str] = field(default_factory=list)


def read_adjudication(path: Path) -> dict[tuple[str, int], dict]:
    """The adjudicator's decisions by (article, sentence), each checked."""
    if not Path(path).is_file():
        return {}
    decided = {}
    for number, row in enumerate(csv_rows(path), start=2):
        if not row.get("sentence", "").isdigit() or row.get("stance") not in STANCES or row.get("frame") not in FRAMES:
            raise LabelError(f"{path}, row {number}: expected an integer sentence, a known stance and a known frame")
        decided[(row["article"], int(row["sentence"]))] = row
    return decided


def undecided(directory: Path, decided: dict) -> list[tuple[str, int]]:
    """The sentences on which pass A and pass B differ and that no decision settles."""
    from stance.annotation.agreement import disagreements

    if not (directory / "passes" / SECOND).is_dir():
        return []
    differ = disagreements(load_pass(directory, FIRST), load_pass(directory, SECOND))
    return [key for key in zip(differ["article"], map(int, differ["sentence"])) if key not in decided]


def adjudicated_rows(path: Path, decided: dict) -> tuple[list[dict], int]:
    """The rows of one pass-A file with the decisions applied, and how many were applied."""
    rows, applied = read_rows(path), 0
    for row in rows:
        decision = decided.get((row["article"], row["sentence"]))
        if decision:
            row.update(stance=decision["stance"], frame=decision["frame"], annotator=ADJUDICATED)
            applied += 1
    return rows, applied


def labels(row: dict) -> tuple[str, str]:
    """A row's stance and frame."""
    return row["stance"], row["frame"]


def keep_imported(built: list[dict], current: list[dict], where: str) -> tuple[list[dict], int, list[str]]:
    """``built`` with every imported row of the current gold file in place, the number kept, and
    the sentences where pass A says otherwise."""
    merged = {row["sentence"]: row for row in built}
    imported = {row["sentence"]: row for row in current if row["provenance"] == IMPORTED}
    conflicts = [f"{where}, sentence {sentence}: kept the imported {row['stance']}/{row['frame']}, "
                 f"pass A says {merged[sentence]['stance']}/{merged[sentence]['frame']}"
                 for sentence, row in imported.items() if sentence in merged and labels(row) != labels(merged[sentence])]
    merged.update(imported)
    return [merged[sentence] for sentence in sorted(merged)], len(imported), conflicts


def build_gold(directory: Path) -> GoldReport:
    """Rebuild ``gold/`` from the passes and the adjudication, keeping every imported label."""
    directory = Path(directory)
    decided = read_adjudication(directory / ADJUDICATION)
    missing = undecided(directory, decided)
    if missing:
        raise LabelError(f"{len(missing)} disagreements between the passes are not adjudicated in "
                         f"{directory / ADJUDICATION}, e.g. {', '.join(f'{a} sentence {s}' for a, s in missing[:3])}")
    report, files = GoldReport(), {}
    for entry in read_manifest(directory):
        first = directory / "passes" / FIRST / f"{entry['article']}.csv"
        if not first.is_file():
            continue
        rows, applied = adjudicated_rows(first, decided)
        path = directory / "gold" / f"{entry['article']}.csv"
        current = read_rows(path) if path.is_file() else []
        rows, kept, conflicts = keep_imported(rows, current, str(path))
        check_rows(rows, article_text(directory, entry), str(path))
        content = csv_text(rows, LABEL_COLUMNS)
        if not path.is_file() or path.read_bytes() != content.encode("utf-8"):
            files[path] = content
        report.sentences += len(rows)
        report.articles += 1
        report.adjudicated += applied
        report.kept += kept
        report.conflicts += conflicts
    if not report.articles:
        raise LabelError(f"{directory / 'passes' / FIRST}: no pass-A label files for the articles in the manifest")
    write_files(files)
    report.changed = list(files)
    return report
