"""The annotation loop: sentences out to a labelling tool, labels back into a label directory.

An export holds, for each sentence, its place (article, sentence, start, end), its text, the
model's suggested stance and frame with their probabilities and the sentence's uncertainty, and
the article's full text, as CSV (texts in ``<name>.articles.jsonl``), Label Studio tasks (labelling
config in ``<name>.label_config.xml``) or doccano JSONL (label set in ``<name>.labels.json``).

An import reads any of the three back, checks every row against its article's text, and merges the
labels into a label directory: new sentences go to ``gold/``, a label that differs from gold goes
to ``conflicts/`` instead. Rows are numbered as the file shows them: a CSV's header is row 1, a
JSONL file's first line and a JSON file's first task are row 1.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from stance.documents import InputError
from stance.labels import MANIFEST, MANIFEST_COLUMNS, LabelError, article_text, check_rows, read_manifest, read_rows
from stance.schema import LABEL_COLUMNS, PROVENANCES, SENTENCE_KEYS, TASKS

LABEL_FORMATS = ("csv", "label-studio", "doccano")
SUFFIX_LABEL_FORMATS = {".csv": "csv", ".json": "label-studio", ".jsonl": "doccano"}
EXPORT_COLUMNS = SENTENCE_KEYS + ("stance", "frame", "stance_probability", "frame_probability", "uncertainty")
CONFLICT_COLUMNS = LABEL_COLUMNS + ("gold_stance", "gold_frame", "source")
IMPORTED = "imported"
CONFLICTS = "conflicts"
DEFAULT_SIMILARITY = 0.6
LABEL_COLORS = {"stance": "#1f5f9e", "frame": "#2e7d4f"}


class SkippedRow(Exception):
    """A row an import can carry past: it is left out with a warning."""


# Export ---------------------------------------------------------------------------------------


def usable_article_id(article: object) -> bool:
    """Whether an article id can name files in a label directory."""
    return (isinstance(article, str) and bool(article) and not article.startswith(".")
            and not any(c in article for c in "/\\\0"))


def uncertainty(table):
    """Each sentence's uncertainty: the entropy of its stance and of its frame probabilities, each
    divided by its maximum, averaged (0: the model is sure of both, 1: it cannot tell any label apart)."""
    import numpy as np

    parts = []
    for task, labels in TASKS.items():
        p = table[[f"p_{task}_{label}" for label in labels]].to_numpy()
        parts.append(-(p * np.log(np.clip(p, 1e-12, 1))).sum(axis=1) / np.log(len(labels)))
    return np.mean(parts, axis=0)


def suggestions(documents, model) -> tuple["pd.DataFrame", dict[str, str]]:
    """The sentences of ``documents`` with the model's suggested labels, their probabilities and the
    uncertainty (EXPORT_COLUMNS), and the article texts by id."""
    from stance.scoring import score_sentences

    documents = list(documents)
    texts = {}
    for document in documents:
        if document.id in texts:
            raise InputError(f"two articles are named {document.id!r}: rename one of the files")
        if not usable_article_id(document.id):
            raise InputError(f"{document.id!r}: an article id must not start with a dot or hold a slash")
        texts[document.id] = document.text
    table = score_sentences(documents, model)
    for task, labels in TASKS.items():
        table[f"{task}_probability"] = table[[f"p_{task}_{label}" for label in labels]].max(axis=1)
    table["uncertainty"] = uncertainty(table)
    return table[list(EXPORT_COLUMNS)].round({"stance_probability": 4, "frame_probability": 4, "uncertainty": 4}), texts


def most_uncertain(table, n: int, similarity: float = DEFAULT_SIMILARITY):
    """The ``n`` most uncertain sentences, most uncertain first, skipping any sentence whose TF-IDF
    cosine similarity (character n-grams) to a sentence already picked exceeds ``similarity``."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    if table.empty:
        return table
    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit_transform(table["text"])
    picked: list[int] = []
    for i in np.argsort(-table["uncertainty"].to_numpy(), kind="stable"):
        if len(picked) == n:
            break
        if picked and (vectors[picked] @ vectors[i].T).max() > similarity:
            continue
        picked.append(int(i))
    return table.iloc[picked].reset_index(drop=True)


def label_format(requested: str | None, path: Path) -> str:
    """The requested annotation format, else the one the file's suffix names."""
    if requested:
        return requested
    try:
        return SUFFIX_LABEL_FORMATS[Path(path).suffix.lower()]
    except KeyError:
        raise LabelError(f"{path}: cannot tell the format from the suffix {Path(path).suffix!r}; "
                         f"pass --format {', '.join(LABEL_FORMATS)}") from None


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


def export_sentences(table, texts: dict[str, str], output: Path, fmt: str | None, model_name: str) -> list[Path]:
    """Write an export (all its files or none); returns the paths written."""
    files = export_files(table, texts, Path(output), label_format(fmt, Path(output)), model_name)
    write_files(files)
    return list(files)


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
            if previous[path] is None:
                path.unlink()
            else:
                path.write_bytes(previous[path])
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


# Reading annotation files ---------------------------------------------------------------------


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
    try:
        tasks = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise LabelError(f"{path}: not valid JSON ({error.msg}, line {error.lineno})") from None
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


def annotation_labels(annotations: list) -> dict:
    """Labels and annotator from a task's Label Studio annotations; ``skip`` when none can be used."""
    kept = [a for a in annotations if isinstance(a, dict) and not a.get("was_cancelled")]
    if not kept:
        return {"skip": "skipped in Label Studio" if annotations else "no annotation"}
    choices = [{task: [] for task in TASKS} for _ in kept]
    for chosen, annotation in zip(choices, kept):
        for result in annotation.get("result") or []:
            if isinstance(result, dict) and result.get("from_name") in TASKS:
                chosen[result["from_name"]].extend((result.get("value") or {}).get("choices") or [])
    if any(c != choices[0] for c in choices[1:]):
        return {"skip": f"its {len(kept)} annotations disagree (compare them with `stance label agreement`)"}
    by = kept[0].get("completed_by")
    return {**choices[0], "annotator": by.get("email") if isinstance(by, dict) else None}


def read_doccano(path: Path) -> list[dict]:
    """Rows of doccano JSONL: ``label`` holds ``stance:<label>`` and ``frame:<label>``; the sentence
    keys are top-level fields (or, from older doccano versions, under ``meta``)."""
    rows = []
    for number, record in json_records(path):
        if not isinstance(record, dict):
            rows.append({"row": number, "error": "not a JSON object"})
            continue
        fields = {**(record.get("meta") if isinstance(record.get("meta"), dict) else {}), **record}
        labels = {task: [] for task in TASKS}
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
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError as error:
                    raise LabelError(f"{path}, line {number}: not valid JSON ({error.msg})") from None


# Checking -------------------------------------------------------------------------------------


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
    errors, seen = [], {}
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


# Importing ------------------------------------------------------------------------------------


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


def csv_text(rows: list[dict], columns, header: bool = True) -> str:
    """Rows as CSV text, written as the label files are (stance.labels.write_rows)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    if header:
        writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def conflict_file(path: Path, rows: list[dict]) -> str:
    """A conflicts file holding its earlier rows and the new ones, each distinct row once."""
    earlier = []
    if path.is_file():
        with open(path, newline="", encoding="utf-8") as handle:
            earlier = list(csv.DictReader(handle))
    distinct = {tuple(str(row.get(c, "")) for c in CONFLICT_COLUMNS): row for row in earlier + rows}
    return csv_text(list(distinct.values()), CONFLICT_COLUMNS)


def manifest_with(path: Path, entries: list[dict]) -> str:
    """The manifest's text, unchanged, with rows for the new articles appended."""
    if not path.is_file():
        return csv_text(entries, MANIFEST_COLUMNS)
    with open(path, newline="", encoding="utf-8") as handle:
        text = handle.read()
    columns = next(csv.reader(io.StringIO(text)))
    return text + ("" if text.endswith("\n") else "\r\n") + csv_text(entries, columns, header=False)


# Agreement ------------------------------------------------------------------------------------


def annotation_table(path: Path, warnings: list[str]):
    """The labelled sentences of one annotation file as a DataFrame (rows left out go to ``warnings``)."""
    import pandas as pd

    checked = check_annotations(read_annotations(path), str(path), require_text=False)
    warnings.extend(checked.warnings)
    return pd.DataFrame(checked.rows, columns=["article", "sentence", "text", *TASKS])


def compare_annotations(first: Path, second: Path) -> tuple[dict, "pd.DataFrame", list[str]]:
    """Agreement between two annotation files (stance.agreement), their disagreements, and the warnings."""
    from stance.agreement import KEY, agreement, disagreements

    warnings: list[str] = []
    a, b = annotation_table(first, warnings), annotation_table(second, warnings)
    both = a.merge(b, on=KEY, suffixes=("_a", "_b"))
    if both.empty:
        raise LabelError(f"{first} and {second} have no labelled sentence in common")
    moved = both[both["text_a"] != both["text_b"]]
    if not moved.empty:
        row = moved.iloc[0]
        raise LabelError(f"sentence {row['sentence']} of {row['article']} has a different text in {first} and {second}")
    result = agreement(a, b)
    for metrics in result["tasks"].values():
        if math.isnan(metrics["kappa"]):  # both files use one and the same label: kappa is undefined
            metrics["kappa"] = None
    return result, disagreements(a, b).reset_index(drop=True), warnings


def kappa_text(kappa: float | None) -> str:
    return "undefined" if kappa is None else f"{kappa:.3f}"


def agreement_summary(result: dict, differ) -> str:
    """One line: kappa per dimension, sentences compared, disagreements."""
    kappas = ", ".join(f"{task} kappa {kappa_text(m['kappa'])}" for task, m in result["tasks"].items())
    return f"{kappas} over {result['sentences']} sentences of {result['articles']} articles; {len(differ)} disagreements"


def agreement_report(result: dict, differ) -> str:
    """The agreement as a terminal report: per task kappa, per-label agreement and confusion, then
    the disagreements to adjudicate."""
    import pandas as pd

    from stance.output import render

    parts = [agreement_summary(result, differ) + "\n"]
    for task, metrics in result["tasks"].items():
        per_label = pd.DataFrame.from_dict(metrics["per_label"], orient="index")
        confusion = pd.DataFrame(metrics["confusion"], index=metrics["labels"], columns=metrics["labels"])
        parts.append(f"\n{task}: kappa {kappa_text(metrics['kappa'])}, agreement {metrics['agreement']:.3f}\n")
        parts.append(per_label.to_string(float_format=lambda x: f"{x:.3f}") + "\n")
        parts.append("confusion (rows: first file, columns: second file)\n" + confusion.to_string() + "\n")
    if len(differ):
        parts.append(f"\ndisagreements to adjudicate\n{render(differ, 'table')}")
    return "".join(parts)
