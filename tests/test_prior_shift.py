import numpy as np
import pytest

from stance.model import Settings, load_model
from stance.prior_shift import shift_neutral
from stance.schema import TASKS

NEUTRAL = TASKS["stance"].index("neutral")


def probabilities():
    stance = np.array([[0.40, 0.25, 0.35], [0.1, 0.1, 0.8], [0.5, 0.5, 0.0]])
    return {"stance": stance, "frame": np.full((3, 5), 0.2)}


def test_the_neutral_weight_moves_probability_to_neutral_and_keeps_rows_summing_to_one():
    proba = probabilities()
    shifted = shift_neutral(proba, 1.25)
    assert np.allclose(shifted["stance"].sum(axis=1), 1)
    assert shifted["stance"][0].argmax() == NEUTRAL and proba["stance"][0].argmax() != NEUTRAL
    assert shifted["stance"][1, NEUTRAL] > proba["stance"][1, NEUTRAL]
    assert shifted["stance"][2].tolist() == [0.5, 0.5, 0.0]  # nothing to weight
    # the partisan labels keep their odds against each other
    assert shifted["stance"][0, 0] / shifted["stance"][0, 1] == pytest.approx(0.40 / 0.25)
    assert shifted["frame"] is proba["frame"]
    assert proba["stance"][0].tolist() == [0.40, 0.25, 0.35]  # the input is not changed in place


def test_a_weight_below_one_moves_probability_away_from_neutral():
    assert shift_neutral(probabilities(), 0.5)["stance"][1, NEUTRAL] == pytest.approx(0.4 / 0.6)


def test_weight_one_is_the_identity():
    proba = probabilities()
    assert shift_neutral(proba, 1.0) is proba


@pytest.mark.parametrize("value", [0, -1.25, float("nan"), True, "1.25"])
def test_a_neutral_weight_that_is_not_a_positive_number_is_refused(value):
    with pytest.raises(ValueError, match="'neutral_weight' must be a finite number > 0"):
        Settings.from_dict({"neutral_weight": value})


def test_a_model_scores_with_its_neutral_weight(tiny_model):
    """A model's final probabilities are shifted by the weight its settings record."""
    model = load_model(tiny_model)
    texts = ["OpenAI refuse l'offre de Musk.", "Musk a raison contre OpenAI.", "Le procès s'ouvre au printemps."]
    articles = ["a"] * 3
    first = model.predict_proba(model.input_for(texts, articles))
    model.settings = model.settings.with_changes(neutral_weight=1.0)
    plain = model.read_in_context(first, articles, texts)
    model.settings = model.settings.with_changes(neutral_weight=3.0)
    weighted = model.read_in_context(first, articles, texts)
    assert np.allclose(weighted["stance"], shift_neutral(plain, 3.0)["stance"])
    assert (weighted["stance"][:, NEUTRAL] > plain["stance"][:, NEUTRAL]).all()
    assert np.array_equal(weighted["frame"], plain["frame"])
