import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.utils.estimator_checks import estimator_checks_generator

from stance.actors import ActorCounts
from stance.features import model_input
from stance.ratio_scaling import RatioScaling
from stance.sentence_embeddings import SentenceEmbeddings

# Every scikit-learn estimator check, except the array-API ones: the text transformers read text, which
# has no array-API namespace, and none of the transformers declares array-API support.
CHECKS = [
    pytest.param(estimator, check, id=f"{type(estimator).__name__}-{getattr(check, 'func', check).__name__}")
    for transformer in (ActorCounts(), SentenceEmbeddings(), RatioScaling())
    for estimator, check in estimator_checks_generator(transformer, legacy=True)
    if "array_api" not in getattr(check, "func", check).__name__
]


@pytest.mark.parametrize("estimator, check", CHECKS)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


def test_ratio_scaling_weighs_the_features_one_class_owns():
    X = np.array([[1, 1, 0], [1, 1, 0], [1, 0, 0], [1, 0, 1]] * 5, dtype=float)
    y = np.array(["a", "a", "b", "b"] * 5)
    scaling = RatioScaling().fit(X, y)
    shared, owned, rare = scaling.scale_
    assert shared == 1.0 and owned > rare > 1.0
    assert np.allclose(RatioScaling(power=0.5).fit(X, y).scale_ ** 2, scaling.scale_)
    assert np.allclose(RatioScaling(power=0).fit(X, y).transform(X), X)
    assert np.allclose(scaling.transform(sparse.csr_matrix(X)).toarray(), scaling.transform(X))
    with pytest.raises(ValueError, match="alpha must be > 0"):
        RatioScaling(alpha=0).fit(X, y)


def test_actor_counts_tell_the_sides_apart():
    X = pd.DataFrame({"text": ["Elon Musk attaque OpenAI", "Sam Altman répond", "Macron annonce 109 milliards"]})
    out = ActorCounts().fit(X).transform(X)
    assert out[0, 2] == 1 and out[0, 0] > 0 and out[0, 1] > 0
    assert out[1, 0] == 0 and out[1, 1] > 0
    assert out[2, 3] == 1


def test_sentence_embeddings_put_close_meanings_close():
    X = pd.DataFrame({"text": ["Musk attaque OpenAI en justice.", "Elon Musk poursuit OpenAI devant les tribunaux.",
                               "La recette de la tarte aux pommes."]})
    out = SentenceEmbeddings().fit(X).transform(X)
    assert out.shape == (3, 512) and np.allclose(np.linalg.norm(out, axis=1), 1)
    assert out[0] @ out[1] > out[0] @ out[2] + 0.2


def test_context_is_the_neighbours_within_one_article():
    X = model_input(["a", "b", "c", "d"], ["x", "x", "x", "y"])
    assert X["context"].tolist() == ["b", "a c", "b", ""]
    assert np.all(X["text"] == ["a", "b", "c", "d"])


def test_the_speakers_column_is_there_only_when_asked_for():
    texts, articles = ["Elon Musk accuse OpenAI.", "Le tribunal siège."], ["x", "x"]
    assert "speakers" not in model_input(texts, articles)
    assert model_input(texts, articles, speakers=True)["speakers"].tolist() == [
        "speaker_musk target_openai", "speaker_none"]


def sided(text: str) -> str:
    """The sided column of one sentence, as the model reads it."""
    return model_input([text], ["a"], sided=True)["sided"].iloc[0]


def test_sided_text_names_sides_not_people():
    assert sided("OpenAI accuse Elon Musk de harcèlement").split() == [
        "openaiside", "accuse", "muskside", "muskside", "de", "harcèlement"]
    assert sided("Altman répond à xAI.").split()[:3] == ["openaiside", "répond", "à"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Elon", "MUSK", "xAI", "openai", "Open AI", "GPT-4o", "gpt4", "Bret Taylor",
                                 "conseil d’administration", "Tesla", "vy capital", "-", "_", "é", " ", "x", "'"]),
                max_size=12))
def test_one_scan_for_side_names_replaces_them_as_two_substitutions_do(pieces):
    """The sided column and the speakers column share one scan (stance.features.mentions)."""
    from stance.features import MUSK_SIDE, OPENAI_SIDE

    text = "".join(pieces)
    assert sided(text) == OPENAI_SIDE.sub(" openaiside ", MUSK_SIDE.sub(" muskside ", text.lower()))
    shared = model_input([text, text], ["a", "a"], sided=True, speakers=True)
    assert shared["sided"].tolist() == [sided(text)] * 2
    assert shared["speakers"].tolist() == model_input([text, text], ["a", "a"], speakers=True)["speakers"].tolist()


def test_remembered_embeddings_are_those_the_encoder_gives():
    from stance.encoder import embed, forget

    texts = ["OpenAI refuse l'offre.", "Musk fait appel.", "OpenAI refuse l'offre."]
    first = embed(texts)
    forget()
    again = embed(texts[::-1])
    assert np.allclose(first, again[::-1]) and np.allclose(first[0], first[2])
    assert embed([]).shape == (0, 512)


def test_each_encoder_gives_unit_rows_of_its_own_width_and_remembers_them_apart():
    from stance.encoder import ENCODERS, embed

    texts = ["Le conseil d'OpenAI rejette l'offre de Musk.", "Le procès s'ouvre à Oakland."]
    rows = {name: embed(texts, name) for name in ENCODERS}
    for name, found in rows.items():
        assert found.shape == (2, ENCODERS[name].width)
        assert np.allclose(np.linalg.norm(found, axis=1), 1, atol=1e-3)
        assert np.allclose(embed(texts[:1], name), found[:1])
    assert rows["e5"] @ rows["e5"][0] @ [1, -1] > 0.01  # a sentence is nearer itself than another


NAMES = ["elon", "musk", "xai", "grok", "tesla", "spacex", "consortium", "baron capital", "valor", "vy capital",
         "openai", "open ai", "altman", "brockman", "microsoft", "nadella", "chatgpt", "gpt-4", "gpt4", "bret taylor",
         "conseil d'administration", "ai", "open", "capital", "gpt-", "x"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(["", " ", "-", "'", ", ", "«"])), max_size=8))
def test_one_scan_counts_each_sides_names_as_two_separate_scans_do(parts):
    """actor_counts finds both sides' names in one scan: no name of one side may hide one of the other's."""
    from stance.features import MUSK_SIDE, OPENAI_SIDE, actor_counts

    text = "".join(name + sep for name, sep in parts).title()
    m, o = len(MUSK_SIDE.findall(text.lower())), len(OPENAI_SIDE.findall(text.lower()))
    assert actor_counts([text])[0].tolist() == [np.log1p(m), np.log1p(o), m > 0 and o > 0, m == 0 and o == 0]
