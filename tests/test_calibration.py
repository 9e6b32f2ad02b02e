"""experiments/calibration.py: temperature scaling and the reliability table, on real text when it is here."""

import sys

import numpy as np
import pandas as pd
import pytest

from stance.devset import DevSetMissing
from stance.paths import ROOT
from stance.schema import TASKS

sys.path.append(str(ROOT / "experiments"))  # after the installed packages: its scripts are plain module names
import calibration  # noqa: E402


def test_a_temperature_of_one_changes_nothing_and_a_higher_one_flattens():
    proba = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    assert np.allclose(calibration.with_temperature(proba, 1.0), proba)
    flat = calibration.with_temperature(proba, 3.0)
    assert np.allclose(flat.sum(axis=1), 1) and (flat.max(axis=1) < proba.max(axis=1)).all()
    assert (flat.argmax(axis=1) == proba.argmax(axis=1)).all()  # the predicted label never changes


def test_the_fitted_temperature_undoes_overconfidence():
    rng = np.random.default_rng(0)
    honest = rng.dirichlet([2, 2, 2], size=4000)
    truth = np.array([rng.choice(3, p=p) for p in honest])  # each row's label as its column index
    overconfident = calibration.with_temperature(honest, 0.5)  # twice too sharp
    assert calibration.fitted_temperature(overconfident, truth) == pytest.approx(2.0, rel=0.15)
    assert calibration.fitted_temperature(honest, truth) == pytest.approx(1.0, rel=0.15)


def test_without_the_development_texts_their_rows_are_left_out_with_one_warning(tmp_path, monkeypatch, capsys):
    gold = pd.DataFrame({"stance": ["neutral", "pro_musk"] * 2, "frame": ["none", "law"] * 2,
                         "provenance": ["seed", "written"] * 2})
    proba = {task: np.full((4, len(labels)), 1 / len(labels)) for task, labels in TASKS.items()}

    def missing():
        raise DevSetMissing("the texts of real_dev are not in /nowhere")

    monkeypatch.setattr(calibration, "trained_on", lambda model, labels: gold)
    monkeypatch.setattr(calibration, "out_of_fold_proba", lambda gold, holdout=None: (proba, np.ones(4, bool)))
    monkeypatch.setattr(calibration, "load_dev", missing)
    monkeypatch.setattr(calibration, "RESULTS", tmp_path)
    calibration.main()
    err = capsys.readouterr().err
    assert err == "Warning: the texts of real_dev are not in /nowhere; the development set's rows are left out\n"
    written = pd.read_csv(tmp_path / "calibration.csv")
    assert set(written["protocol"]) == {"grouped", "seeds"} and (tmp_path / "calibration.png").is_file()
