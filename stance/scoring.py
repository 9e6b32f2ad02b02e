"""Scoring documents: sentences with their probabilities, and the articles' profiles."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from stance.documents import Document
from stance.schema import SENTENCE_COLUMNS, TASKS


def score_sentences(documents: Iterable[Document], model) -> "pd.DataFrame":
    """One row per sentence: its place, text, labels and every label's probability."""
    import pandas as pd

    from stance.sentences import split_many

    documents = list(documents)
    rows = []
    for document, spans in zip(documents, split_many(d.text for d in documents)):
        rows.extend((document.id, i, s, e, document.text[s:e]) for i, (s, e) in enumerate(spans))
    table = pd.DataFrame(rows, columns=["article", "sentence", "start", "end", "text"])
    proba = model.predict_proba(model.input_for(table["text"].tolist(), table["article"].tolist())) if rows else {
        task: np.zeros((0, len(labels))) for task, labels in TASKS.items()}
    for task, labels in TASKS.items():
        table[task] = [labels[i] for i in proba[task].argmax(axis=1)] if rows else []
        for column, label in enumerate(labels):
            table[f"p_{task}_{label}"] = proba[task][:, column]
    return table[list(SENTENCE_COLUMNS)]


def score_texts(texts: dict[str, str] | list[str], model=None):
    """Score texts given as {id: text} or a list; returns (sentences, profiles) DataFrames."""
    from stance.model import load_model
    from stance.profile import profiles

    items = texts.items() if isinstance(texts, dict) else ((f"text{i}", t) for i, t in enumerate(texts))
    sentences = score_sentences([Document(str(k), v) for k, v in items], model or load_model())
    return sentences, profiles(sentences)
