"""Resume against hostile partial files: line separators in fields, cuts anywhere, another mode or model."""

import json
import shutil

import pytest
from typer.testing import CliRunner

from stance.cli import app
from stance.destination import partial_path
from tests.conftest import interrupted_score, one_error

runner = CliRunner()
TEXTS = [
    "Musk a raison.\nOpenAI a trahi sa mission et sert Microsoft.",
    "Ligne\u2028séparée par U+2028. Paragraphe\u2029séparé par U+2029.",
    "Suivant\x85la ligne. Retour\rchariot seul, très rare.",
    "Élysée : déjà vu, élégant, « très » français — ça coûte 97,4 milliards €.",
]


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps({"id": f"d{i}", "text": TEXTS[i % len(TEXTS)], "note": TEXTS[(i + 1) % len(TEXTS)]})
                            + "\n" for i in range(9)), encoding="utf-8")
    return path


def invoke(*args):
    return runner.invoke(app, ["score", *map(str, args)])


def reference(tmp_path, corpus, model, fmt, *options) -> bytes:
    out = tmp_path / f"reference.{fmt}"
    assert invoke(corpus, "-m", model, "-o", out, *options).exit_code == 0
    return out.read_bytes()


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
@pytest.mark.parametrize("options", [(), ("--sentences",)])
def test_resume_after_an_interruption_gives_the_uninterrupted_output(tmp_path, corpus, tiny_model, monkeypatch, fmt, options):
    expected = reference(tmp_path, corpus, tiny_model, fmt, *options)
    out = tmp_path / f"out.{fmt}"
    interrupted_score(monkeypatch, corpus, "-m", tiny_model, "-o", out, *options)
    assert not out.exists() and partial_path(out).stat().st_size > 0
    result = invoke(corpus, "-m", tiny_model, "-o", out, "--resume", *options)
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == expected
    assert not partial_path(out).exists()


def cuts(data: bytes) -> list[int]:
    """Places to cut a file: inside multi-byte characters, after newlines (inside fields too), and spread out."""
    inside = [i + 1 for i, byte in enumerate(data) if byte >= 0xC0][:6]
    newlines = [i + 1 for i, byte in enumerate(data) if byte == ord("\n")][:8]
    return sorted(set(inside + newlines + list(range(0, len(data), max(1, len(data) // 12)))))


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_resume_from_a_partial_file_cut_anywhere(tmp_path, corpus, tiny_model, fmt):
    expected = reference(tmp_path, corpus, tiny_model, fmt, "--sentences")
    out = tmp_path / f"out.{fmt}"
    for cut in cuts(expected):
        partial_path(out).write_bytes(expected[:cut])
        out.unlink(missing_ok=True)
        result = invoke(corpus, "-m", tiny_model, "-o", out, "--resume", "--sentences")
        assert result.exit_code == 0 and "Traceback" not in result.output, (cut, result.output)
        assert out.read_bytes() == expected, cut


def test_resume_in_another_mode_is_refused(tmp_path, corpus, tiny_model, monkeypatch):
    out = tmp_path / "out.csv"
    interrupted_score(monkeypatch, corpus, "-m", tiny_model, "-o", out, "--sentences")
    before = partial_path(out).read_bytes()
    assert "sentences" in one_error(invoke(corpus, "-m", tiny_model, "-o", out, "--resume"))
    assert partial_path(out).read_bytes() == before


def test_resume_of_a_finished_output_in_another_mode_is_refused(tmp_path, corpus, tiny_model):
    out = tmp_path / "out.jsonl"
    assert invoke(corpus, "-m", tiny_model, "-o", out).exit_code == 0
    before = out.read_bytes()
    assert "other columns" in one_error(invoke(corpus, "-m", tiny_model, "-o", out, "--resume", "--sentences"))
    assert out.read_bytes() == before and not partial_path(out).exists()


def test_resume_with_another_model_is_refused(tmp_path, corpus, tiny_model, monkeypatch):
    other = tmp_path / "other-model"
    shutil.copytree(tiny_model, other)
    config = json.loads((other / "config.json").read_text(encoding="utf-8"))
    (other / "config.json").write_text(json.dumps({**config, "name": "another"}), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    interrupted_score(monkeypatch, corpus, "-m", tiny_model, "-o", out)
    assert "model" in one_error(invoke(corpus, "-m", other, "-o", out, "--resume"))
