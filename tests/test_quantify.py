import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from stance.profile import group_draws, profile_row
from stance.quantify import (ErrorRates, correct, estimate_error_rates, lean_draws, misclassification,
                             project_simplex, summarise, task_draws)
from stance.schema import FRAMES, STANCES, TASKS


@given(arrays(float, (4, 3), elements=st.floats(-5, 5)))
def test_projection_lands_on_the_simplex_and_keeps_points_already_there(values):
    projected = project_simplex(values)
    assert (projected >= 0).all() and projected.sum(axis=1) == pytest.approx(np.ones(4))
    assert project_simplex(projected) == pytest.approx(projected, abs=1e-9)


def test_a_perfect_classifier_has_the_identity_as_error_rates():
    truth = np.array([0, 1, 2, 2, 1])
    assert misclassification(truth, np.eye(3)[truth], 3) == pytest.approx(np.eye(3))


def confused(truth: np.ndarray, matrix: np.ndarray, rng) -> np.ndarray:
    """One-hot readings of labels ``truth`` drawn through the confusion ``matrix`` (columns: true labels)."""
    return np.eye(len(matrix))[[rng.choice(len(matrix), p=matrix[:, t]) for t in truth]]


def test_adjusted_counts_recover_a_partisan_share_that_plain_counts_shrink():
    rng = np.random.default_rng(0)
    matrix = np.array([[0.6, 0.05, 0.1], [0.05, 0.6, 0.1], [0.35, 0.35, 0.8]])  # sides often read as neutral
    training = rng.integers(0, 3, 6000)
    rates = estimate_error_rates({"stance": training, "frame": training % 5},
                                 {"stance": confused(training, matrix, rng), "frame": np.eye(5)[training % 5]},
                                 np.arange(6000) // 30, "acc", draws=50)
    article = np.array([0] * 160 + [2] * 40)  # true lean −0.8
    read = confused(article, matrix, rng)
    plain = read.mean(axis=0)
    fixed = correct(plain[None], rates.inverses["stance"][:1])[0]
    assert abs((fixed[1] - fixed[0]) + 0.8) < abs((plain[1] - plain[0]) + 0.8) / 2


def test_uncertain_error_rates_widen_the_interval():
    rng = np.random.default_rng(1)
    proba = {"stance": rng.dirichlet(np.ones(3), 40), "frame": rng.dirichlet(np.ones(5), 40)}
    steady = ErrorRates.identity("pacc", draws=200)
    shaky = ErrorRates("pacc", {task: np.stack([np.eye(len(labels))] + [
        0.7 * np.eye(len(labels)) + 0.3 * rng.dirichlet(np.ones(len(labels)), len(labels)).T for _ in range(200)])
        for task, labels in TASKS.items()})

    def width(rates):
        return np.subtract(*summarise(lean_draws(task_draws(proba, rates, np.random.default_rng(2))["stance"]))[2:0:-1])

    assert width(shaky) > width(steady) > 0


def test_unknown_methods_are_refused():
    with pytest.raises(ValueError, match="unknown quantification method"):
        estimate_error_rates({}, {}, np.array([]), "magic")


def test_a_group_resamples_articles_and_a_single_article_its_sentences():
    rng = np.random.default_rng(3)
    article = {"stance": rng.dirichlet(np.ones(3), 30), "frame": rng.dirichlet(np.ones(5), 30)}
    rates = ErrorRates.identity(draws=100)
    one = group_draws([article], rates, np.random.default_rng(4))["stance"]
    assert one[0] == pytest.approx(article["stance"].mean(axis=0)) and one[1:].std(axis=0).min() > 0
    same = group_draws([article, article], rates, np.random.default_rng(4))["stance"]
    assert same.std(axis=0).max() == pytest.approx(0, abs=1e-12)  # identical articles: nothing to resample


def test_profile_row_of_no_sentences_is_missing_not_a_crash():
    empty = {f"p_{task}_{label}": [] for task, labels in TASKS.items() for label in labels}
    row = profile_row("a", empty)
    assert row["sentences"] == 0 and np.isnan(row["net_lean"]) and row["dominant_frame"] == ""
    assert len(STANCES) + len(FRAMES) == sum(np.isnan(row[f"{t}_{label}"]) for t, ls in TASKS.items() for label in ls)


def test_the_spanning_method_reports_mean_probabilities_within_an_interval_that_spans_the_correction():
    rng = np.random.default_rng(5)
    proba = {"stance": rng.dirichlet(np.ones(3), 30), "frame": rng.dirichlet(np.ones(5), 30)}
    shrink = {task: np.stack([0.6 * np.eye(len(labels)) + 0.4 / len(labels)] * 201) for task, labels in TASKS.items()}
    rates = {"pcc": ErrorRates.identity("pcc", 200), "pacc": ErrorRates("pacc", shrink),
             "pcc_pacc": ErrorRates("pcc_pacc", shrink)}
    results = {method: summarise(lean_draws(task_draws(proba, rates[method], np.random.default_rng(6))["stance"]))
               for method in rates}
    plain, corrected, spanning = results["pcc"], results["pacc"], results["pcc_pacc"]
    assert spanning[0] == pytest.approx(plain[0])  # the point: mean probabilities
    assert abs(corrected[0]) > abs(plain[0])  # the correction moves away from the middle
    assert spanning[1] <= min(plain[0], corrected[0]) and spanning[2] >= max(plain[0], corrected[0])
