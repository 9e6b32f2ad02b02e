"""The real development set: labels of real articles whose texts the repository never holds.

``labels/real_dev/`` keeps, per article, its source URL, outlet, date and the search query that
finds it again (``manifest.csv``), and per sentence its offsets, a hash of its text and its labels
(``gold.csv``, and the two independent passes in ``passes/``). The texts live in a git-ignored
folder (``.cache/real_dev/texts/<article>.txt``) rebuilt with the search tool. The fresh set
(``labels/real_fresh/``, texts in ``.cache/real_fresh/texts/``) has the same layout and functions; it
was labelled after the shipped model was fixed and chooses nothing. Loading re-cuts each
text with the splitter and keeps the sentences whose hash matches the stored one, so a rebuilt text
that differs in a few characters costs those sentences only, never a wrong label.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from stance.annotation.labels import csv_rows, csv_text, read_rows, write_files
from stance.paths import CACHE, LABELS
from stance.schema import FRAMES, STANCES

DEV_LABELS = LABELS / "real_dev"
DEV_TEXTS = CACHE / "real_dev" / "texts"
FRESH_LABELS = LABELS / "real_fresh"
FRESH_TEXTS = CACHE / "real_fresh" / "texts"
MANIFEST_COLUMNS = ("article", "source_url", "outlet", "date", "register", "event", "query", "sentences")
LABEL_COLUMNS = ("article", "sentence", "start", "end", "sha1", "stance", "frame")
ADJUDICATION_COLUMNS = ("article", "sentence", "sha1", "pass_a", "pass_b", "stance", "frame", "reason")


class DevSetMissing(RuntimeError):
    """The development texts are not on this machine (they are rebuilt, never committed)."""


@dataclass
class DevSet:
    """The labelled sentences that could be matched, and what could not."""

    gold: object  # a DataFrame in the gold-label layout, provenance "real_dev"
    missing_articles: list[str]
    unmatched_sentences: int


def sentence_hash(text: str) -> str:
    """A short hash of a sentence, blind to Unicode normal form and runs of white space."""
    normal = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()
    return hashlib.sha1(normal.encode("utf-8")).hexdigest()[:16]


def read_csv(path: Path) -> list[dict]:
    """The rows of a UTF-8 CSV file as dicts (read as the label files are)."""
    return list(csv_rows(path))


def write_csv(path: Path, rows: list[dict], columns) -> None:
    """Write rows as CSV with the given column order, atomically (as the label files are)."""
    write_files({path: csv_text(rows, columns)})


def hashed_rows(labelled: list[dict]) -> list[dict]:
    """Label rows with their sentence text replaced by its hash (what the repository may keep)."""
    return [{**{k: row[k] for k in LABEL_COLUMNS if k != "sha1"}, "sha1": sentence_hash(row["text"])}
            for row in labelled]


def match_sentences(article: str, text: str, labelled: list[dict]) -> tuple[list[dict], int]:
    """Rows with text and offsets for the labelled sentences found in ``text``; and how many were not."""
    from stance.sentences import split

    by_hash: dict[str, list[tuple[int, int]]] = {}
    for start, end in split(text):
        by_hash.setdefault(sentence_hash(text[start:end]), []).append((start, end))
    rows, unmatched = [], 0
    for row in labelled:
        spans = by_hash.get(row["sha1"])
        if not spans:
            unmatched += 1
            continue
        start, end = spans.pop(0)
        rows.append(dict(article=article, sentence=int(row["sentence"]), start=start, end=end,
                         text=text[start:end], stance=row["stance"], frame=row["frame"],
                         provenance="real_dev", annotator="adjudicated"))
    return rows, unmatched


def check_labels(rows: list[dict], where: str) -> None:
    """Refuse a label file with an unknown stance or frame."""
    for number, row in enumerate(rows, start=2):
        if row["stance"] not in STANCES or row["frame"] not in FRAMES:
            raise ValueError(f"{where}, row {number}: unknown label {row['stance']!r}/{row['frame']!r}")


def load_dev(labels_dir: Path = DEV_LABELS, texts_dir: Path = DEV_TEXTS, labels_file: str = "gold.csv") -> DevSet:
    """The development set's labelled sentences with their texts, as gold rows.

    Raises DevSetMissing when no text is on this machine.
    """
    import pandas as pd

    manifest = read_csv(labels_dir / "manifest.csv")
    labelled = read_csv(labels_dir / labels_file)
    check_labels(labelled, str(labels_dir / labels_file))
    by_article: dict[str, list[dict]] = {}
    for row in labelled:
        by_article.setdefault(row["article"], []).append(row)
    rows, missing, unmatched = [], [], 0
    for entry in manifest:
        path = texts_dir / f"{entry['article']}.txt"
        if not path.is_file():
            missing.append(entry["article"])
            continue
        found, lost = match_sentences(entry["article"], path.read_text(encoding="utf-8"),
                                      by_article.get(entry["article"], []))
        rows += found
        unmatched += lost
    if not rows:
        raise DevSetMissing(
            f"the texts of {labels_dir.name} are not in {texts_dir}; rebuild them with the search tool "
            f"(see {labels_dir / 'README.md'})")
    gold = pd.DataFrame(rows).sort_values(["article", "sentence"], ignore_index=True)
    return DevSet(gold, missing, unmatched)


def pass_agreement(labels_dir: Path = DEV_LABELS) -> dict:
    """Cohen's kappa, raw agreement and confusion per task of a real set's two stored annotation passes."""
    import pandas as pd

    from stance.annotation.agreement import agreement

    passes = (pd.DataFrame(read_csv(labels_dir / "passes" / f"{name}.csv")).astype({"sentence": int}) for name in "ab")
    return agreement(*passes)


def freeze_pass(pass_dir: Path, out: Path) -> int:
    """Write one annotation pass's finished label files (with text, git-ignored) as hashed rows; returns the rows.

    A file still being labelled (any sentence without a label) is left out.
    """
    files = [read_rows(path) for path in sorted(Path(pass_dir).glob("*.csv"))]
    rows = [row for labelled in files if all(r["stance"] for r in labelled) for row in hashed_rows(labelled)]
    check_labels(rows, str(pass_dir))
    write_csv(out, rows, LABEL_COLUMNS)
    return len(rows)


def build_gold(labels_dir: Path = DEV_LABELS) -> list[dict]:
    """Gold from the two passes: their shared labels, and ``adjudication.csv`` wherever they differ.

    Raises ValueError naming the disagreements not yet adjudicated, or a pass row whose sentence
    the other pass does not have.
    """
    key = lambda row: (row["article"], int(row["sentence"]))  # noqa: E731
    first = {key(row): row for row in read_csv(labels_dir / "passes" / "a.csv")}
    second = {key(row): row for row in read_csv(labels_dir / "passes" / "b.csv")}
    decided = {key(row): row for row in read_csv(labels_dir / "adjudication.csv")}
    if set(first) != set(second) or any(first[k]["sha1"] != second[k]["sha1"] for k in first):
        raise ValueError("the two passes do not label the same sentences")
    gold, undecided = [], []
    for k, row in first.items():
        other = second[k]
        if (row["stance"], row["frame"]) == (other["stance"], other["frame"]):
            gold.append({**row, "decided_by": "both passes"})
        elif k in decided:
            gold.append({**row, "stance": decided[k]["stance"], "frame": decided[k]["frame"], "decided_by": "adjudication"})
        else:
            undecided.append(k)
    if undecided:
        raise ValueError(f"{len(undecided)} disagreements not adjudicated in adjudication.csv, e.g. {undecided[:3]}")
    check_labels(gold, str(labels_dir / "adjudication.csv"))
    return gold


def adjudication_rows(labels_dir: Path, decisions: list[dict]) -> list[dict]:
    """The adjudicator's decisions beside both passes' labels and the sentence hash (no text)."""
    passes = {name: {(r["article"], r["sentence"]): r for r in read_csv(labels_dir / "passes" / f"{name}.csv")}
              for name in ("a", "b")}
    rows = []
    for decision in decisions:
        key = (decision["article"], str(int(decision["sentence"])))
        a, b = passes["a"][key], passes["b"][key]
        rows.append({**decision, "sha1": a["sha1"], "pass_a": f"{a['stance']} {a['frame']}",
                     "pass_b": f"{b['stance']} {b['frame']}"})
    check_labels(rows, "adjudication decisions")
    return rows


def freeze(cache: Path = DEV_TEXTS.parent, labels_dir: Path = DEV_LABELS) -> dict:
    """Turn the git-ignored work (manifests, passes with text) into the repository's files, without text.

    Writes ``manifest.csv``, ``passes/a.csv`` and ``passes/b.csv``, then ``gold.csv`` once every
    disagreement is adjudicated; returns what it wrote.
    """
    from stance.sentences import split

    entries = [row for path in sorted(cache.glob("manifest_*.csv")) for row in read_csv(path)]
    for entry in entries:
        entry["sentences"] = len(split((cache / "texts" / f"{entry['article']}.txt").read_text(encoding="utf-8")))
    write_csv(labels_dir / "manifest.csv", entries, MANIFEST_COLUMNS)
    written: dict[str, int | str] = {"articles": len(entries)}
    for name in ("a", "b"):
        written[f"pass_{name}"] = freeze_pass(cache / "passes" / name, labels_dir / "passes" / f"{name}.csv")
    decisions = [row for path in sorted((cache / "adjudicate").glob("decisions_*.csv")) for row in read_csv(path)]
    write_csv(labels_dir / "adjudication.csv", adjudication_rows(labels_dir, decisions), ADJUDICATION_COLUMNS)
    try:
        gold = build_gold(labels_dir)
    except ValueError as error:
        written["gold"] = str(error)
    else:
        write_csv(labels_dir / "gold.csv", gold, LABEL_COLUMNS + ("decided_by",))
        written["gold"] = len(gold)
    return written
