import numpy as np
import pytest

from stance.collective import FEATURES, continues_quote, fit_collective, stacked_features
from stance.schema import TASKS


def random_proba(n, seed=0):
    rng = np.random.default_rng(seed)
    return {task: rng.dirichlet(np.ones(len(labels)), n) for task, labels in TASKS.items()}


def test_a_quote_opened_before_carries_on():
    assert continues_quote("Musk a déclaré : « OpenAI a trahi sa mission.", "Nous irons au bout. »")
    assert continues_quote("Il l'a dit ainsi :", "Rien ne l'arrêtera.")
    assert not continues_quote("Le conseil a refusé.", "La suite est attendue.")


def test_features_stay_within_each_article():
    proba = random_proba(5)
    articles, texts = ["a", "a", "b", "b", "b"], ["x"] * 5
    features = stacked_features(proba, articles, texts)
    assert features.shape == (5, len(FEATURES))
    own = np.hstack([proba[t] for t in TASKS])
    width = own.shape[1]
    assert features[0, width:2 * width] == pytest.approx(own[1])  # first of a: its only neighbour
    assert features[2, width:2 * width] == pytest.approx(own[3])  # first of b never sees a
    assert features[3, 2 * width:3 * width] == pytest.approx((own[2] + own[4]) / 2)  # rest of its article


def test_the_second_half_of_a_quote_takes_its_speakers_side():
    rng = np.random.default_rng(1)
    n = 600
    texts, articles, truth = [], [], []
    proba = {task: np.zeros((n, len(labels))) for task, labels in TASKS.items()}
    for i in range(0, n, 2):
        side = rng.integers(0, 3)
        texts += ["Il a déclaré : « Voici l'argument.", "La suite du propos. »"]
        articles += [f"a{i}"] * 2
        truth += [side, side]
        proba["stance"][i] = np.eye(3)[side] * 0.8 + 0.1
        proba["stance"][i + 1] = [0.1, 0.1, 0.8]  # the first pass sees nothing in the second half
    proba["frame"][:] = 0.2
    labels = {"stance": np.array(truth), "frame": np.zeros(n, dtype=int) + np.arange(n) % 5}
    second = fit_collective(proba, articles, texts, labels)
    out = second.apply(proba, articles, texts)["stance"]
    assert (out[1::2].argmax(axis=1) == labels["stance"][1::2]).mean() > 0.9


def test_a_label_missing_from_training_is_never_predicted_and_binary_tasks_work():
    proba = random_proba(40, seed=2)
    truth = {"stance": np.arange(40) % 2, "frame": np.zeros(40, dtype=int)}  # no neutral; one frame only
    second = fit_collective(proba, ["a"] * 40, ["x"] * 40, truth)
    out = second.apply(proba, ["a"] * 40, ["x"] * 40)
    assert (out["stance"].argmax(axis=1) != 2).all() and (out["frame"].argmax(axis=1) == 0).all()
    assert np.allclose(out["stance"].sum(axis=1), 1)


def test_an_article_gets_the_same_bits_alone_or_in_any_batch():
    n = 300
    proba = random_proba(n, seed=3)
    articles, texts = [f"a{i // 3}" for i in range(n)], ["x"] * n
    second = fit_collective(proba, articles, texts, {task: proba[task].argmax(axis=1) for task in TASKS})
    batch = second.apply(proba, articles, texts)
    for start in (0, 150, 297):
        alone = second.apply({task: p[start:start + 3] for task, p in proba.items()}, articles[start:start + 3], texts[:3])
        assert all(np.array_equal(alone[task], batch[task][start:start + 3]) for task in TASKS)
