"""Scoring documents: sentences with their probabilities, and the articles' profiles.

Documents flow through in batches: each batch is split into sentences, vectorised and predicted in
bounded chunks of sentences, so memory does not grow with the corpus. Batches can run in
several processes (joblib) or on a Dask cluster; results always come back in input order.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from stance.documents import Document
from stance.schema import SENTENCE_COLUMNS, TASKS

BATCH_DOCUMENTS = 64
PREDICT_CHUNK = 4096


@dataclass
class Scored:
    """One document's sentences: offsets, texts and, per task, probabilities (one row per sentence)."""

    article: str
    spans: list[tuple[int, int]]
    texts: list[str]
    proba: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.texts)

    def columns(self) -> dict[str, Any]:
        """The sentence columns (SENTENCE_COLUMNS) as lists and arrays."""
        columns = {"article": [self.article] * len(self), "sentence": list(range(len(self))),
                   "start": [s for s, _ in self.spans], "end": [e for _, e in self.spans], "text": self.texts}
        for task, labels in TASKS.items():
            columns[task] = [labels[i] for i in self.proba[task].argmax(axis=1)] if len(self) else []
        for task, labels in TASKS.items():
            for column, label in enumerate(labels):
                columns[f"p_{task}_{label}"] = self.proba[task][:, column]
        return columns

    def rows(self) -> list[dict]:
        """One plain dict per sentence (Python values, ready to write)."""
        columns = self.columns()
        return [dict(zip(columns, values)) for values in zip(*(_plain(v) for v in columns.values()))]


def _plain(values) -> list:
    return values.tolist() if isinstance(values, np.ndarray) else values


def score_batch(documents: list[Document], model) -> list[tuple[Document, Scored | None]]:
    """Each document with its scored sentences (None for a document with an error)."""
    from stance.sentences import split_many

    good = [d for d in documents if d.error is None]
    spans = list(split_many((d.text for d in good), model.settings.splitter))
    texts = [d.text[s:e] for d, doc_spans in zip(good, spans) for s, e in doc_spans]
    articles = [d.id for d, doc_spans in zip(good, spans) for _ in doc_spans]
    inputs = model.input_for(texts, articles)  # context is read across chunk edges
    proba = {task: np.zeros((len(texts), len(labels))) for task, labels in TASKS.items()}
    for start in range(0, len(texts), PREDICT_CHUNK):
        chunk = {column: values[start:start + PREDICT_CHUNK] for column, values in inputs.items()}
        for task, values in model.predict_proba(chunk).items():
            proba[task][start:start + len(values)] = values
    proba = model.read_in_context(proba, articles, texts)
    scored, offset = {}, 0
    for document, doc_spans in zip(good, spans):
        stop = offset + len(doc_spans)
        scored[id(document)] = Scored(document.id, doc_spans, texts[offset:stop],
                                      {task: values[offset:stop] for task, values in proba.items()})
        offset = stop
    return [(d, scored.get(id(d))) for d in documents]


@functools.lru_cache(maxsize=4)
def cached_model(directory: str):
    """A model folder loaded once per process."""
    from stance.model import load_model

    return load_model(Path(directory))


def _results_at(documents: list[Document], model_dir: str, then: Callable | None) -> tuple[list, list]:
    """In a worker: each document's scored sentences, or ``then(document, scored)``, and the Python
    warnings raised meanwhile (for the main process to show); the model loaded once per process."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scored = score_batch(documents, cached_model(model_dir))
        results = [then(d, s) if then else s for d, s in scored]
    return results, [(str(w.message), w.category, w.filename, w.lineno) for w in caught]


def _shown_here(results: tuple[list, list], registry: dict) -> list:
    """A worker's results; its warnings raised again in this process, under this process's filters
    (each one once per run, as ``registry`` records)."""
    batch_results, caught = results
    for message, category, filename, lineno in caught:
        warnings.warn_explicit(message, category, filename, lineno, registry=registry)
    return batch_results


def batches(documents: Iterable[Document], size: int | None = None) -> Iterator[list[Document]]:
    """Documents in lists of ``size`` (default BATCH_DOCUMENTS), lazily."""
    from stance.sentences import chunks

    return chunks(documents, size or BATCH_DOCUMENTS)


def score_stream(documents: Iterable[Document], model_dir: Path, jobs: int = 1, scheduler: str | None = None,
                 batch_size: int | None = None, then: Callable | None = None) -> Iterator[list[tuple[Document, Any]]]:
    """Scored batches in input order: in this process, in ``jobs`` processes, or on a Dask scheduler.

    Each batch is a list of (document, result) pairs; the result is the document's Scored sentences
    (None for a document with an error), or ``then(document, scored)`` when ``then`` is given: a
    picklable function that turns them into what the caller keeps, computed where the scoring runs.
    """
    from collections import deque

    work, sent = batches(documents, batch_size), deque[Any]()
    registry: dict = {}  # the worker warnings already shown

    def dispatched():
        for batch in work:
            sent.append(batch)
            yield batch

    if scheduler:
        results = (_shown_here(r, registry) for r in _on_dask(dispatched(), str(model_dir), scheduler, then))
    elif jobs > 1:
        from joblib import Parallel, delayed

        parallel = Parallel(n_jobs=jobs, return_as="generator", pre_dispatch="2*n_jobs")
        results = (_shown_here(r, registry) for r in
                   parallel(delayed(_results_at)(batch, str(model_dir), then) for batch in dispatched()))
    else:
        model = cached_model(str(model_dir))
        results = ([then(d, s) if then else s for d, s in score_batch(batch, model)] for batch in dispatched())
    for batch_results in results:
        yield list(zip(sent.popleft(), batch_results))


def _on_dask(work: Iterator[list[Document]], model_dir: str, scheduler: str, then: Callable | None):
    """Batch results from a Dask cluster, a bounded number in flight, in order."""
    from collections import deque

    from dask.distributed import Client

    with Client(scheduler) as client:
        window = 2 * max(1, sum(client.nthreads().values()))
        pending: deque = deque()
        for batch in work:
            pending.append(client.submit(_results_at, batch, model_dir, then, pure=False))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def sentence_frame(scored: list[Scored]):
    """Scored sentences as one DataFrame with the SENTENCE_COLUMNS."""
    import pandas as pd

    columns: dict[str, list] = {name: [] for name in SENTENCE_COLUMNS}
    for document in scored:
        for name, values in document.columns().items():
            columns[name].extend(_plain(values))
    return pd.DataFrame(columns, columns=list(SENTENCE_COLUMNS))


def score_sentences(documents: Iterable[Document], model):
    """All sentences of the documents as one DataFrame (documents with an error are left out)."""
    return sentence_frame([s for batch in batches(documents) for _, s in score_batch(batch, model) if s is not None])


def score_texts(texts: dict[str, str] | list[str], model=None):
    """Score texts given as {id: text} or a list; returns (sentences, profiles) DataFrames."""
    from stance.model import load_model
    from stance.profile import profiles

    items = texts.items() if isinstance(texts, dict) else ((f"text{i}", t) for i, t in enumerate(texts))
    model = model or load_model()
    sentences = score_sentences([Document(str(k), v) for k, v in items], model)
    return sentences, profiles(sentences, rates=model.rates)
