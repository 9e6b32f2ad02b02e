"""experiments/second_pass.py: the length variant reads the shipped features, then the sentence's length band."""

import sys

import numpy as np

from stance.collective import stacked_features
from stance.paths import ROOT
from stance.schema import TASKS

sys.path.append(str(ROOT / "experiments"))  # after the installed packages: its scripts are plain module names
import second_pass  # noqa: E402

TEXTS = ["Au profit", "Musk a répondu sur X le soir même.", " ".join(["mot"] * 12) + " »",
         " ".join(["mot"] * 20) + ".", " ".join(["mot"] * 40) + " :"]


def test_the_length_variant_adds_one_band_and_the_missing_final_mark_to_the_shipped_features():
    rng = np.random.default_rng(0)
    proba = {task: rng.dirichlet(np.ones(len(labels)), len(TEXTS)) for task, labels in TASKS.items()}
    articles = ["a"] * len(TEXTS)
    features = second_pass.length(proba, articles, TEXTS)
    shipped = stacked_features(proba, articles, TEXTS)
    assert np.array_equal(features[:, :shipped.shape[1]], shipped)
    bands, unfinished = features[:, shipped.shape[1]:-1], features[:, -1]
    assert bands.tolist() == [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [0, 0, 0, 0]]
    assert unfinished.tolist() == [1, 0, 0, 0, 1]
