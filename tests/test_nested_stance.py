"""experiments/nested_stance.py: a stance first pass that asks whether a sentence takes a side, then which."""

import sys

import numpy as np
import pytest

from stance.annotation.labels import training_gold
from stance.features import model_input
from stance.model import Settings
from stance.model.settings import input_options
from stance.paths import ROOT

sys.path.append(str(ROOT / "experiments"))  # after the installed packages: its scripts are plain module names
import nested_stance  # noqa: E402


@pytest.fixture
def nested_fit(label_dir):
    """The tiny labels, their input table, and a model with the nested stance task fitted on them."""
    gold = training_gold(label_dir)
    X = model_input(gold["text"].tolist(), gold["article"].tolist(), **input_options(Settings()))
    model = nested_stance.fit_nested(X, {"stance": gold["stance"], "frame": gold["frame"]}, Settings())
    return gold, X, model


def test_the_heads_learn_whether_a_sentence_takes_a_side_and_then_which(nested_fit):
    _, _, model = nested_fit
    nested = model.tasks["stance"]
    assert sorted(nested.takes_side.classes) == ["neutral", "side"]
    assert sorted(nested.which_side.classes) == ["pro_musk", "pro_openai"]  # trained on the partisan rows only


def test_the_nested_probabilities_multiply_the_heads_and_come_in_the_schema_order(nested_fit):
    _, X, model = nested_fit
    nested = model.tasks["stance"]
    proba = model.predict_proba(X)["stance"]  # columns: pro_musk, pro_openai, neutral
    side = nested.takes_side.predict_proba(X)[:, nested.takes_side.classes.index("side")]
    musk = nested.which_side.predict_proba(X)[:, nested.which_side.classes.index("pro_musk")]
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert np.allclose(proba[:, 2], 1 - side)
    assert np.allclose(proba[:, 0] / (proba[:, 0] + proba[:, 1]), musk)


def test_the_nested_model_learns_its_training_labels_and_keeps_the_shipped_frame(nested_fit):
    gold, X, model = nested_fit
    proba = model.predict_proba(X)
    predicted = np.array(["pro_musk", "pro_openai", "neutral"])[proba["stance"].argmax(axis=1)]
    assert (predicted == gold["stance"].to_numpy()).mean() > 0.8
    assert proba["frame"].shape == (len(gold), 5)
