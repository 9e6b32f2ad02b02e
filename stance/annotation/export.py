"""Sentences out to a labelling tool: every sentence of new articles, or the most uncertain ones.

An export holds, for each sentence, its place (article, sentence, start, end), its text, the
model's suggested stance and frame with their probabilities and the sentence's uncertainty, and
the article's full text, in one of the formats of ``stance.annotation.formats``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from stance.annotation.formats import EXPORT_COLUMNS, export_files, label_format
from stance.annotation.labels import usable_article_id, write_files
from stance.documents import InputError
from stance.schema import TASKS

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_SIMILARITY = 0.6
DEFAULT_SUGGESTIONS = 50  # sentences `stance label suggest` picks


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


def export_sentences(table, texts: dict[str, str], output: Path, fmt: str | None, model_name: str) -> list[Path]:
    """Write an export (all its files or none); returns the paths written."""
    files = export_files(table, texts, Path(output), label_format(fmt, Path(output)), model_name)
    write_files(files)
    return list(files)



def export_for_labelling(paths: Iterable[str], output: Path, fmt: str | None, model_dir: Path | None = None,
                         pick: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
                         notify: Callable[[str], None] = lambda message: None) -> str:
    """Score the articles of ``paths``, keep every sentence (or those ``pick`` chooses), write the export.

    Returns what was written, as a sentence.
    """
    from stance.documents import readable_documents
    from stance.model import load_model

    fmt = label_format(fmt, Path(output))  # refuse an unknown format before scoring anything
    loaded = load_model(model_dir)
    table, texts = suggestions(readable_documents(paths, notify), loaded)
    if pick is not None:
        table = pick(table)
    written = export_sentences(table, texts, output, fmt, loaded.config.get("name", "stance"))
    return f"Exported {len(table)} sentences of {table['article'].nunique()} articles to {', '.join(map(str, written))}."
