"""experiments/domains.py: per-domain feature copies folded back into one weight matrix, and instance weights."""

import sys

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.special import softmax
from sklearn.linear_model import LogisticRegression

from stance.annotation.labels import training_gold
from stance.features import model_input
from stance.model import Settings, fit_model
from stance.model.settings import input_options
from stance.paths import ROOT

sys.path.append(str(ROOT / "experiments"))  # after the installed packages: its scripts are plain module names
import domains  # noqa: E402


def test_each_copy_holds_its_own_domain_rows_times_the_scale():
    rows = sp.csr_matrix(np.array([[1.0, 2.0], [3.0, 4.0]]))
    copies = domains.augmented(rows, np.array([0.0, 1.0]), 0.5).toarray()
    assert copies.tolist() == [[1, 2, 0.5, 1, 0, 0], [3, 4, 0, 0, 1.5, 2]]


def test_the_folded_weights_score_a_sentence_as_the_augmented_classifier_scores_a_real_like_one():
    rng = np.random.default_rng(0)
    rows = sp.random(60, 8, density=0.5, random_state=0, format="csr")
    real_like = (np.arange(60) % 2).astype(float)
    classifier = LogisticRegression(max_iter=2000).fit(domains.augmented(rows, real_like, 0.5), rng.integers(0, 3, 60))
    expected = classifier.predict_proba(domains.augmented(rows, np.ones(60), 0.5))
    scores = rows @ domains.folded(classifier.coef_, 8, 0.5).T + classifier.intercept_
    assert np.allclose(softmax(np.asarray(scores), axis=1), expected)
    assert not np.allclose(softmax(np.asarray(rows @ classifier.coef_[:, :8].T + classifier.intercept_), axis=1), expected)


@pytest.fixture
def shipped_fit(label_dir):
    """The tiny labels' input table, labels, articles, and the shipped first pass's probabilities on them."""
    gold = training_gold(label_dir)
    X = model_input(gold["text"].tolist(), gold["article"].tolist(), **input_options(Settings()))
    y = {"stance": gold["stance"], "frame": gold["frame"]}
    return X, y, frozenset(gold["article"]), fit_model(X, y).predict_proba(X)


def test_at_scale_zero_the_domain_fitter_is_the_shipped_first_pass(shipped_fit):
    X, y, _, plain = shipped_fit
    for scale, same in ((0.0, True), (1.0, False)):
        adapted = domains.domain_fitter(frozenset({"t1_pro_musk"}), scale)(X, y).predict_proba(X)
        assert np.allclose(adapted["stance"], plain["stance"], atol=1e-6) is same


def test_weighing_every_article_alike_is_the_shipped_first_pass_and_weighing_some_is_not(shipped_fit):
    X, y, every_article, plain = shipped_fit
    for articles, same in ((every_article, True), (frozenset({"t1_pro_musk"}), False)):
        weighted = domains.weighted_fitter(articles, 3.0)(X, y).predict_proba(X)
        assert np.allclose(weighted["stance"], plain["stance"], atol=1e-6) is same
