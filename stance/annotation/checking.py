"""Checking an annotation file's rows before anything is merged: labels, places and texts.

Every bad row is named in one LabelError; a row without a label, a row the tool marks as skipped
and an exact repeat are left out with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stance.annotation.labels import LabelError, usable_article_id
from stance.schema import TASKS


class SkippedRow(Exception):
    """A row an import can carry past: it is left out with a warning."""


@dataclass
class Checked:
    """The usable rows of an annotation file, the article texts they rest on, and the warnings."""

    rows: list[dict] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def check_annotations(raw_rows: list[dict], where: str, known_texts: dict[str, str] | None = None,
                      gold: dict | None = None, require_text: bool = True) -> Checked:
    """Check every row; raise one LabelError naming each bad row, or return the usable rows.

    A row without a stance or frame (or one the tool marks as skipped), and an exact repeat of an
    earlier row, are left out with a warning. Unknown labels, positions that do not match the
    article's text, a text differing from ``known_texts`` (the label directory's), a sentence cut
    differently from ``gold`` ({(article, sentence): row}), and repeats with other labels are errors.
    """
    checked = Checked(texts=dict(known_texts or {}))
    errors: list[str] = []
    seen: dict = {}
    for raw in raw_rows:
        try:
            row = checked_row(raw)
            check_text(row, raw.get("article_text"), checked.texts, known_texts or {}, require_text)
            key = (row["article"], row["sentence"])
            earlier = gold and gold.get(key)
            if earlier and (earlier["start"], earlier["end"], earlier["text"]) != (row["start"], row["end"], row["text"]):
                raise LabelError(f"sentence {row['sentence']} of {row['article']} is cut at "
                                 f"{earlier['start']}-{earlier['end']} in gold, at {row['start']}-{row['end']} here")
            if key in seen:
                first = seen[key]
                if all(first[k] == row[k] for k in ("start", "end", "text", *TASKS)):
                    raise SkippedRow(f"repeats row {first['row']}")
                raise LabelError(f"sentence {row['sentence']} of {row['article']} is also on row {first['row']}, "
                                 f"with other labels or offsets")
            seen[key] = row
            checked.rows.append(row)
        except SkippedRow as reason:
            checked.warnings.append(f"{where}, row {raw['row']}: {reason}; left out")
        except LabelError as error:
            errors.append(f"row {raw['row']}: {error}")
    if errors:
        raise LabelError(f"{where}: {len(errors)} bad row{'s' * (len(errors) > 1)}: {'; '.join(errors)}")
    return checked


def checked_row(raw: dict) -> dict:
    """One row's labels and place, cleaned; SkippedRow or LabelError when it cannot be used."""
    if raw.get("error"):
        raise LabelError(raw["error"])
    if raw.get("skip"):
        raise SkippedRow(raw["skip"])
    labels = {}
    for task, choices in TASKS.items():
        given = [str(value).strip() for value in raw.get(task) or []]
        if len(given) > 1:
            raise LabelError(f"several {task} labels ({', '.join(given)})")
        if given and given[0] not in choices:
            raise LabelError(f"unknown {task} {given[0]!r} (choose from {', '.join(choices)})")
        labels[task] = given[0] if given else None
    missing = [task for task, label in labels.items() if label is None]
    if missing:
        raise SkippedRow(f"no {' and no '.join(missing)} label")
    if not usable_article_id(raw.get("article")):
        raise LabelError(f"article id {raw.get('article')!r} cannot name a file")
    try:
        place = {k: integer(raw.get(k)) for k in ("sentence", "start", "end")}
    except (TypeError, ValueError):
        raise LabelError("sentence, start and end must be integers") from None
    if not isinstance(raw.get("text"), str):
        raise LabelError("no sentence text")
    if not isinstance(raw.get("annotator") or "", str):
        raise LabelError("the annotator is not a string")
    return {"row": raw["row"], "article": raw["article"], **place, "text": raw["text"], **labels,
            "annotator": raw.get("annotator") or None}


def integer(value) -> int:
    """An int given as a JSON number or a CSV cell; TypeError for anything else."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(value)
    return int(value)


def check_text(row: dict, given: str | None, texts: dict[str, str], known: dict[str, str], require_text: bool) -> None:
    """Record the article text a row carries, and check the row's sentence against it."""
    article = row["article"]
    if given is not None:
        if not isinstance(given, str):
            raise LabelError("the article text must be a string")
        if "\r" in given:
            raise LabelError(f"the text of article {article} holds carriage returns; end its lines with \\n only")
        if article in known and known[article] != given:
            raise LabelError(f"article {article} is already in the label directory with a different text")
        if texts.get(article, given) != given:
            raise LabelError(f"the text of article {article} differs from an earlier row's")
        texts[article] = given
    text = texts.get(article)
    if text is None:
        if require_text:
            raise LabelError(f"no text for article {article} (a CSV needs its .articles.jsonl beside it)")
        return
    if not (0 <= row["start"] < row["end"] <= len(text) and text[row["start"]:row["end"]] == row["text"]):
        raise LabelError(f"the sentence no longer matches article {article} at {row['start']}-{row['end']}")

