"""experiments/training_noise.py: the draws of training articles left out, the figures, and the report."""

import sys

import numpy as np
import pandas as pd
import pytest

from stance.devset import DevSetMissing
from stance.model import Settings, load_model
from stance.paths import ROOT

sys.path.append(str(ROOT / "experiments"))  # after the installed packages: its scripts are plain module names
import dev_set  # noqa: E402
import training_noise  # noqa: E402


def gold(articles: int) -> pd.DataFrame:
    rows = [{"article": f"w{n:03d}", "provenance": "written"} for n in range(articles)]
    return pd.DataFrame(rows + [{"article": "000_seed", "provenance": "seed"}] * 3)


def test_each_draw_leaves_out_five_percent_of_the_articles_never_a_seed():
    draws = training_noise.left_out_articles(gold(100), draws=4)
    assert [len(out) for out in draws] == [5, 5, 5, 5]
    assert all("000_seed" not in out and len(set(out)) == 5 for out in draws)
    assert len({tuple(out) for out in draws}) == 4  # different articles per draw
    assert draws == training_noise.left_out_articles(gold(100), draws=4)  # and the same on every run


def test_figures_score_the_development_set_the_seeds_and_both_pooled():
    dev = pd.DataFrame({"stance": ["pro_musk", "neutral"], "frame": ["law", "none"]})
    seeds = pd.DataFrame({"stance": ["pro_openai", "neutral"], "frame": ["money", "none"]})
    right = {"stance": np.array(["pro_musk", "neutral"]), "frame": np.array(["law", "none"])}
    wrong = {"stance": np.array(["neutral", "neutral"]), "frame": np.array(["none", "none"])}
    out = training_noise.figures(dev, seeds, right, wrong)
    assert out["dev_stance"] == pytest.approx(1.0) and out["dev_frame"] == pytest.approx(1.0)
    assert out["seeds_stance"] == pytest.approx(1 / 3)  # neutral right, pro_openai missed: (0 + 2/3) / 2 classes
    assert out["seeds_stance"] < out["pooled_stance"] < out["dev_stance"]


def test_report_gives_each_draw_and_the_spread_a_comparison_must_clear():
    values = [0.70, 0.69, 0.71, 0.66, 0.72]
    rows = pd.DataFrame([{"training": name, "sentences": 100, **{f: v for f in training_noise.FIGURES}}
                         for name, v in zip(["full", "draw 1", "draw 2", "draw 3", "bag"], values)])
    text = "\n".join(training_noise.report(rows, "cmd"))
    assert "| draw 3 | 100 | 0.660 |" in text and "| bag |  | 0.720 |" in text
    assert "| sd of the draws |  | 0.025 |" in text  # sd of 0.69, 0.71, 0.66
    assert "| mean of draw − full |  | -0.013 |" in text
    assert "| largest abs(draw − full) |  | 0.040 |" in text
    assert "moves pooled stance by 0.025 (sd)" in text
    assert "development stance 0.720 and pooled stance 0.720, against 0.700 and 0.700" in text


def test_added_report_pairs_each_training_with_the_same_one_without_the_added_articles():
    def rows(suffix, values):
        return pd.DataFrame([{"training": name + suffix, "sentences": 100, **{f: v for f in training_noise.FIGURES}}
                             for name, v in zip(["full", "draw 1", "draw 2", "draw 3"], values)])

    lines = training_noise.paired_report(rows("", [0.70, 0.66, 0.68, 0.67]), rows(" + m0", [0.69, 0.67, 0.70, 0.66]),
                                        ["m0"], "cmd")
    text = "\n".join(lines)
    assert "| full + m0 | 100 | 0.690 (-0.010) |" in text
    assert "| Δ, mean of the 3 draws (sd) | | +0.007 (0.015) |" in text  # +0.01, +0.02, −0.01
    assert "| draws where it gains | | 2 of 3 |" in text


def test_adding_articles_needs_the_recorded_trainings_without_them(tmp_path, monkeypatch):
    monkeypatch.setattr(training_noise, "RESULTS", tmp_path)
    shipped, key = Settings(), training_noise.settings_key(Settings())
    pd.DataFrame([{"training": "full", "sentences": 99, "settings": key}]).to_csv(tmp_path / "training_noise.csv",
                                                                                  index=False)
    with pytest.raises(SystemExit, match="^Error: .*training_noise.csv does not hold these 1 trainings"):
        training_noise.recorded_base([("full", pd.DataFrame({"article": ["a"] * 100}))], shipped)
    assert training_noise.recorded_base([("full", pd.DataFrame({"article": ["a"] * 99}))], shipped)["sentences"].tolist() == [99]


def test_a_base_recorded_with_other_settings_is_refused(tmp_path, monkeypatch):
    """After the shipped settings change, the recorded draws are no longer the twins of the new trainings."""
    monkeypatch.setattr(training_noise, "RESULTS", tmp_path)
    older = training_noise.settings_key(Settings(neutral_weight=1.0))
    for columns in ({"settings": older}, {}):
        pd.DataFrame([{"training": "full", "sentences": 99, **columns}]).to_csv(tmp_path / "training_noise.csv",
                                                                               index=False)
        with pytest.raises(SystemExit, match="^Error: .*measured with other settings"):
            training_noise.recorded_base([("full", pd.DataFrame({"article": ["a"] * 99}))], Settings())


def test_the_recorded_draws_carry_the_settings_they_were_measured_with():
    recorded = pd.read_csv(training_noise.RESULTS / "training_noise.csv")
    assert set(recorded["settings"]) == {training_noise.settings_key(load_model().settings)}


def test_main_stops_with_one_skipped_line_without_the_development_texts(monkeypatch):
    def missing(labels_dir, texts_dir):
        raise DevSetMissing("no development texts in /nowhere")

    monkeypatch.setattr(dev_set, "load_dev", missing)
    with pytest.raises(SystemExit, match="^Skipped: no development texts in /nowhere$"):
        training_noise.main(draws=2, jobs=1, add=[])


def test_adding_a_prefix_that_names_no_left_out_article_is_one_error(monkeypatch):
    """c01 is in the shipped training already, zz names nothing: either would add nothing to compare."""
    monkeypatch.setattr(dev_set, "load_dev", lambda labels_dir, texts_dir: type("Dev", (), {"gold": pd.DataFrame()})())
    for prefix in ("c01", "zz"):
        with pytest.raises(SystemExit, match=f"^Error: --add {prefix}: no labelled article outside"):
            training_noise.main(draws=6, jobs=1, add=["m0", prefix])


def test_each_added_batch_is_reported_in_its_own_file_named_by_its_first_prefix():
    """Two comparisons (the seventh and eighth batches, then the ninth) must not overwrite each other."""
    first = training_noise.paired_name(["c13", "c14", "m0"])
    assert first == "training_noise_added_c13.md"
    assert first != training_noise.paired_name(["m97", "c17"])
    assert (training_noise.RESULTS / first).is_file()  # the recorded comparison the README cites


def test_a_change_of_settings_is_reported_in_its_own_file_and_named_in_words():
    assert training_noise.paired_name([], {"neutral_weight": 1.55}) == "training_noise_changed_neutral_weight.md"
    assert training_noise.paired_name(["m0"], {"C": 2}) == "training_noise_added_m0_changed_C.md"
    assert training_noise.what_changes([], {"C": 2}) == 'the settings {"C": 2}'
    assert training_noise.what_changes(["m0", "c1"], {"C": 2}) == \
        'the articles whose ids start with m0, c1 added and the settings {"C": 2}'


def test_a_bad_change_of_settings_is_one_error_line(monkeypatch):
    monkeypatch.setattr(dev_set, "load_dev", lambda labels_dir, texts_dir: type("Dev", (), {"gold": pd.DataFrame()})())
    for change in ('{"C": -1}', '{"no_such_setting": 1}', "[]", "not json"):
        with pytest.raises(SystemExit, match="^Error: "):
            training_noise.main(draws=2, jobs=1, add=[], change=change)
