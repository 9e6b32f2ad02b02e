"""The fitted feature blocks of a model, applied with numpy alone (no scikit-learn at scoring time).

Training fits scikit-learn's TfidfVectorizer (and the ActorCounts and SentenceEmbeddings
transformers, which learn nothing); a fitted model keeps only what they learned (vocabularies, idf
vectors) and applies it here, computing exactly what scikit-learn computes: the same word and
char_wb n-grams, sublinear tf × idf, L2-normalised rows, times the block's weight. Each block reads
one column of the model's input (``text``, ``context`` or ``lemmas``). A feature matrix is kept as
its non-zero cells (row, column, value), which is all a linear model needs.
"""

from __future__ import annotations

import functools
import re
from itertools import chain, repeat
from dataclasses import dataclass, field

import numpy as np

from stance.encoder import DEFAULT, ENCODERS, embed
from stance.features import ACTOR_FEATURES, actor_counts, context_tokens, neighbours

TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern
WORD_CACHE = 200_000  # char n-gram lookups remembered per block (words repeat; the cache is cleared when full)
NUMBERED_AFTER = 1.0  # tokens a word block reads per vocabulary term before it numbers its n-grams (see occurrences)
SPARSE_AFTER = 2_000_000  # cells a space computes with numpy before its matrices use scipy's product (see FeatureSpace)


@dataclass
class Cells:
    """The non-zero cells of a feature matrix with ``rows`` rows and ``width`` columns."""

    rows: np.ndarray
    columns: np.ndarray
    values: np.ndarray
    shape: tuple[int, int]
    sparse_product: bool = False  # multiply with scipy's sparse matrix, not numpy's bincount (same sums, same order)

    def scores(self, coef: np.ndarray) -> np.ndarray:
        """The matrix product with ``coef.T``: one column per row of ``coef``.

        Both ways add each row's cells in the order they are listed, so they give the same bits; scipy's
        is several times faster on a large matrix but takes about 0.2 s to import.
        """
        if self.sparse_product:
            return np.asarray(self._matrix @ np.ascontiguousarray(coef.T))
        out = np.empty((self.shape[0], len(coef)))
        for k, weights in enumerate(coef):
            out[:, k] = np.bincount(self.rows, weights=self.values * weights[self.columns], minlength=self.shape[0])
        return out

    @functools.cached_property
    def _matrix(self):
        """The cells as a scipy COO matrix (built once: the tasks of a model share a feature matrix)."""
        from scipy.sparse import coo_array

        return coo_array((self.values, (self.rows, self.columns)), shape=self.shape)

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
    _words: dict = field(init=False, repr=False, default_factory=dict)
    _read: int = field(init=False, repr=False, compare=False, default=0)  # tokens read so far (word blocks)

    def __post_init__(self):
        if self.analyzer not in ("word", "char_wb"):
            raise ValueError(f"unknown analyzer {self.analyzer!r}")
        if len(self.idf) != len(self.vocabulary):
            raise ValueError(f"{self.name}: {len(self.idf)} idf values for {len(self.vocabulary)} terms")

    @functools.cached_property
    def _index(self) -> dict:
        """Term -> vocabulary id (a repeated term: its last id), built on first use: a space the tasks share builds it once."""
        return dict(zip(self.vocabulary, range(len(self.vocabulary))))

    @property
    def width(self) -> int:
        return len(self.vocabulary)

    @functools.cached_property
    def _grams(self) -> dict | None:
        """The word n-grams as numbers (see _numbered_grams), worked out on first use (not at load)."""
        if self.analyzer != "word" or self.ngram_range[0] != 1:
            return None
        return _numbered_grams(self.vocabulary, self._index, self.ngram_range[1])

    def _known(self, grams) -> list[int]:
        return [i for i in map(self._index.get, grams) if i is not None]

    def _char_ids(self, word: str) -> list[int]:
        """The vocabulary ids of one word's char_wb n-grams, remembered (words repeat)."""
        known = self._words.get(word)
        if known is None:
            if len(self._words) >= WORD_CACHE:
                self._words.clear()
            known = self._words[word] = self._known(_char_grams(word, *self.ngram_range))
        return known

    def occurrences(self, texts: list[str], tokens: list[list[str]] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(row, vocabulary id) of every known n-gram occurrence in ``texts`` (a word block: of their
        ``tokens``, if given)."""
        if self.analyzer == "char_wb":
            return self._char_occurrences(texts)
        if tokens is None:
            tokens = tokenize(texts)
        self._read += sum(map(len, tokens))
        # numbering the vocabulary's n-grams costs about as much as looking up as many tokens' n-grams as
        # strings, and makes every later lookup faster: a block numbers them once it has read that many
        # (a single article never pays for it; a large corpus pays once, early)
        grams = self._grams if self._read >= NUMBERED_AFTER * self.width else None
        if grams is not None:
            return self._word_occurrences(tokens, grams)
        ids = [self._known(_word_grams(words, *self.ngram_range)) for words in tokens]
        lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
        rows = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        return rows, np.fromiter(chain.from_iterable(ids), dtype=np.int64, count=int(lengths.sum()))

    def _char_occurrences(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Char_wb n-grams of a whole batch: each distinct word's ids listed once, then repeated per occurrence by numpy."""
        words = [text.lower().split() for text in texts]
        lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
        distinct: dict[str, int] = {}  # word -> its place in this batch's table
        occurrence = np.fromiter((distinct.setdefault(word, len(distinct)) for word in chain.from_iterable(words)),
                                 dtype=np.int64, count=int(lengths.sum()))
        table = [self._char_ids(word) for word in distinct]
        sizes = np.fromiter(map(len, table), dtype=np.int64, count=len(table))
        flat = np.fromiter(chain.from_iterable(table), dtype=np.int64, count=int(sizes.sum()))
        word_start = np.cumsum(sizes) - sizes  # where each distinct word's ids begin in flat
        per_occurrence = sizes[occurrence]
        out_start = np.cumsum(per_occurrence) - per_occurrence  # where each occurrence's ids begin in the result
        # the result's position out_start + i (an occurrence's i-th id) reads flat at word_start + i
        ids = flat[np.repeat(word_start[occurrence] - out_start, per_occurrence) + np.arange(int(per_occurrence.sum()))]
        rows = np.repeat(np.repeat(np.arange(len(texts), dtype=np.int64), lengths), per_occurrence)
        return rows, ids

    def _word_occurrences(self, tokens: list[list[str]], grams: dict) -> tuple[np.ndarray, np.ndarray]:
        """Word n-grams of a whole batch at once: each n-gram is a number made of its words' unigram ids."""
        lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
        unigram = self._index.get
        words = np.fromiter(map(unigram, chain.from_iterable(tokens), repeat(-1)), dtype=np.int64,
                            count=int(lengths.sum()))
        rows = np.repeat(np.arange(len(tokens), dtype=np.int64), lengths)
        found_rows, found_ids = [rows[:0]], [words[:0]]
        codes, known = words, words >= 0
        for n in range(1, self.ngram_range[1] + 1):
            if n > 1:  # extend every (n-1)-gram by the next word
                codes = codes[:-1] * self.width + words[n - 1:]
                known = known[:-1] & (words[n - 1:] >= 0)
            sorted_codes, term = grams[n]
            if not len(sorted_codes):
                continue
            at = np.searchsorted(sorted_codes, codes).clip(max=len(sorted_codes) - 1)
            in_one_text = rows[:len(codes)] == rows[n - 1:]  # rows ascend: first and last word suffice
            hit = known & in_one_text & (sorted_codes[at] == codes)
            found_rows.append(rows[:len(codes)][hit])
            found_ids.append(term[at[hit]])
        return np.concatenate(found_rows), np.concatenate(found_ids)

    def cells(self, texts: list[str], tokens: list[list[str]] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(rows, columns, values) of the block's weighted tf-idf matrix for ``texts`` (see occurrences)."""
        rows, ids = self.occurrences(texts, tokens)
        keys, counts = _counted(rows * self.width + ids)
        rows, columns = np.divmod(keys, self.width)
        values = (1.0 + np.log(counts)) * self.idf[columns]
        norms = np.sqrt(np.bincount(rows, weights=values ** 2, minlength=len(texts)))
        return rows, columns, self.weight * values / norms[rows]


def tokenize(texts: list[str]) -> list[list[str]]:
    """The word tokens of each text, as scikit-learn's word analyzer finds them (lowercased)."""
    return [TOKEN.findall(text.lower()) for text in texts]


def _numbered_grams(vocabulary: list[str], index: dict, high: int) -> dict | None:
    """Per n, the vocabulary's n-grams as sorted numbers (digits = unigram ids in base len(vocabulary)) and their ids.

    None when some n-gram has a word that is not itself a unigram of the vocabulary (a vocabulary
    fitted with pruning), or the numbers would overflow: the block then looks n-grams up as strings.
    """
    width = len(vocabulary)
    if width == 0 or width ** high >= 2 ** 62:
        return None
    codes: dict[int, list] = {n: [[], []] for n in range(1, high + 1)}
    for term_id, term in enumerate(vocabulary):
        if index[term] != term_id:  # a repeated term: strings find its last id, and so must numbers
            continue
        parts = term.split(" ")
        if len(parts) > high:
            return None
        code = 0
        for part in parts:
            unigram = index.get(part)
            if unigram is None:
                return None
            code = code * width + unigram
        codes[len(parts)][0].append(code)
        codes[len(parts)][1].append(term_id)
    out = {}
    for n, (numbers, ids) in codes.items():
        numbers_array, ids_array = np.array(numbers, dtype=np.int64), np.array(ids, dtype=np.int64)
        order = np.argsort(numbers_array, kind="stable")
        out[n] = (numbers_array[order], ids_array[order])
    return out


def _counted(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys, sorted, and how often each occurs (np.unique's result, twice as fast on rows in order)."""
    if not len(keys):
        return keys, keys
    ordered = np.sort(keys, kind="stable")  # keys come grouped by row: a stable sort merges the row runs
    first = np.empty(len(ordered), dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    return ordered[starts], np.diff(starts, append=len(ordered))


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
class FixedBlock:
    """A block that learned nothing: the non-zero cells of the matrix ``values`` computes, times the weight."""

    name: str
    column: str
    weight: float = 1.0
    vocabulary: tuple = ()

    @property
    def width(self) -> int:
        return len(self.vocabulary)

    def values(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def cells(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        matrix = self.values(texts)
        rows, columns = np.nonzero(matrix)
        return rows, columns, self.weight * matrix[rows, columns]


@dataclass
class ActorBlock(FixedBlock):
    """The four actor columns (see stance.features.actor_counts) of one input column."""

    vocabulary: tuple = ACTOR_FEATURES

    def values(self, texts: list[str]) -> np.ndarray:
        return actor_counts(texts)


def embedding_features(encoder: str) -> tuple[str, ...]:
    """The column names of an encoder's embeddings: dim0, dim1, …"""
    return tuple(f"dim{i}" for i in range(ENCODERS[encoder].width))


@dataclass
class EmbeddingBlock(FixedBlock):
    """The sentence embedding of one input column by the named encoder (stance.encoder): dense columns."""

    encoder: str = DEFAULT

    def __post_init__(self) -> None:
        self.vocabulary = embedding_features(self.encoder)

    def values(self, texts: list[str]) -> np.ndarray:
        return embed(texts, self.encoder)


@dataclass
class FeatureSpace:
    """The blocks of a model side by side: one feature matrix from the model's input columns."""

    blocks: list
    _made: int = field(init=False, repr=False, compare=False, default=0)  # cells computed so far

    @property
    def width(self) -> int:
        return sum(block.width for block in self.blocks)

    def transform(self, inputs) -> Cells:
        """The feature matrix of an input table (a DataFrame or a dict of equal-length lists)."""
        parts, offset, n = [], 0, 0
        batch = _Batch(inputs)
        for block in self.blocks:
            texts = batch.texts(block.column)
            n = len(texts)
            if isinstance(block, TfidfBlock) and block.analyzer == "word":
                rows, columns, values = block.cells(texts, batch.tokens(block.column))
            else:
                rows, columns, values = block.cells(texts)
            parts.append((rows, columns + offset, values))
            offset += block.width
        if not parts:
            raise ValueError("a feature space needs at least one block")
        rows, columns, values = (np.concatenate(p) for p in zip(*parts))
        # importing scipy costs more than one article's products save: a space switches to it once it has
        # computed that many cells (a single article never imports it; a large corpus does, early)
        self._made += len(values)
        return Cells(rows, columns, values, (n, offset), sparse_product=self._made >= SPARSE_AFTER)

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


class _Batch:
    """An input table's columns as strings and as word tokens, each worked out once per batch."""

    def __init__(self, inputs) -> None:
        self.inputs = inputs
        self._texts: dict[str, list[str]] = {}
        self._tokens: dict[str, list[list[str]]] = {}

    def texts(self, column: str) -> list[str]:
        if column not in self._texts:
            self._texts[column] = [str(t) for t in self.inputs[column]]
        return self._texts[column]

    def tokens(self, column: str) -> list[list[str]]:
        """A column's word tokens. The context column's are read off its sentences'
        (stance.features.context_tokens) when that is what the context holds: the same tokens, for less work."""
        if column not in self._tokens:
            read_off = column == "context" and self._context_is_the_neighbours()
            self._tokens[column] = (context_tokens(self.tokens("text"), self.texts("article")) if read_off
                                    else tokenize(self.texts(column)))
        return self._tokens[column]

    def _context_is_the_neighbours(self) -> bool:
        """Whether the input holds each sentence's article and its context is that of these rows (not of
        rows cut away, as at a chunk's edge)."""
        return ("article" in self.inputs and "text" in self.inputs
                and self.texts("context") == neighbours(self.texts("text"), self.texts("article")))
