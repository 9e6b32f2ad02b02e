"""Corpus-scale scoring: the same rows whatever runs them, streaming formats, and a light start-up."""

import json
import subprocess
import sys

import pyarrow.parquet as pq
from typer.testing import CliRunner

from stance.cli import app

runner = CliRunner()
TEXT = "Elon Musk a proposé 97,4 milliards. Le conseil d'OpenAI a refusé.\nLe procès est prévu en 2026."


def corpus(tmp_path, n=30):
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps({"id": f"d{i:03}", "text": TEXT * (1 + i % 3), "outlet": f"o{i % 2}"}) + "\n"
                            for i in range(n)), encoding="utf-8")
    return path


def score(*args):
    result = runner.invoke(app, ["score", *map(str, args)])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_jobs_give_the_same_rows_in_input_order(tmp_path, tiny_model):
    path = corpus(tmp_path)
    single = score(path, "-m", tiny_model, "-f", "jsonl", "--sentences")
    parallel = score(path, "-m", tiny_model, "-f", "jsonl", "--sentences", "--jobs", "2")
    assert single == parallel
    assert [json.loads(line)["article"] for line in single.splitlines()][:3] == ["d000", "d000", "d000"]


def test_a_local_dask_cluster_gives_the_single_process_rows(tmp_path, tiny_model):
    from dask.distributed import LocalCluster

    path = corpus(tmp_path, n=12)
    single = score(path, "-m", tiny_model, "-f", "jsonl")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        distributed = score(path, "-m", tiny_model, "-f", "jsonl", "--scheduler", cluster.scheduler_address)
    assert distributed == single and len(single.splitlines()) == 12


def test_parquet_output_streams_every_row_with_metadata(tmp_path, tiny_model, monkeypatch):
    from stance import scoring

    monkeypatch.setattr(scoring, "BATCH_DOCUMENTS", 7)
    out = tmp_path / "profiles.parquet"
    score(corpus(tmp_path), "-m", tiny_model, "-o", out)
    table = pq.read_table(out)
    assert table.num_rows == 30 and pq.ParquetFile(out).num_row_groups == 5
    assert table.column("outlet").to_pylist()[:2] == ["o0", "o1"]


def test_corpus_files_of_every_kind_give_the_same_profiles(tmp_path, tiny_model):
    import pandas as pd

    frame = pd.read_json(corpus(tmp_path, n=5), lines=True)
    frame.to_csv(tmp_path / "c.csv", index=False)
    frame.to_parquet(tmp_path / "c.parquet")
    outputs = [score(tmp_path / name, "-m", tiny_model, "-f", "jsonl") for name in ("corpus.jsonl", "c.csv", "c.parquet")]
    assert outputs[0] == outputs[1] == outputs[2]


def test_no_progress_bar_when_standard_error_is_not_a_terminal(tmp_path, tiny_model):
    result = runner.invoke(app, ["score", str(corpus(tmp_path)), "-m", str(tiny_model), "-f", "jsonl"])
    assert "articles/s" not in result.stderr and "it/s" not in result.stderr
    assert result.stderr.strip() == "Scored 30 documents (0 with warnings), 0 failed."
    quiet = runner.invoke(app, ["score", str(corpus(tmp_path)), "-m", str(tiny_model), "-f", "jsonl", "--quiet"])
    assert quiet.stderr == ""


def test_help_loads_neither_spacy_nor_the_model():
    code = ("import sys; from typer.testing import CliRunner; from stance.cli import app; "
            "r = CliRunner().invoke(app, ['--help']); assert r.exit_code == 0; "
            "print(sorted(m for m in ('spacy', 'sklearn', 'pandas') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
