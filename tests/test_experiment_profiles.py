"""experiments/profiles.py: whether the pull of an article's lean towards 0 is a bias a factor could undo."""

import sys

import numpy as np
import pandas as pd
import pytest

from stance.paths import ROOT

sys.path.append(str(ROOT / "experiments"))  # after the installed packages: its scripts are plain module names
import profiles  # noqa: E402


def gold_and_proba(true_leans, estimated_leans, sentences=10):
    """Articles whose gold stance gives ``true_leans`` (pro-OpenAI minus pro-Musk share) and whose mean probabilities
    give ``estimated_leans``, ``sentences`` each."""
    rows, proba = [], []
    for number, (true, estimated) in enumerate(zip(true_leans, estimated_leans)):
        openai = round(max(true, 0) * sentences)
        musk = round(max(-true, 0) * sentences)
        labels = ["pro_openai"] * openai + ["pro_musk"] * musk + ["neutral"] * (sentences - openai - musk)
        rows += [{"article": f"a{number}", "stance": label, "frame": "none"} for label in labels]
        p_openai, p_musk = max(estimated, 0) + 0.1, max(-estimated, 0) + 0.1  # pro_musk, pro_openai, neutral
        proba += [[p_musk, p_openai, 1 - p_musk - p_openai]] * sentences
    return pd.DataFrame(rows), {"stance": np.array(proba)}


def test_article_leans_are_the_mean_probability_lean_and_the_gold_lean():
    gold, proba = gold_and_proba([0.5, -0.8, 0.0], [0.2, -0.4, 0.1])
    estimated, true = profiles.article_leans(gold, proba)
    assert estimated == pytest.approx([0.2, -0.4, 0.1])
    assert true == pytest.approx([0.5, -0.8, 0.0])


def test_slope_goes_through_zero():
    assert profiles.slope(np.array([0.1, -0.2, 0.3]), np.array([0.2, -0.4, 0.6])) == pytest.approx(2.0)


def test_a_uniform_shrink_is_measured_and_undone_by_the_factor():
    gold, proba = gold_and_proba([0.6, -0.8, 0.2, -0.4], [0.3, -0.4, 0.1, -0.2])
    row = profiles.stretch_row(gold, proba, lambda _: 2.0)
    assert row["estimate_on_truth"] == pytest.approx(0.5) and row["truth_on_estimate"] == pytest.approx(2.0)
    assert row["lean_mae"] == pytest.approx(0.25) and row["stretched_mae"] == pytest.approx(0.0)
    assert row["articles"] == 4 and row["factor"] == 2.0


def test_noise_is_not_undone_a_factor_of_one_changes_nothing_and_stretched_leans_stay_within_one():
    gold, proba = gold_and_proba([0.6, -0.6, 0.0, 0.0], [0.3, -0.3, 0.3, -0.3])  # partisan read weaker, others stronger
    row = profiles.stretch_row(gold, proba, lambda _: 1.0)
    assert row["estimate_on_truth"] == pytest.approx(0.5) and row["truth_on_estimate"] == pytest.approx(1.0)
    assert row["stretched_mae"] == pytest.approx(row["lean_mae"])
    assert profiles.stretch_row(gold, proba, lambda _: 10.0)["stretched_mae"] == pytest.approx((0.4 * 2 + 1.0 * 2) / 4)


def test_each_grouped_cv_factor_comes_from_the_other_folds():
    true = [0.6, -0.8, 0.2, -0.4, 0.5, -0.2, 0.4, 0.0, -0.6, 0.8]
    gold, proba = gold_and_proba(true, [t / 2 for t in true[:5]] + [t / 4 for t in true[5:]])
    folds = profiles.grouped_folds(gold)
    factors = profiles.cv_factors(gold, proba)
    estimated, truth = profiles.article_leans(gold, proba)
    articles = list(gold["article"].unique())
    for article in articles:
        others = np.array([folds[a] != folds[article] for a in articles])
        assert factors[article] == pytest.approx(profiles.slope(estimated[others], truth[others]))
    assert len(set(folds.values())) == 5 and len(set(np.round(list(factors.values()), 9))) > 1


def test_the_ceiling_finds_the_offset_that_holds_truths_all_read_weaker():
    # every truth lies 0.3 further from 0 than its estimate, on either side: no centred 0.45 holds one, one offset all
    gold, proba = gold_and_proba([0.6, -0.7, 0.5, -0.4], [0.3, -0.4, 0.2, -0.1])
    row = profiles.ceiling_row(gold, proba)
    assert row == {"articles": 4, "centred": 0.0, "shifted": 1.0, "scaled": 0.0}


def test_the_ceiling_scales_widths_by_length_when_short_articles_err_more():
    # two long articles off by 0.1, two short ones off by 0.25: centred 0.45 holds the long ones only; widths as
    # 1/√sentences (mean 0.45) give the short ones 0.60 and the long ones 0.30, which hold all four
    gold_short, proba_short = gold_and_proba([0.5, -0.5], [0.25, -0.25], sentences=10)
    gold_long, proba_long = gold_and_proba([0.0, 0.0], [0.1, -0.1], sentences=40)
    gold = pd.concat([gold_short, gold_long.assign(article=gold_long["article"] + "l")], ignore_index=True)
    proba = {"stance": np.vstack([proba_short["stance"], proba_long["stance"]])}
    row = profiles.ceiling_row(gold, proba)
    assert row["centred"] == 0.5 and row["scaled"] == 1.0 and row["articles"] == 4
