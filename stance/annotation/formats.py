"""The three annotation formats, both ways: CSV (texts in ``<name>.articles.jsonl``), Label Studio
tasks (labelling config in ``<name>.label_config.xml``) and doccano JSONL (label set in
``<name>.labels.json``).

``export_files`` lays out an export's files; ``read_annotations`` reads any of the three back (a
gold CSV reads as csv). Rows are numbered as the file shows them: a CSV's header is row 1, a JSONL
file's first line and a JSON file's first task are row 1.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from stance.annotation.labels import LabelError
from stance.schema import SENTENCE_KEYS, TASKS

LABEL_FORMATS = ("csv", "label-studio", "doccano")
EXPORT_COLUMNS = SENTENCE_KEYS + ("stance", "frame", "stance_probability", "frame_probability", "uncertainty")
LABEL_COLORS = {"stance": "#1f5f9e", "frame": "#2e7d4f"}


def label_format(requested: str | None, path: Path) -> str:
    """The requested annotation format, else the one the file's suffix names."""
    from stance.formats import LABELS, FormatError

    try:
        return LABELS.choose(requested, Path(path))
    except FormatError as error:
        raise LabelError(str(error)) from None


def beside(path: Path, suffix: str) -> Path:
    """A side file next to ``path``: ``<name><suffix>``."""
    return path.with_name(path.stem + suffix)


def export_files(table, texts: dict[str, str], output: Path, fmt: str, model_name: str) -> dict[Path, str]:
    """The files of one export (the output and its side file), path → content."""
    from stance.output import records

    output = Path(output)
    rows = records(table)
    if fmt == "csv":
        return {output: table.to_csv(index=False, lineterminator="\n"),
                beside(output, ".articles.jsonl"): json_lines({"article": a, "text": texts[a]}
                                                              for a in dict.fromkeys(table["article"]))}
    if fmt == "label-studio":
        tasks = [{"data": {**{k: row[k] for k in SENTENCE_KEYS}, "article_text": texts[row["article"]],
                           "uncertainty": row["uncertainty"]},
                  "predictions": [label_studio_prediction(row, model_name)]} for row in rows]
        return {output: json.dumps(tasks, ensure_ascii=False, indent=1) + "\n",
                beside(output, ".label_config.xml"): label_studio_config()}
    if fmt == "doccano":
        lines = ({"text": row["text"], "label": [f"{task}:{row[task]}" for task in TASKS],
                  **{k: row[k] for k in EXPORT_COLUMNS if k not in ("text", *TASKS)},
                  "article_text": texts[row["article"]]} for row in rows)
        return {output: json_lines(lines), beside(output, ".labels.json"): doccano_label_set()}
    raise LabelError(f"unknown annotation format {fmt!r}; choose from {', '.join(LABEL_FORMATS)}")


def json_lines(items) -> str:
    """Items as JSON Lines."""
    return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)


def label_studio_prediction(row: dict, model_name: str) -> dict:
    """The model's suggestion for one sentence in Label Studio's prediction format."""
    result = [{"from_name": task, "to_name": "text", "type": "choices", "value": {"choices": [row[task]]},
               "score": row[f"{task}_probability"]} for task in TASKS]
    return {"model_version": model_name, "score": round(1 - row["uncertainty"], 4), "result": result}


def label_studio_config() -> str:
    """The Label Studio labelling config: the sentence, then one single-choice block per task."""
    blocks = "".join(
        f'  <Header value="{task}"/>\n  <Choices name="{task}" toName="text" choice="single" showInline="true">\n'
        + "".join(f'    <Choice value="{label}"/>\n' for label in labels) + "  </Choices>\n"
        for task, labels in TASKS.items())
    return f'<View>\n  <Header value="$article"/>\n  <Text name="text" value="$text"/>\n{blocks}</View>\n'


def doccano_label_set() -> str:
    """The label set in doccano's label-type format: ``stance:<label>`` and ``frame:<label>``."""
    types = [{"text": f"{task}:{label}", "prefix_key": None, "suffix_key": None,
              "background_color": LABEL_COLORS[task], "text_color": "#ffffff"}
             for task, labels in TASKS.items() for label in labels]
    return json.dumps(types, indent=1) + "\n"


def read_annotations(path: Path, fmt: str | None = None) -> list[dict]:
    """The rows of an annotation file in any export format (a gold CSV reads as csv).

    Each row has its number ``row``, the sentence keys as found, ``article_text`` when the file
    carries it, the labels per task as a list, ``annotator`` when the file names one, and ``skip``
    or ``error`` when the format already tells the row cannot be used.
    """
    path = Path(path)
    readers = {"csv": read_csv, "label-studio": read_label_studio, "doccano": read_doccano}
    fmt = label_format(fmt, path)
    if not path.is_file():
        raise LabelError(f"{path}: no such file")
    try:
        return readers[fmt](path)
    except UnicodeDecodeError:
        raise LabelError(f"{path}: not UTF-8 text") from None
    except csv.Error as error:
        raise LabelError(f"{path}: not a readable CSV ({error})") from None


def read_csv(path: Path) -> list[dict]:
    """Rows of an exported (or gold) CSV, with article texts from ``<name>.articles.jsonl`` if present."""
    sidecar = beside(path, ".articles.jsonl")
    texts = {}
    if sidecar.is_file():
        for number, item in json_records(sidecar):
            if not (isinstance(item, dict) and isinstance(item.get("article"), str) and isinstance(item.get("text"), str)):
                raise LabelError(f"{sidecar}, line {number}: expected {{\"article\": …, \"text\": …}}")
            texts[item["article"]] = item["text"]
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in SENTENCE_KEYS + tuple(TASKS) if c not in (reader.fieldnames or ())]
        if missing:
            raise LabelError(f"{path}: missing columns {', '.join(missing)}")
        return [{"row": number, **{k: row[k] for k in SENTENCE_KEYS}, "article_text": texts.get(row["article"]),
                 **{task: [row[task].strip()] if (row[task] or "").strip() else [] for task in TASKS},
                 "annotator": row.get("annotator") or None}
                for number, row in enumerate(reader, start=2)]


def read_label_studio(path: Path) -> list[dict]:
    """Rows of Label Studio tasks (an export from Label Studio, or this module's own export)."""
    tasks = parsed_json(path.read_text(encoding="utf-8-sig"), str(path))
    if not isinstance(tasks, list):
        raise LabelError(f"{path}: expected a list of Label Studio tasks")
    rows = []
    for number, task in enumerate(tasks, start=1):
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict):
            rows.append({"row": number, "error": "not a Label Studio task with data"})
            continue
        row = {"row": number, **{k: data.get(k) for k in SENTENCE_KEYS}, "article_text": data.get("article_text")}
        rows.append({**row, **annotation_labels(task.get("annotations") or [])})
    return rows


def annotation_labels(annotations: object) -> dict:
    """Labels and annotator from a task's Label Studio annotations; ``skip`` when none can be used,
    ``error`` when they are not shaped as Label Studio writes them."""
    if not isinstance(annotations, list):
        return {"error": "its annotations are not a list"}
    kept = [a for a in annotations if isinstance(a, dict) and not a.get("was_cancelled")]
    if not kept:
        return {"skip": "skipped in Label Studio" if annotations else "no annotation"}
    try:
        choices = [annotation_choices(annotation.get("result") or []) for annotation in kept]
    except LabelError as error:
        return {"error": str(error)}
    if any(c != choices[0] for c in choices[1:]):
        return {"skip": f"its {len(kept)} annotations disagree (compare them with `stance label agreement`)"}
    by = kept[0].get("completed_by")
    return {**choices[0], "annotator": by.get("email") if isinstance(by, dict) else None}


def annotation_choices(results: object) -> dict[str, list]:
    """The labels chosen per task in one Label Studio annotation's results; LabelError when misshapen."""
    if not isinstance(results, list):
        raise LabelError("an annotation's result is not a list")
    chosen: dict[str, list] = {task: [] for task in TASKS}
    for result in results:
        task = result.get("from_name") if isinstance(result, dict) else None
        if isinstance(task, str) and task in TASKS:
            value = result.get("value") or {}
            if not isinstance(value, dict):
                raise LabelError(f"the {task} value is not an object")
            picked = value.get("choices") or []
            if not (isinstance(picked, list) and all(isinstance(label, str) for label in picked)):
                raise LabelError(f"the {task} choices are not a list of labels")
            chosen[task].extend(picked)
    return chosen


def read_doccano(path: Path) -> list[dict]:
    """Rows of doccano JSONL: ``label`` holds ``stance:<label>`` and ``frame:<label>``; the sentence
    keys are top-level fields (or, from older doccano versions, under ``meta``)."""
    rows = []
    for number, record in json_records(path):
        if not isinstance(record, dict):
            rows.append({"row": number, "error": "not a JSON object"})
            continue
        meta = record.get("meta")
        fields = {**(meta if isinstance(meta, dict) else {}), **record}
        if not isinstance(fields.get("label") or [], list):
            rows.append({"row": number, "error": "its label is not a list"})
            continue
        labels: dict[str, list] = {task: [] for task in TASKS}
        unknown = []
        for label in fields.get("label") or []:
            task, _, value = str(label).partition(":")
            if task in labels:
                labels[task].append(value)
            else:
                unknown.append(str(label))
        row = {"row": number, **{k: fields.get(k) for k in SENTENCE_KEYS}, "article_text": fields.get("article_text"),
               **labels, "annotator": fields.get("annotator")}
        if unknown:
            row["error"] = f"unknown label {unknown[0]!r} (labels are stance:<label> and frame:<label>)"
        rows.append(row)
    return rows


def json_records(path: Path):
    """(line number, value) for each non-blank line of a JSON Lines file."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield number, parsed_json(line, f"{path}, line {number}")


def parsed_json(text: str, where: str):
    """One JSON value; LabelError naming ``where`` (and the line, in a text of several lines) for text
    that is not JSON, or JSON that cannot be read or written back as UTF-8."""
    try:
        value = json.loads(text)
        json.dumps(value, ensure_ascii=False).encode("utf-8")  # an escaped lone surrogate cannot be written
        return value
    except RecursionError:
        problem = "nested too deeply"
    except json.JSONDecodeError as error:
        problem = f"{error.msg}, line {error.lineno}" if "\n" in text.strip() else error.msg
    except UnicodeEncodeError:
        problem = "an escaped lone surrogate, which UTF-8 cannot hold"
    except ValueError:  # an integer of more than 4300 digits
        problem = "a number of more than 4300 digits"
    raise LabelError(f"{where}: not valid JSON ({problem})")

