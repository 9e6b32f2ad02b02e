"""experiments/learning_curve.py: what a doubling of the training data buys, and the summary that says it."""

import sys

import numpy as np
import pandas as pd
import pytest

from stance.devset import DevSetMissing
from stance.paths import ROOT

sys.path.append(str(ROOT / "experiments"))  # after the installed packages: its scripts are plain module names
import dev_set  # noqa: E402
import learning_curve  # noqa: E402


def curve(slope: float) -> pd.DataFrame:
    """Two draws per size whose mean scores rise by ``slope`` per doubling of the sentences."""
    rows = []
    for fraction, sentences in [(0.25, 1000), (0.5, 2000), (1.0, 4000)]:
        base = 0.6 + slope * np.log2(sentences / 4000)
        for draw, noise in enumerate((-0.01, 0.01)):
            rows.append({"fraction": fraction, "draw": draw, "articles": sentences // 40, "sentences": sentences,
                         "dev_stance": base + noise, "dev_frame": 0.7, "seeds_stance": base, "seeds_frame": 0.6})
    return pd.DataFrame(rows)


def test_doubling_gain_is_the_slope_against_log2_sentences():
    means = curve(0.04).groupby("fraction").mean(numeric_only=True)
    assert learning_curve.doubling_gain(means, "dev_stance") == pytest.approx(0.04)
    assert learning_curve.doubling_gain(means, "dev_frame") == pytest.approx(0.0)


def test_report_gives_means_sds_and_the_data_the_target_would_take():
    text = "\n".join(learning_curve.report(curve(0.04), shipped_dev_stance=0.66))
    assert "| 0.25 | 25 | 1000 | 0.520 (0.014) | 0.700 (0.000) |" in text
    assert "+0.040 per doubling" in text and "the last step (0.5 → 1) moved it +0.040" in text
    assert "+0.040 to reach 0.70 would take about 2.0 times the data" in text


def test_report_says_when_the_curve_does_not_rise_or_the_target_is_met():
    assert "no amount of such data" in learning_curve.report(curve(-0.01), shipped_dev_stance=0.66)[-1]
    assert "to reach 0.70" not in "\n".join(learning_curve.report(curve(0.04), shipped_dev_stance=0.71))


def test_main_stops_with_one_skipped_line_without_the_development_texts(monkeypatch):
    def missing(labels_dir, texts_dir):
        raise DevSetMissing("no development texts in /nowhere")

    monkeypatch.setattr(dev_set, "load_dev", missing)
    with pytest.raises(SystemExit, match="^Skipped: no development texts in /nowhere$"):
        learning_curve.main()
