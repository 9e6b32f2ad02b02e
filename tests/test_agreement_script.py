"""experiments/agreement.py: the passes' kappa per provenance, and one batch of articles alone."""

import json
import sys

import pytest

from stance.paths import ROOT

sys.path.append(str(ROOT / "experiments"))  # after the installed packages: its scripts are plain module names
import agreement  # noqa: E402


def test_a_batch_is_reported_beside_the_provenances_on_its_own_articles(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(agreement, "RESULTS", tmp_path)
    agreement.main(["c17"])
    report = json.loads((tmp_path / "agreement.json").read_text())
    batch = report["batch c17"]
    assert batch["articles"] == 3 and batch["sentences"] < report["counterfactual"]["sentences"]
    assert 0 < batch["tasks"]["stance"]["kappa"] <= 1
    assert f"batch c17: {batch['sentences']} sentences in 3 articles" in capsys.readouterr().out


def test_a_batch_without_a_second_pass_is_one_error(tmp_path, monkeypatch):
    monkeypatch.setattr(agreement, "RESULTS", tmp_path)
    with pytest.raises(SystemExit, match="^Error: --batch c01: no article with these prefixes has a second pass$"):
        agreement.main(["c01"])
