"""Macro-F1 from confusion counts, and its bootstrap intervals, against scikit-learn."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import precision_recall_fscore_support

from stance.evaluate import f1_interval, macro_f1, paired_bootstrap, provenance_split

LABELS = ["pro_musk", "pro_openai", "neutral"]
VALUES = st.sampled_from(LABELS + ["other"])  # a value outside the labels counts against them, as in scikit-learn


def scikit_learn_macro_f1(truth, predicted, labels) -> float:
    _, _, f1, support = precision_recall_fscore_support(truth, predicted, labels=labels, zero_division=0)
    return float(f1[support > 0].mean()) if (support > 0).any() else 0.0


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(VALUES, VALUES), min_size=1, max_size=40), st.integers(1, 3))
def test_macro_f1_is_scikit_learns(pairs, used):
    truth, predicted = (list(values) for values in zip(*pairs))
    labels = LABELS[:used]
    assert macro_f1(truth, predicted, labels) == scikit_learn_macro_f1(truth, predicted, labels)


def test_intervals_resample_articles_and_hold_the_point():
    rng = np.random.default_rng(0)
    truth = rng.choice(LABELS, 300)
    noisy = np.where(rng.random(300) < 0.3, rng.choice(LABELS, 300), truth)
    groups = np.repeat(np.arange(30), 10)
    point, low, high = f1_interval(truth, noisy, LABELS, groups, draws=200)
    assert point == scikit_learn_macro_f1(truth, noisy, LABELS) and low < point < high
    assert paired_bootstrap(truth, noisy, noisy, LABELS, groups, draws=50) == (0.0, 0.0, 0.0)
    better, low, high = paired_bootstrap(truth, noisy, truth, LABELS, groups, draws=200)
    assert better == 1 - point and 0 < low <= better <= high


def test_provenance_split_keeps_order_and_reindexes_both_sides():
    gold = pd.DataFrame({"provenance": ["written", "seed", "modelled", "seed"], "text": ["a", "b", "c", "d"]},
                        index=[7, 8, 9, 10])
    others, held = provenance_split(gold, "seed")
    assert others["text"].tolist() == ["a", "c"] and held["text"].tolist() == ["b", "d"]
    assert others.index.tolist() == [0, 1] and held.index.tolist() == [0, 1]
    assert provenance_split(gold, "counterfactual")[1].empty


def test_a_fitted_model_keeps_the_passes_that_evaluation_measures(label_dir):
    """fit_labels' second pass is fitted on the first pass's out-of-fold probabilities, and its error
    rates come from the very out-of-fold probabilities out_of_fold_proba reports."""
    from stance.annotation.labels import training_gold
    from stance.collective import fit_collective
    from stance.evaluate import article_splits, first_pass_proba, fit_labels, label_indices, out_of_fold_proba
    from stance.features import model_input
    from stance.model import Settings
    from stance.model.settings import input_options
    from stance.quantify import estimate_error_rates
    from stance.schema import TASKS

    gold, settings = training_gold(label_dir), Settings(quantifier="pacc")
    model = fit_labels(gold, settings, folds=3)
    proba, _ = out_of_fold_proba(gold, settings, folds=3)
    rates = estimate_error_rates(label_indices(gold), proba, gold["article"].to_numpy(), "pacc")
    X = model_input(gold["text"].tolist(), gold["article"].tolist(), **input_options(settings))
    first = first_pass_proba(X, gold, article_splits(gold["article"], 3), settings)
    second = fit_collective(first, gold["article"].tolist(), gold["text"].tolist(), label_indices(gold))
    for task in TASKS:
        assert np.array_equal(model.rates.matrices[task], rates.matrices[task])
        assert np.array_equal(model.second_pass.coef[task], second.coef[task])
    assert not all(np.array_equal(proba[task], first[task]) for task in TASKS)  # the second pass did read them
