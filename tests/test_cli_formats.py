"""Every command writes each format it advertises, and refuses any other in one Error line."""

import json

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from stance.cli import app
from tests.conftest import one_error

runner = CliRunner()


def invoke(*args, **kwargs):
    return runner.invoke(app, [str(a) for a in args], **kwargs)


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "alpha.txt"
    path.write_text("Musk a raison contre OpenAI. Le conseil a trahi sa mission.", encoding="utf-8")
    return path


def test_explain_writes_parquet(tiny_model, tmp_path):
    out = tmp_path / "x.parquet"
    result = invoke("explain", "Musk a raison contre OpenAI.", "-m", tiny_model, "-f", "parquet", "-o", out)
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.column_names == ["task", "label", "probability", "feature", "contribution"]
    assert table.num_rows > 0 and set(table.column("task").to_pylist()) <= {"stance", "frame"}


def test_evaluate_writes_parquet_from_the_suffix(label_dir, tmp_path):
    out = tmp_path / "x.parquet"
    result = invoke("evaluate", "--labels", label_dir, "--folds", "3", "-o", out)
    assert result.exit_code == 0, result.output
    rows = pq.read_table(out).to_pylist()
    macro = {r["task"]: r for r in rows if r["label"] == "macro"}
    assert set(macro) == {"stance", "frame"} and all(0 <= r["f1"] <= 1 for r in macro.values())
    assert isinstance(json.loads(next(r["predicted_as"] for r in rows if r["label"] != "macro")), dict)


def test_train_prints_its_figures_as_json_and_refuses_csv(label_dir, tmp_path):
    trained = invoke("train", "--labels", label_dir, "--out", tmp_path / "model", "--no-evaluate", "-f", "json")
    assert trained.exit_code == 0, trained.output
    assert json.loads(trained.stdout) == {}
    line = one_error(invoke("train", "--labels", label_dir, "--out", tmp_path / "other", "-f", "csv"))
    assert "'csv'" in line and "json, jsonl" in line
    assert not (tmp_path / "other").exists()  # refused before training


@pytest.mark.parametrize("args", [
    ("score", "{article}", "-m", "{model}", "-f", "html"),
    ("score", "{article}", "-m", "{model}", "-o", "{tmp}/out.md"),
    ("score", "{article}", "-m", "{model}", "-f", "parquet"),
    ("explain", "Musk a raison.", "-m", "{model}", "-f", "md"),
    ("explain", "Musk a raison.", "-m", "{model}", "-o", "{tmp}/out.html"),
    ("evaluate", "--labels", "{labels}", "-f", "doccano"),
    ("evaluate", "--labels", "{labels}", "-o", "{tmp}/out.html"),
    ("train", "--labels", "{labels}", "--out", "{tmp}/model", "-f", "table"),
    ("report", "{article}", "-m", "{model}", "-f", "json"),
    ("report", "{article}", "-m", "{model}", "-o", "{tmp}/out.parquet"),
    ("show", "{article}", "-m", "{model}", "-o", "{tmp}/out.csv"),
    ("label", "export", "{article}", "-m", "{model}", "-o", "{tmp}/out.csv", "-f", "parquet"),
    ("label", "suggest", "{article}", "-m", "{model}", "-o", "{tmp}/out.parquet"),
    ("label", "import", "{tmp}/labelled.csv", "--labels", "{labels}", "-f", "json"),
    ("label", "agreement", "{tmp}/a.csv", "{tmp}/b.csv", "-f", "html"),
])
def test_a_format_a_command_does_not_write_is_one_error_line(args, article, tiny_model, label_dir, tmp_path):
    filled = [a.format(article=article, model=tiny_model, labels=label_dir, tmp=tmp_path) for a in args]
    line = one_error(invoke(*filled))
    assert "--format" in line or "-o" in line
    assert not any(p.name.startswith("out") for p in tmp_path.iterdir())


def test_score_help_names_the_dask_extra():
    result = invoke("score", "--help")
    assert result.exit_code == 0
    assert "stance[dask]" in result.stdout.replace("\n", " ")
