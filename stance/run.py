"""A scoring run over any number of documents: read, score, write as it goes, and count.

Every input document appears in the output: scored, or as a row with an ``error``. Warnings and
errors of single documents go to ``notify`` (standard error in the CLI) and the run goes on.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from stance.schema import CROSS_COLUMNS, PROFILE_COLUMNS, SENTENCE_COLUMNS, STATUS_COLUMNS


@dataclass
class Summary:
    """What a run did: documents scored (some with warnings), failed, and skipped on resume."""

    scored: int = 0
    warned: int = 0
    failed: int = 0
    skipped: int = 0

    def line(self) -> str:
        skipped = f", {self.skipped} already done" if self.skipped else ""
        documents = "document" if self.scored == 1 else "documents"
        return f"Scored {self.scored} {documents} ({self.warned} with warnings), {self.failed} failed{skipped}."


def document_rows(document, scored, sentences: bool, model_dir: str) -> list[dict]:
    """The output rows of one document: its sentences or its profile, or one row with its error."""
    from stance.profile import profile_row
    from stance.scoring import cached_model

    status = {"warning": "; ".join(document.warnings) or None, "error": document.error}
    if scored is None:
        return [{"article": document.id, **document.meta, **status}]
    if sentences:
        return [{**row, **document.meta, **status} for row in scored.rows()]
    return [{**profile_row(document.id, scored.columns(), cached_model(model_dir).rates), **document.meta, **status}]


def run_scoring(paths: list[str], model_dir: Path, fmt: str, output: Path | None, sentences: bool = False,
                jobs: int = 1, scheduler: str | None = None, resume: bool = False, progress: bool = False,
                notify: Callable[[str], None] = lambda message: None) -> Summary:
    """Score every document of ``paths`` into ``output`` (or standard output), streaming; returns the summary."""
    from tqdm import tqdm

    from stance.corpus import metadata_columns
    from stance.destination import check_destination
    from stance.documents import input_files, read_files
    from stance.stream import RowStream
    from stance.scoring import cached_model, score_stream

    cached_model(str(model_dir))  # refuse a bad model before reading anything (and keep it for scoring)
    files = input_files(paths, notify)
    if output is not None:
        check_destination(output, inputs=[path for path in files if isinstance(path, Path)])
    base = SENTENCE_COLUMNS if sentences else PROFILE_COLUMNS + CROSS_COLUMNS
    columns = [*base, *metadata_columns(files), *STATUS_COLUMNS]
    to_rows = functools.partial(document_rows, sentences=sentences, model_dir=str(model_dir))
    facts = {"rows": "sentences" if sentences else "profiles", "format": fmt, "model": model_fingerprint(model_dir)}
    with RowStream(fmt, output, columns, _table_columns(sentences), resume, facts) as stream:
        summary = Summary(skipped=len(stream.done))
        bar = tqdm(unit=" articles", disable=not progress, leave=False, dynamic_ncols=True)
        documents = read_files(files, skip=stream.done, notify=notify)
        for batch in score_stream(documents, model_dir, jobs=jobs, scheduler=scheduler, then=to_rows):
            stream.write(_counted(batch, summary, notify))
            bar.update(len(batch))
        bar.close()
        if not (summary.scored or summary.failed or summary.skipped):
            notify("Warning: no documents in the input; the output has no rows")
    return summary


def _counted(batch: list, summary: Summary, notify: Callable[[str], None]) -> list[dict]:
    """The rows of a scored batch; its documents counted in ``summary`` and their problems notified."""
    rows = []
    for document, rows_of_document in batch:
        for warning in document.warnings:
            notify(f"Warning: {document.source or document.id}: {warning}")
        if document.error:
            notify(f"Warning: {document.source or document.id}: {document.error} (not scored)")
        summary.failed += document.error is not None
        summary.scored += document.error is None
        summary.warned += bool(document.warnings) and document.error is None
        rows.extend(rows_of_document)
    return rows


def model_fingerprint(directory: Path) -> str:
    """A short hash of a model folder's files: a run can only be resumed with the model that began it."""
    digest = hashlib.sha256()
    for path in sorted(Path(directory).iterdir()):
        if path.suffix in (".json", ".npz") and path.is_file():
            digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _table_columns(sentences: bool) -> list[str]:
    if sentences:
        return ["article", "sentence", "stance", "frame", "p_stance_pro_musk", "p_stance_pro_openai", "text", "error"]
    return ["article", "sentences", "stance_pro_musk", "stance_pro_openai", "stance_neutral", "net_lean",
            "net_lean_low", "net_lean_high", "dominant_frame", "frame_none", "error"]
