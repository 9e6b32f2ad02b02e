"""The fitted feature blocks of a model, applied with numpy alone (no scikit-learn at scoring time).

Training fits scikit-learn's TfidfVectorizer (and the ActorCounts transformer); a fitted model keeps
only what they learned (vocabularies, idf vectors) and applies it here, computing exactly what
scikit-learn computes: the same word and char_wb n-grams, sublinear tf × idf, L2-normalised rows,
times the block's weight. Each block reads one column of the model's input (``text``, ``context``
or ``lemmas``). A feature matrix is kept as its non-zero cells (row, column, value), which is all
a linear model needs.
"""

from __future__ import annotations

import re
from itertools import chain
from dataclasses import dataclass, field

import numpy as np

from stance.features import ACTOR_FEATURES, actor_counts

TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern
WORD_CACHE = 200_000  # char n-gram lookups remembered per block (words repeat; the cache is cleared when full)


@dataclass
class Cells:
    """The non-zero cells of a feature matrix with ``rows`` rows and ``width`` columns."""

    rows: np.ndarray
    columns: np.ndarray
    values: np.ndarray
    shape: tuple[int, int]

    def scores(self, coef: np.ndarray) -> np.ndarray:
        """The matrix product with ``coef.T``: one column per row of ``coef``."""
        out = np.empty((self.shape[0], len(coef)))
        for k, weights in enumerate(coef):
            out[:, k] = np.bincount(self.rows, weights=self.values * weights[self.columns], minlength=self.shape[0])
        return out

    def toarray(self) -> np.ndarray:
        dense = np.zeros(self.shape)
        np.add.at(dense, (self.rows, self.columns), self.values)
        return dense


@dataclass
class TfidfBlock:
    """A fitted TF-IDF block: word n-grams or char_wb n-grams of one input column."""

    name: str
    column: str
    analyzer: str  # "word" or "char_wb"
    ngram_range: tuple[int, int]
    vocabulary: list[str]
    idf: np.ndarray
    weight: float = 1.0
    _index: dict = field(init=False, repr=False)
    _words: dict = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self):
        if self.analyzer not in ("word", "char_wb"):
            raise ValueError(f"unknown analyzer {self.analyzer!r}")
        if len(self.idf) != len(self.vocabulary):
            raise ValueError(f"{self.name}: {len(self.idf)} idf values for {len(self.vocabulary)} terms")
        self._index = {term: i for i, term in enumerate(self.vocabulary)}

    @property
    def width(self) -> int:
        return len(self.vocabulary)

    def term_ids(self, text: str) -> list[int]:
        """The vocabulary ids of the text's n-grams, one per occurrence (unknown n-grams dropped)."""
        text = text.lower()
        if self.analyzer == "char_wb":
            ids: list[int] = []
            for word in text.split():
                known = self._words.get(word)
                if known is None:
                    if len(self._words) >= WORD_CACHE:
                        self._words.clear()
                    known = self._words[word] = self._known(_char_grams(word, *self.ngram_range))
                ids.extend(known)
            return ids
        return self._known(_word_grams(TOKEN.findall(text), *self.ngram_range))

    def _known(self, grams) -> list[int]:
        return [i for i in map(self._index.get, grams) if i is not None]

    def cells(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(rows, columns, values) of the block's weighted tf-idf matrix for ``texts``."""
        ids = [self.term_ids(text) for text in texts]
        lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
        flat = np.array(list(chain.from_iterable(ids)), dtype=np.int64)
        keys, counts = np.unique(np.repeat(np.arange(len(texts), dtype=np.int64), lengths) * self.width + flat,
                                 return_counts=True)
        rows, columns = np.divmod(keys, self.width)
        values = (1.0 + np.log(counts)) * self.idf[columns]
        norms = np.sqrt(np.bincount(rows, weights=values ** 2, minlength=len(texts)))
        return rows, columns, self.weight * values / norms[rows]


def _word_grams(tokens: list[str], low: int, high: int) -> list[str]:
    grams = tokens if low == 1 else []
    for n in range(max(low, 2), high + 1):
        grams = grams + [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
    return grams


def _char_grams(word: str, low: int, high: int) -> list[str]:
    """The char_wb n-grams of one word, padded with a space on each side."""
    padded = f" {word} "
    grams = []
    for n in range(low, high + 1):
        if n >= len(padded):  # a short word counts once, whole
            grams.append(padded)
            break
        grams.extend(padded[i:i + n] for i in range(len(padded) - n + 1))
    return grams


@dataclass
class ActorBlock:
    """The four actor columns (see stance.features.actor_counts) of one input column."""

    name: str
    column: str
    weight: float = 1.0
    vocabulary: tuple = ACTOR_FEATURES

    @property
    def width(self) -> int:
        return len(self.vocabulary)

    def cells(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        counts = actor_counts(texts)
        rows, columns = np.nonzero(counts)
        return rows, columns, self.weight * counts[rows, columns]


@dataclass
class FeatureSpace:
    """The blocks of a model side by side: one feature matrix from the model's input columns."""

    blocks: list

    @property
    def width(self) -> int:
        return sum(block.width for block in self.blocks)

    def transform(self, inputs) -> Cells:
        """The feature matrix of an input table (a DataFrame or a dict of equal-length lists)."""
        parts, offset, n = [], 0, 0
        for block in self.blocks:
            texts = [str(t) for t in inputs[block.column]]
            n = len(texts)
            rows, columns, values = block.cells(texts)
            parts.append((rows, columns + offset, values))
            offset += block.width
        if not parts:
            raise ValueError("a feature space needs at least one block")
        rows, columns, values = (np.concatenate(p) for p in zip(*parts))
        return Cells(rows, columns, values, (n, offset))

    def feature_names(self) -> list[str]:
        return [f"{block.name}__{term}" for block in self.blocks for term in block.vocabulary]

    def same_as(self, other: "FeatureSpace") -> bool:
        """Whether two spaces compute the same features (the tasks of a model share theirs)."""
        return len(self.blocks) == len(other.blocks) and all(
            type(a) is type(b) and a.name == b.name and a.column == b.column and a.weight == b.weight
            and list(a.vocabulary) == list(b.vocabulary)
            and (not hasattr(a, "idf") or (a.analyzer, a.ngram_range) == (b.analyzer, b.ngram_range)
                 and np.array_equal(a.idf, b.idf))
            for a, b in zip(self.blocks, other.blocks))
