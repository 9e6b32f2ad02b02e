"""The annotators' tool for the project's own label files: ``stance label template|fill|check|realign``.

``template`` cuts an article into sentences exactly as the model will and writes an unlabelled
label file; ``fill`` writes the annotator's decisions (one ``INDEX STANCE FRAME`` line per sentence,
typed by the annotator) into it; ``check`` fails on a missing, unknown or misplaced label.
``realign`` re-cuts the article with the current splitter and carries each label over to the same
sentence; it refuses when the number of sentences changed or a sentence changed by more than the
quote marks and brackets at its edges.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from stance.annotation.labels import LabelError, check_rows, read_rows, usable_article_id, utf8_text, write_rows
from stance.schema import FRAMES, PROVENANCES, STANCES
from stance.sentences import OPENERS, split

EDGES = OPENERS + " \t"


def template_rows(article: str, text: str, provenance: str, annotator: str) -> list[dict]:
    """One unlabelled row per sentence of ``text``, as the splitter cuts it."""
    return [
        dict(article=article, sentence=i, start=s, end=e, text=text[s:e], stance="", frame="",
             provenance=provenance, annotator=annotator)
        for i, (s, e) in enumerate(split(text))
    ]


def template(text_path: Path, out: Path, annotator: str, provenance: str = "written") -> list[dict]:
    """Write an unlabelled label file for the article ``text_path`` (its id: the file name without
    suffix) and return its rows; an existing file is never overwritten."""
    text_path, out = Path(text_path), Path(out)
    if provenance not in PROVENANCES:
        raise LabelError(f"unknown provenance {provenance!r}; choose from {', '.join(PROVENANCES)}")
    if not usable_article_id(text_path.stem):
        raise LabelError(f"{text_path}: {text_path.stem!r} cannot be an article id")
    if out.exists():
        raise LabelError(f"{out}: already exists; remove it first, or `stance label realign` it")
    rows = template_rows(text_path.stem, utf8_text(text_path), provenance, annotator)
    write_rows(out, rows)
    return rows


def decision(line: str, sentences: set[int], earlier: dict) -> tuple[int, tuple[str, str]]:
    """One ``INDEX STANCE FRAME`` line, checked; LabelError says what is wrong with it."""
    fields = line.split()
    if len(fields) != 3:
        raise LabelError(f"expected INDEX STANCE FRAME, got {line.strip()!r}")
    index, stance, frame = fields
    if not index.isdigit() or int(index) not in sentences:
        raise LabelError(f"no sentence {index} in the file")
    if int(index) in earlier:
        raise LabelError(f"sentence {index} is given twice")
    if stance not in STANCES:
        raise LabelError(f"unknown stance {stance!r} (choose from {', '.join(STANCES)})")
    if frame not in FRAMES:
        raise LabelError(f"unknown frame {frame!r} (choose from {', '.join(FRAMES)})")
    return int(index), (stance, frame)


def read_decisions(lines: Iterable[str], sentences: set[int], where: str) -> dict[int, tuple[str, str]]:
    """The decisions of ``lines`` by sentence (blank lines skipped); every bad line named in one LabelError."""
    decisions: dict[int, tuple[str, str]] = {}
    errors: list[str] = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            try:
                index, labels = decision(line, sentences, decisions)
                decisions[index] = labels
            except LabelError as error:
                errors.append(f"line {number}: {error}")
    if errors:
        raise LabelError(f"{where}: {len(errors)} bad line{'s' * (len(errors) > 1)}: {'; '.join(errors)}")
    if not decisions:
        raise LabelError(f"{where}: no INDEX STANCE FRAME line")
    return decisions


def decision_lines(source: str) -> list[str]:
    """The lines of a decisions file, or of standard input for ``-``; LabelError when they are not UTF-8 text."""
    from stance.documents import STDIN, standard_input

    if source != STDIN:
        return utf8_text(Path(source)).splitlines()
    try:
        return standard_input().decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise LabelError("standard input: not UTF-8 text") from None


def fill(path: Path, lines: Iterable[str], where: str = "standard input") -> int:
    """Write the decisions of ``lines`` into the label file (all of them, or nothing when a line is
    bad); returns the number of sentences labelled."""
    rows = read_rows(path)
    by_sentence = {row["sentence"]: row for row in rows}
    decisions = read_decisions(lines, set(by_sentence), where)
    for index, (stance, frame) in decisions.items():
        by_sentence[index].update(stance=stance, frame=frame)
    write_rows(path, rows)
    return len(decisions)


def check(path: Path, text_path: Path) -> int:
    """Check a label file against its article: every row in place, every label known, none missing;
    returns the number of sentences."""
    rows = read_rows(path)
    check_rows(rows, utf8_text(text_path), str(path), complete=False)
    unlabelled = [row["sentence"] for row in rows if not row["stance"] and not row["frame"]]
    if unlabelled:
        raise LabelError(f"{path}: {len(unlabelled)} sentences without labels: {', '.join(map(str, unlabelled))}")
    return len(rows)


def realign(path: Path, text_path: Path) -> int:
    """Move a label file's offsets to the current splitter's cut, keeping every label; returns the
    number of sentences whose offsets moved."""
    text = utf8_text(text_path)
    rows = read_rows(path)
    spans = split(text)
    if len(spans) != len(rows):
        raise LabelError(f"{path}: {len(rows)} labelled sentences but the splitter now cuts {len(spans)}")
    moved = 0
    for row, (start, end) in zip(rows, spans):
        if row["text"].strip(EDGES) != text[start:end].strip(EDGES):
            raise LabelError(f"{path}, sentence {row['sentence']}: the cut moved more than quote marks")
        moved += (row["start"], row["end"]) != (start, end)
        row.update(start=start, end=end, text=text[start:end])
    write_rows(path, rows)
    return moved
