"""Does the optional sentence-embedding block (stance.encoder) earn a second model?

    python experiments/embeddings.py [ENCODER:WEIGHT ...]

The shipped settings against the same settings plus the embedding block of each encoder at each
weight (stance.encoder.ENCODERS; default use:0.5 e5:0.5 e5:1), all trained on the repository's
labels only. Measured on the real development set (macro-F1 and per-class F1), on the seeds
(trained without them) and by grouped cross-validation, with each model's scoring speed on the
development texts; each difference to the shipped settings comes with a 95% paired bootstrap over
articles on the development set, the seeds and both pooled. Skips when the development texts are
absent. Writes experiments/results/embeddings.md.
"""

from __future__ import annotations

import sys

from stance.encoder import ENCODERS
from stance.model import load_model
from versus_shipped import compare


def main(blocks: list[tuple[str, float]], arguments: list[str]) -> None:
    shipped = load_model()
    compare(shipped, {f"+ {encoder} embeddings (weight {w:g})": shipped.settings.with_changes(embeddings=w, encoder=encoder)
             for encoder, w in blocks}, "embeddings.md", "The sentence-embedding block",
            " ".join(["python experiments/embeddings.py", *arguments]))


def block(argument: str) -> tuple[str, float]:
    """An ENCODER:WEIGHT argument as (encoder, weight); a bad one stops with one Error line."""
    encoder, _, text = argument.partition(":")
    try:
        weight = float(text)
    except ValueError:
        weight = 0.0
    if encoder in ENCODERS and 0 < weight < float("inf"):
        return encoder, weight
    sys.exit(f"Error: {argument!r}: expected ENCODER:WEIGHT, ENCODER one of {', '.join(ENCODERS)}, "
             "WEIGHT a finite number above 0")


if __name__ == "__main__":
    main([block(argument) for argument in sys.argv[1:]] or [("use", 0.5), ("e5", 0.5), ("e5", 1.0)], sys.argv[1:])
