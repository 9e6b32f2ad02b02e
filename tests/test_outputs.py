"""Hostile outputs: devices, FIFOs, links, full disks, shared and vanishing outputs, inputs as outputs."""

import errno
import json
import os
import stat

import pytest
from typer.testing import CliRunner

from stance import scoring, stream
from stance.cli import app
from tests.conftest import one_error

runner = CliRunner()
FRENCH = "Elon Musk a proposé de racheter OpenAI. Le conseil a refusé l'offre de 97,4 milliards de dollars."


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(FRENCH, encoding="utf-8")
    return path


@pytest.fixture
def no_scoring(monkeypatch):
    """Fail the test if anything is scored."""
    def refused(*args):
        raise AssertionError("scored before the output was checked")

    monkeypatch.setattr(scoring, "score_batch", refused)


def test_a_symbolic_link_is_refused_and_its_target_untouched(tmp_path, article, tiny_model, no_scoring):
    target = tmp_path / "precious.txt"
    target.write_text("keep me", encoding="utf-8")
    (tmp_path / "link.jsonl").symlink_to(target)
    assert "symbolic link" in one_error(invoke("score", article, "-m", tiny_model, "-o", tmp_path / "link.jsonl"))
    assert (tmp_path / "link.jsonl").is_symlink() and target.read_text(encoding="utf-8") == "keep me"


def test_a_link_to_nothing_is_refused_too(tmp_path, article, tiny_model, no_scoring):
    (tmp_path / "dangling.jsonl").symlink_to(tmp_path / "nowhere")
    assert "symbolic link" in one_error(invoke("score", article, "-m", tiny_model, "-o", tmp_path / "dangling.jsonl"))
    assert not (tmp_path / "nowhere").exists()


def test_a_fifo_is_refused_and_stays_a_fifo(tmp_path, article, tiny_model, no_scoring):
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    assert "not a regular file" in one_error(invoke("score", article, "-m", tiny_model, "-o", fifo))
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_node_is_refused_and_stays_a_device(tmp_path, article, tiny_model, no_scoring):
    null = tmp_path / "mynull"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    assert "not a regular file" in one_error(invoke("score", article, "-m", tiny_model, "-o", null, "-f", "jsonl"))
    assert stat.S_ISCHR(os.lstat(null).st_mode)


def test_whole_table_outputs_refuse_them_too(tmp_path, tiny_model):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    assert "not a regular file" in one_error(invoke("explain", "Musk a raison.", "-m", tiny_model, "-o", fifo))


def test_dash_is_standard_output(article, tiny_model, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("score", article, "-m", tiny_model, "-o", "-", "-f", "jsonl")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["article"] == "a" and not (tmp_path / "-").exists()


def test_a_full_disk_is_an_error_and_the_output_keeps_its_old_content(tmp_path, article, tiny_model, monkeypatch):
    out = tmp_path / "out.jsonl"
    out.write_text("earlier\n", encoding="utf-8")

    def full(*args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(stream, "render_rows", full)
    line = one_error(invoke("score", article, "-m", tiny_model, "-o", out))
    assert "No space left on device" in line and str(out) in line
    assert out.read_text(encoding="utf-8") == "earlier\n"


def test_a_whole_table_output_its_folder_refuses_is_one_line_naming_it(tmp_path, tiny_model, monkeypatch):
    out = tmp_path / "terms.json"

    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr("tempfile.mkstemp", refused)
    line = one_error(invoke("explain", "Musk a raison.", "-m", tiny_model, "-o", out))
    assert line.startswith(f"Error: {out}: cannot write in {tmp_path}") and "Permission denied" in line
    assert ".tmp" not in line and not out.exists()


def test_a_whole_table_output_that_cannot_be_renamed_into_place_keeps_its_old_content(tmp_path, tiny_model, monkeypatch):
    out = tmp_path / "terms.json"
    out.write_text("earlier\n", encoding="utf-8")

    def full(*args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("os.replace", full)
    line = one_error(invoke("explain", "Musk a raison.", "-m", tiny_model, "-o", out))
    assert line.startswith(f"Error: {out}: cannot write it (No space left on device)")
    assert out.read_text(encoding="utf-8") == "earlier\n" and os.listdir(tmp_path) == ["terms.json"]


def test_a_streamed_output_whose_partial_file_cannot_be_made_is_one_line_naming_the_output(
        tmp_path, article, tiny_model, monkeypatch, no_scoring):
    out, real_open = tmp_path / "out.jsonl", os.open

    def refused(path, *args, **kwargs):
        if str(path).endswith(".partial"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("os.open", refused)
    line = one_error(invoke("score", article, "-m", tiny_model, "-o", out))
    assert line.startswith(f"Error: {out}: cannot write its partial file .stance-") and "Permission denied" in line


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "in"
    path.mkdir()
    for i in range(4):
        (path / f"a{i}.txt").write_text(FRENCH, encoding="utf-8")
    return path


def during_scoring(monkeypatch, action):
    """Run ``action`` once, after the first batch of documents is scored."""
    real, calls = scoring.score_batch, []

    def scored(batch, model):
        result = real(batch, model)
        calls.append(1)
        if len(calls) == 1:
            action()
        return result

    monkeypatch.setattr(scoring, "BATCH_DOCUMENTS", 2)
    monkeypatch.setattr(scoring, "score_batch", scored)


def test_a_second_run_into_the_same_output_is_refused_and_the_first_completes(folder, tiny_model, tmp_path, monkeypatch):
    out, second = tmp_path / "out.parquet", []
    during_scoring(monkeypatch, lambda: second.append(invoke("score", folder, "-m", tiny_model, "-o", out)))
    first = invoke("score", folder, "-m", tiny_model, "-o", out)
    assert first.exit_code == 0, first.output
    assert "another run is writing" in one_error(second[0])
    import pyarrow.parquet as pq

    assert pq.read_table(out).column("article").to_pylist() == ["a0", "a1", "a2", "a3"]


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_a_partial_file_that_disappears_fails_the_run_loudly(folder, tiny_model, tmp_path, monkeypatch, fmt):
    from stance.destination import partial_path

    out = tmp_path / f"out.{fmt}"
    during_scoring(monkeypatch, lambda: partial_path(out).unlink())
    line = one_error(invoke("score", folder, "-m", tiny_model, "-o", out))
    assert "removed or replaced" in line and not out.exists()


@pytest.mark.parametrize("name", ["in/a1.txt", "corpus.jsonl", "hard-link.jsonl"])
def test_an_input_is_never_the_output(folder, tiny_model, tmp_path, no_scoring, name):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "x", "text": FRENCH}) + "\n", encoding="utf-8")
    os.link(corpus, tmp_path / "hard-link.jsonl")
    before = {path: path.read_bytes() for path in (corpus, folder / "a1.txt")}
    assert "also an input" in one_error(invoke("score", folder, corpus, "-m", tiny_model, "-o", tmp_path / name, "-f", "jsonl"))
    assert {path: path.read_bytes() for path in before} == before


@pytest.mark.parametrize("make, message", [
    (lambda p: (p / "folder.jsonl").mkdir() or p / "folder.jsonl", "a folder"),
    (lambda p: p / "missing" / "out.jsonl", "does not exist"),
])
def test_an_output_in_no_folder_or_onto_a_folder_is_refused_before_scoring(
        tmp_path, article, tiny_model, no_scoring, make, message):
    assert message in one_error(invoke("score", article, "-m", tiny_model, "-o", make(tmp_path)))


def test_an_input_error_leaves_no_partial_file(tmp_path, tiny_model):
    out = tmp_path / "out" / "profiles.csv"
    out.parent.mkdir()
    assert "no such file" in one_error(invoke("score", tmp_path / "missing.txt", "-m", tiny_model, "-o", out))
    assert list(out.parent.iterdir()) == []


def test_a_long_legal_file_name_works(tmp_path, article, tiny_model):
    out = tmp_path / ("p" * 246 + ".csv")
    result = invoke("score", article, "-m", tiny_model, "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("article,")
    assert invoke("explain", "Musk a raison.", "-m", tiny_model, "-o", tmp_path / ("e" * 245 + ".json")).exit_code == 0
    assert sorted(p.name[:1] for p in tmp_path.iterdir()) == ["a", "e", "p"]  # no partial or temporary file left
