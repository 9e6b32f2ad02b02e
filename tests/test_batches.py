"""experiments/batches.py: the pairs of held-out fits that the comparisons of trainings share."""

import sys

import pandas as pd

from stance.paths import ROOT

sys.path.append(str(ROOT / "experiments"))  # after the installed packages: its scripts are plain module names
import batches  # noqa: E402


def test_held_out_pairs_fit_each_training_for_the_development_set_and_without_its_seeds_for_the_seeds():
    def training(written: int) -> pd.DataFrame:
        return pd.DataFrame({"provenance": ["written"] * written + ["seed"] * 2})

    dev, seeds = pd.DataFrame({"text": ["d"] * 3}), pd.DataFrame({"text": ["s"] * 2})

    def sizes(train, settings, test):
        return {"train": len(train), "test": len(test), "settings": settings}

    pairs = batches.held_out_pairs([training(5), training(7)], "shipped", dev, seeds, jobs=1, fit=sizes)
    assert pairs == [({"train": 7, "test": 3, "settings": "shipped"}, {"train": 5, "test": 2, "settings": "shipped"}),
                     ({"train": 9, "test": 3, "settings": "shipped"}, {"train": 7, "test": 2, "settings": "shipped"})]


def test_every_batch_the_shipped_model_leaves_out_is_a_batch_here():
    """A batch missing here would sit in every training a rerun measures, the base included."""
    from stance.model import load_model

    excluded = load_model().config["training"]["excluded"]
    prefixes = {prefix for batch in batches.BATCHES.values() for prefix in batch}
    assert excluded and set(excluded) <= prefixes
