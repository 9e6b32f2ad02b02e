"""The stance label mix of real coverage: neutral probabilities weighted up before the label is taken.

The classifiers learn with balanced class weights on a corpus about half neutral, so they act as if
the three stances were equally likely; real coverage is mostly neutral (two sentences in three on the
development set, three in four in the seeds), and the model calls too many of its plain sentences
partisan. Multiplying each neutral probability by ``neutral_weight`` and renormalising is a shift of
the prior toward that mix (Saerens et al., 2002), damped: the full correction to the seeds' label mix
over-shoots (experiments/label_shift.py). The weight is chosen by experiments/neutral_weight.py.
"""

from __future__ import annotations

import numpy as np

from stance.schema import TASKS

NEUTRAL = "neutral"


def shift_neutral(proba: dict[str, np.ndarray], weight: float) -> dict[str, np.ndarray]:
    """The probabilities with the stance task's neutral column times ``weight``, rows summing to 1 again."""
    if weight == 1.0:
        return proba
    stance = proba["stance"].copy()
    stance[:, TASKS["stance"].index(NEUTRAL)] *= weight
    return {**proba, "stance": stance / stance.sum(axis=1, keepdims=True)}
