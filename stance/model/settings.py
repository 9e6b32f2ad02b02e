"""A model's settings: what it reads, how it learns, how it counts and how its text is cut.

Settings travel as a frozen dataclass inside the package and as a plain dict in ``config.json``.
``Settings.from_dict`` is the only way in from outside: it fills defaults for missing keys and
refuses unknown keys and wrong types with one clear message, so a saved model cannot ask for
something this code would silently ignore or misread.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from stance.encoder import DEFAULT as DEFAULT_ENCODER, ENCODERS
from stance.quantify import METHODS as QUANTIFIERS
from stance.schema import PROVENANCES
from stance.sentences import DEFAULT_METHOD, METHODS as SPLITTERS

CLASS_WEIGHTS = (None, "balanced")
MAX_NGRAM = 20  # longer n-grams are never useful and would make scoring slow
OPTIONAL_BLOCKS = ("chars", "lemmas", "actors", "sided", "speakers", "embeddings", "context")  # every block but words


@dataclass(frozen=True)
class Settings:
    """Every choice a model records; the defaults are those of the shipped model."""

    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] | None = (2, 5)
    context_weight: float = 0.5
    embeddings: float = 0.0  # weight of the sentence-embedding block (stance.encoder); 0: no such block
    encoder: str = DEFAULT_ENCODER  # which sentence encoder that block reads (stance.encoder.ENCODERS)
    lemmas: bool = False
    actors: bool = True
    sided: bool = True
    speakers: bool = True
    ratio_scaling: float = 0.5  # power of the log-count-ratio weighing of features (stance.ratio_scaling); 0: none
    C: float = 4.0
    class_weight: str | None = "balanced"
    collective: bool = True
    neutral_weight: float = 1.55  # the stance task's neutral probabilities times this, then renormalised (stance.prior_shift)
    quantifier: str = "pcc_pacc"
    error_rates_from: tuple[str, ...] = ()
    splitter: str = DEFAULT_METHOD
    stance_without: tuple[str, ...] = ()  # feature blocks the stance classifier leaves out (OPTIONAL_BLOCKS)
    frame_without: tuple[str, ...] = ()  # feature blocks the frame classifier leaves out

    @classmethod
    def from_dict(cls, data) -> Settings:
        """Settings from a plain dict (missing keys take their defaults); ValueError names what is wrong."""
        if not isinstance(data, dict):
            raise ValueError(f"settings must be an object, not {_kind(data)}")
        unknown = sorted(str(key) for key in data if key not in CHECKS)
        if unknown:
            raise ValueError(f"unknown setting {unknown[0]!r}; known settings: {', '.join(CHECKS)}")
        return cls(**{key: CHECKS[key](key, value) for key, value in data.items()})

    def to_dict(self) -> dict:
        """The settings as JSON-ready values (lists, not tuples)."""
        return {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(self).items()}

    def with_changes(self, **changes) -> Settings:
        """These settings with some changed, checked like ``from_dict``."""
        return Settings.from_dict({**self.to_dict(), **changes})

    def reads(self, task: str, block: str) -> bool:
        """Whether the task's classifier reads the named block when the settings turn it on (``words``: always)."""
        return block not in getattr(self, f"{task}_without")


def input_options(settings: Settings) -> dict[str, bool]:
    """The input columns a model of these settings reads, as stance.features.sentence_inputs takes them."""
    return {"lemmas": settings.lemmas, "sided": settings.sided, "speakers": settings.speakers}


def _kind(value) -> str:
    """How a JSON value is called in messages."""
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def ngram_range(key: str, value) -> tuple[int, int]:
    """Two positive integers, low ≤ high (at most MAX_NGRAM)."""
    if not isinstance(value, (list, tuple)) or len(value) != 2 or not all(
            isinstance(n, int) and not isinstance(n, bool) for n in value):
        raise ValueError(f"setting {key!r} must be two integers [low, high], not {value!r:.80}")
    low, high = value
    if not 1 <= low <= high <= MAX_NGRAM:
        raise ValueError(f"setting {key!r} must satisfy 1 ≤ low ≤ high ≤ {MAX_NGRAM}, not [{low}, {high}]")
    return (low, high)


def optional_ngram_range(key: str, value) -> tuple[int, int] | None:
    """An n-gram range, or null for a block that is off."""
    return None if value is None else ngram_range(key, value)


def weight(key: str, value) -> float:
    """A finite number ≥ 0."""
    if not _is_number(value) or value < 0:
        raise ValueError(f"setting {key!r} must be a finite number ≥ 0, not {value!r:.80}")
    return float(value)


def positive(key: str, value) -> float:
    """A finite number > 0."""
    if not _is_number(value) or value <= 0:
        raise ValueError(f"setting {key!r} must be a finite number > 0, not {value!r:.80}")
    return float(value)


def flag(key: str, value) -> bool:
    """true or false."""
    if not isinstance(value, bool):
        raise ValueError(f"setting {key!r} must be true or false, not {_kind(value)}")
    return value


def one_of(choices: tuple):
    """A check that the value is one of ``choices``."""
    def check(key: str, value):
        if not any(value is choice or (isinstance(value, str) and value == choice) for choice in choices):
            raise ValueError(f"setting {key!r} must be one of {', '.join(map(repr, choices))}, not {value!r:.80}")
        return value
    return check


def blocks(key: str, value) -> tuple[str, ...]:
    """A list of distinct optional feature blocks (OPTIONAL_BLOCKS), kept in that order."""
    if not isinstance(value, (list, tuple)) or len(set(map(str, value))) != len(value) or not all(
            isinstance(v, str) and v in OPTIONAL_BLOCKS for v in value):
        raise ValueError(f"setting {key!r} must be a list of distinct feature blocks among "
                         f"{', '.join(OPTIONAL_BLOCKS)}, not {value!r:.80}")
    return tuple(block for block in OPTIONAL_BLOCKS if block in value)


def provenances(key: str, value) -> tuple[str, ...]:
    """A list of distinct provenances (stance.schema.PROVENANCES)."""
    if not isinstance(value, (list, tuple)) or len(set(map(str, value))) != len(value) or not all(
            isinstance(v, str) and v in PROVENANCES for v in value):
        raise ValueError(f"setting {key!r} must be a list of distinct provenances among "
                         f"{', '.join(PROVENANCES)}, not {value!r:.80}")
    return tuple(value)


CHECKS = {
    "word_ngrams": ngram_range,
    "char_ngrams": optional_ngram_range,
    "context_weight": weight,
    "embeddings": weight,
    "encoder": one_of(tuple(ENCODERS)),
    "lemmas": flag,
    "actors": flag,
    "sided": flag,
    "speakers": flag,
    "ratio_scaling": weight,
    "C": positive,
    "class_weight": one_of(CLASS_WEIGHTS),
    "collective": flag,
    "neutral_weight": positive,
    "quantifier": one_of(QUANTIFIERS),
    "error_rates_from": provenances,
    "splitter": one_of(SPLITTERS),
    "stance_without": blocks,
    "frame_without": blocks,
}
