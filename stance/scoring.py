"""Scoring documents: sentences with their probabilities, and the articles' profiles.

Documents flow through in batches: each batch is split with ``nlp.pipe``, vectorised and predicted
in bounded chunks of sentences, so memory does not grow with the corpus. Batches can run in
several processes (joblib) or on a Dask cluster; results always come back in input order.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from stance.documents import Document
from stance.schema import SENTENCE_KEYS, TASKS

BATCH_DOCUMENTS = 64
PREDICT_CHUNK = 4096


def sentence_table(documents: list[Document], model):
    """One row per sentence of documents that have no error, with labels and probabilities."""
    import pandas as pd

    from stance.sentences import split_many

    rows = []
    for document, spans in zip(documents, split_many(d.text for d in documents)):
        rows.extend((document.id, i, s, e, document.text[s:e]) for i, (s, e) in enumerate(spans))
    table = pd.DataFrame(rows, columns=list(SENTENCE_KEYS))
    proba = {task: np.zeros((len(table), len(labels))) for task, labels in TASKS.items()}
    for start in range(0, len(table), PREDICT_CHUNK):
        chunk = table.iloc[start:start + PREDICT_CHUNK]
        for task, values in model.predict_proba(model.input_for(chunk["text"].tolist(), chunk["article"].tolist())).items():
            proba[task][start:start + len(chunk)] = values
    for task, labels in TASKS.items():
        table[task] = np.asarray(labels, dtype=object)[proba[task].argmax(axis=1)] if len(table) else []
        for column, label in enumerate(labels):
            table[f"p_{task}_{label}"] = proba[task][:, column]
    return table


def score_batch(documents: list[Document], model) -> list[tuple[Document, object]]:
    """Each document with its sentence table (None for a document with an error)."""
    good = [d for d in documents if d.error is None]
    table = sentence_table(good, model)
    by_article = {key: group for key, group in table.groupby("article", sort=False)} if len(table) else {}
    empty = table.iloc[:0]
    return [(d, None if d.error else by_article.get(d.id, empty)) for d in documents]


@functools.lru_cache(maxsize=4)
def cached_model(directory: str):
    """A model folder loaded once per process."""
    from stance.model import load_model

    return load_model(Path(directory))


def _score_batch_at(documents: list[Document], model_dir: str):
    """score_batch with the model loaded once per process (for workers)."""
    return score_batch(documents, cached_model(model_dir))


def batches(documents: Iterable[Document], size: int | None = None) -> Iterator[list[Document]]:
    """Documents in lists of ``size`` (default BATCH_DOCUMENTS), lazily."""
    from stance.sentences import chunks

    return chunks(documents, size or BATCH_DOCUMENTS)


def score_stream(documents: Iterable[Document], model_dir: Path, jobs: int = 1, scheduler: str | None = None,
                 batch_size: int | None = None) -> Iterator[list[tuple[Document, object]]]:
    """Scored batches in input order: in this process, in ``jobs`` processes, or on a Dask scheduler."""
    work = batches(documents, batch_size)
    if scheduler:
        yield from _on_dask(work, str(model_dir), scheduler)
    elif jobs > 1:
        from joblib import Parallel, delayed

        parallel = Parallel(n_jobs=jobs, return_as="generator", pre_dispatch="2*n_jobs")
        yield from parallel(delayed(_score_batch_at)(batch, str(model_dir)) for batch in work)
    else:
        model = cached_model(str(model_dir))
        for batch in work:
            yield score_batch(batch, model)


def _on_dask(work: Iterator[list[Document]], model_dir: str, scheduler: str):
    """Batches scored on a Dask cluster, a bounded number in flight, yielded in order."""
    from collections import deque

    from dask.distributed import Client

    with Client(scheduler) as client:
        window = 2 * max(1, sum(client.nthreads().values()))
        pending: deque = deque()
        for batch in work:
            pending.append(client.submit(_score_batch_at, batch, model_dir, pure=False))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def score_sentences(documents: Iterable[Document], model):
    """All sentences of the documents as one table (documents with an error are left out)."""
    import pandas as pd

    tables = [table for batch in batches(documents) for _, table in score_batch(batch, model) if table is not None]
    return pd.concat(tables, ignore_index=True) if tables else sentence_table([], model)


def score_texts(texts: dict[str, str] | list[str], model=None):
    """Score texts given as {id: text} or a list; returns (sentences, profiles) DataFrames."""
    from stance.model import load_model
    from stance.profile import profiles

    items = texts.items() if isinstance(texts, dict) else ((f"text{i}", t) for i, t in enumerate(texts))
    sentences = score_sentences([Document(str(k), v) for k, v in items], model or load_model())
    return sentences, profiles(sentences)
