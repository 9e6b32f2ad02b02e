"""Hostile outputs: devices, FIFOs, links, full disks, shared and vanishing outputs, inputs as outputs."""

import errno
import json
import os
import stat

import pytest
from typer.testing import CliRunner

from stance import output, scoring
from stance.cli import app

runner = CliRunner()
FRENCH = "Elon Musk a proposé de racheter OpenAI. Le conseil a refusé l'offre de 97,4 milliards de dollars."


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def one_error(result) -> str:
    """The single ``Error:`` line of a failed command (and no traceback)."""
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 1, result.output
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


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

    monkeypatch.setattr(output, "render_rows", full)
    line = one_error(invoke("score", article, "-m", tiny_model, "-o", out))
    assert "No space left on device" in line and str(out) in line
    assert out.read_text(encoding="utf-8") == "earlier\n"
