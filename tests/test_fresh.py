"""experiments/fresh.py: the shipped models on the fresh real set, and its report."""

import sys
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from stance.devset import DevSetMissing
from stance.paths import ROOT
from stance.quantify import ErrorRates
from stance.schema import TASKS

sys.path.append(str(ROOT / "experiments"))  # after the installed packages: its scripts are plain module names
import dev_set  # noqa: E402
import fresh  # noqa: E402

GOLD = pd.DataFrame({
    "article": ["a", "a", "a", "a", "b", "b", "b", "b"],
    "stance": ["pro_musk", "pro_musk", "neutral", "neutral", "pro_openai", "pro_openai", "pro_openai", "neutral"],
    "frame": ["law", "money", "none", "law", "money", "money", "ideology", "none"]})
DATES = {"a": "2025", "b": "2026"}


def one_hot(labels, task) -> np.ndarray:
    return np.array([[0.9 if label == known else 0.1 / (len(TASKS[task]) - 1) for known in TASKS[task]]
                     for label in labels])


def test_a_model_that_reads_the_gold_scores_perfectly_and_profiles_each_article_near_its_truth(monkeypatch):
    monkeypatch.setattr(fresh, "model_proba", lambda model, gold: {t: one_hot(gold[t], t) for t in TASKS})
    result = fresh.evaluate(SimpleNamespace(rates=ErrorRates.identity()), GOLD, DATES)
    assert result["stance"]["macro_f1"] == pytest.approx(1.0) and result["frame"]["macro_f1"] == pytest.approx(1.0)
    assert result["confusion"]["stance"] == [[2, 0, 0], [0, 3, 0], [0, 0, 3]]
    assert result["sentences"] == 8 and result["articles"] == 2 and result["labels"]["stance"]["pro_openai"] == 3
    # mean probabilities shrink each lean towards 0: a true lean of -0.5 reads -0.425, of +0.75 reads +0.6375
    assert result["profiles"]["lean_mae"] == pytest.approx((0.075 + 0.1125) / 2)
    assert result["profiles"]["partisan"] == 2 and result["profiles"]["lean_mae_other"] is None  # both beyond ±0.3
    assert result["profiles"]["lean_mae_partisan"] == pytest.approx(result["profiles"]["lean_mae"])
    assert result["profiles"]["partisan_read_weaker"] == 2  # -0.425 for -0.5, +0.6375 for +0.75
    [years] = result["years"]
    assert (years["group_a"], years["group_b"]) == ("2025", "2026")
    assert years["true_difference"] == pytest.approx(-0.5 - 0.75)


def test_a_model_that_calls_everything_neutral_misses_both_sides_and_every_lean(monkeypatch):
    monkeypatch.setattr(fresh, "model_proba", lambda model, gold: {
        t: one_hot(["neutral" if t == "stance" else "none"] * len(gold), t) for t in TASKS})
    result = fresh.evaluate(SimpleNamespace(rates=ErrorRates.identity()), GOLD, DATES)
    assert result["stance"]["macro_f1"] == pytest.approx((2 * 3 / 11) / 3)  # neutral: precision 3/8, recall 1
    assert result["stance"]["per_label"] == {"pro_musk": 0.0, "pro_openai": 0.0, "neutral": pytest.approx(0.545, abs=1e-3)}
    assert result["profiles"]["lean_mae"] == pytest.approx((0.5 + 0.75) / 2) and result["profiles"]["coverage"] == 0.0


def test_the_lean_error_of_partisan_articles_is_given_apart_from_the_others():
    gold = pd.DataFrame({"article": ["a"] * 4 + ["c"] * 4,
                         "stance": ["pro_musk", "pro_musk", "neutral", "neutral", "pro_musk", "pro_openai", "neutral", "neutral"],
                         "frame": ["none"] * 8})  # a leans -0.5 (partisan), c 0 (balanced)
    proba = {t: one_hot(["neutral" if t == "stance" else "none"] * len(gold), t) for t in TASKS}
    result = fresh.scores(gold, proba, lambda _: ErrorRates.identity())
    assert result["partisan"] == 1 and result["lean_mae_partisan"] == pytest.approx(0.5)
    assert result["partisan_read_weaker"] == 0  # read as 0: not on the right side
    assert result["lean_mae_other"] == pytest.approx(0.0) and result["lean_mae"] == pytest.approx(0.25)


def report_row(**figures) -> dict:
    task = {"macro_f1": 0.6, "low": 0.5, "high": 0.7, "per_label": {"pro_musk": 0.55}}
    return {"sentences": 300, "articles": 30, "stance": task, "frame": {**task, "per_label": {"law": 0.8}},
            "confusion": {"stance": [[1]], "frame": [[2]]},
            "profiles": {"articles": 30, "lean_mae": 0.2, "share_mae": 0.1, "coverage": 0.6, "width": 0.5,
                         "reachable": 0.7, "partisan": 0, "partisan_read_weaker": 0, "lean_mae_partisan": None,
                         "lean_mae_other": 0.2},
            "ceiling": {"articles": 30, "centred": 0.7, "shifted": 0.8, "scaled": 0.75},
            "years": [{"group_a": "2025", "group_b": "2026", "difference": 0.1, "low": -0.05, "high": 0.3,
                       "flagged": False, "true_difference": 0.2}], **figures}


def test_report_gives_every_set_its_figures_profiles_years_and_confusion():
    passes = {"sentences": 300, "articles": 30, "tasks": {"stance": {"kappa": 0.9, "agreement": 0.95},
                                                          "frame": {"kappa": 0.8, "agreement": 0.9}}}
    lines = fresh.report({"default: fresh": report_row(), "default: development": report_row(sentences=600)}, passes,
                         "300 labelled sentences matched")
    text = "\n".join(lines)
    assert "| default: fresh | 300 | 30 | 0.600 [0.500, 0.700] | 0.600 [0.500, 0.700] | pro_musk 0.55; law 0.80 |" in text
    assert "| default: development | 600 | 30 |" in text
    assert "| default: fresh | 30 | 0.200 | – (0; 0) | 0.200 | 0.100 | 60% | 0.50 | 70% |" in text
    assert "| default: fresh | 30 | 70% | 80% | 75% |" in text
    assert "| default: fresh | 2025 | 2026 | +0.100 | [-0.050, +0.300] | False | +0.200 |" in text
    assert "- default: fresh, stance (pro_musk, pro_openai, neutral): [[1]]" in text
    assert text.startswith("# The shipped models on the fresh real set\n\n`python experiments/fresh.py`")
    assert "Fresh set: 300 labelled sentences matched; two independent passes over 300 sentences of 30 articles, " \
           "stance κ = 0.900 (raw agreement 0.950), frame κ = 0.800 (raw agreement 0.900)" in text


def test_the_stored_passes_agree_as_the_report_says():
    passes = fresh.pass_agreement(fresh.FRESH_LABELS)  # stance.devset's, as fresh.py calls it
    assert passes["sentences"] == 516 and passes["articles"] == 42
    assert round(passes["tasks"]["stance"]["kappa"], 3) == 0.969 and round(passes["tasks"]["frame"]["kappa"], 3) == 0.952


def test_main_stops_with_one_skipped_line_without_the_fresh_texts(monkeypatch):
    def missing(labels_dir, texts_dir):
        raise DevSetMissing(f"the texts of {labels_dir.name} are not in /nowhere")

    monkeypatch.setattr(dev_set, "load_dev", missing)
    with pytest.raises(SystemExit, match="^Skipped: the texts of real_fresh are not in /nowhere$"):
        fresh.main()
