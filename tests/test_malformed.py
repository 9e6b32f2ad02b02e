"""Malformed inputs the commands must turn into one Error (or Warning) line: bytes that are not
UTF-8, annotation JSON of the wrong shape, empty sentences, empty or closed standard input."""

import pytest
from typer.testing import CliRunner

from stance.cli import app
from tests.conftest import one_error, write_label_dir

runner = CliRunner()
LATIN_1 = "Musk a été débouté.\n".encode("latin-1")


def invoke(*args, **kwargs):
    return runner.invoke(app, [str(a) for a in args], **kwargs)


@pytest.mark.parametrize("broken", ["gold/t1_pro_musk.csv", "articles.csv", "written/t2_pro_openai.txt"])
@pytest.mark.parametrize("command", [("train", "--no-evaluate", "--out", "model"), ("evaluate", "--folds", "2")])
def test_a_label_file_that_is_not_utf8_is_named(tmp_path, broken, command):
    labels = write_label_dir(tmp_path / "labels")
    (labels / broken).write_bytes((labels / broken).read_bytes() + LATIN_1)
    error = one_error(invoke(*command, "--labels", labels))
    assert error == f"Error: {labels / broken}: not UTF-8 text"
    assert not (tmp_path / "model").exists()


@pytest.fixture
def template(tmp_path):
    (tmp_path / "a.txt").write_text("Musk a raison. OpenAI a tort.", encoding="utf-8")
    assert invoke("label", "template", tmp_path / "a.txt", tmp_path / "a.csv", "--annotator", "x").exit_code == 0
    return tmp_path / "a.csv"


def test_a_decisions_file_that_is_not_utf8_is_named(tmp_path, template):
    before = template.read_bytes()
    (tmp_path / "decisions.txt").write_bytes(b"0 neutral none\n" + LATIN_1)
    error = one_error(invoke("label", "fill", template, tmp_path / "decisions.txt"))
    assert error == f"Error: {tmp_path / 'decisions.txt'}: not UTF-8 text"
    assert template.read_bytes() == before


def test_decisions_on_standard_input_that_are_not_utf8_are_refused(template):
    before = template.read_bytes()
    assert one_error(invoke("label", "fill", template, input=LATIN_1)) == "Error: standard input: not UTF-8 text"
    assert template.read_bytes() == before
