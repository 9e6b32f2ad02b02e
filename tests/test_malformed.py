"""Malformed inputs the commands must turn into one Error (or Warning) line: bytes that are not
UTF-8, annotation JSON of the wrong shape, empty sentences, empty or closed standard input."""

import json
import sys
import warnings

import pytest
from typer.testing import CliRunner

from stance import run
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


def snapshot(directory):
    return {path: path.read_bytes() for path in sorted(directory.rglob("*")) if path.is_file()}


def task(annotations) -> list:
    data = {"article": "a", "sentence": 0, "start": 0, "end": 5, "text": "Musk.", "article_text": "Musk."}
    return [{"data": data, "annotations": annotations}]


def result(value) -> list:
    return [{"result": [{"from_name": "stance", "to_name": "text", "type": "choices", "value": value}]}]


DEEP = "[" * 100_000 + "]" * 100_000
MALFORMED = [
    ("tasks.json", json.dumps({"data": {}}), "expected a list of Label Studio tasks"),
    ("tasks.json", json.dumps(task("accepted")), "row 1: its annotations are not a list"),
    ("tasks.json", json.dumps(task({"result": []})), "row 1: its annotations are not a list"),
    ("tasks.json", json.dumps(task([{"result": "stance"}])), "row 1: an annotation's result is not a list"),
    ("tasks.json", json.dumps(task(result(["neutral"]))), "row 1: the stance value is not an object"),
    ("tasks.json", json.dumps(task(result({"choices": "neutral"}))), "row 1: the stance choices are not a list of labels"),
    ("tasks.json", json.dumps(task(result({"choices": [7]}))), "row 1: the stance choices are not a list of labels"),
    ("tasks.json", "[" + "7" * 5000 + "]", "not valid JSON (a number of more than 4300 digits)"),
    ("tasks.json", DEEP, "not valid JSON (nested too deeply)"),
    ("tasks.json", '[{"data": \n{', "not valid JSON (Expecting property name enclosed in double quotes, line 2)"),
    ("tasks.json", '[{"data": {"text": "\\ud800"}}]', "not valid JSON (an escaped lone surrogate"),
    ("tasks.json", b'[{"data": {"text": "d\xe9bout\xe9"}}]', "not UTF-8 text"),
    ("rows.jsonl", json.dumps({"text": "Musk.", "label": "stance:neutral"}), "row 1: its label is not a list"),
    ("rows.jsonl", json.dumps({"text": "Musk.", "label": ["stance:neutral", "frame:none"], "article": "a",
                               "sentence": 0, "start": 0, "end": 5, "annotator": ["x"]}), "row 1: the annotator is not a string"),
    ("rows.jsonl", "7" * 5000, "line 1: not valid JSON (a number of more than 4300 digits)"),
    ("rows.jsonl", "\n" + DEEP, "line 2: not valid JSON (nested too deeply)"),
    ("rows.jsonl", "{", "line 1: not valid JSON (Expecting property name enclosed in double quotes)"),
    ("rows.jsonl", b'{"text": "\xff"}', "not UTF-8 text"),
]


@pytest.mark.parametrize("name, content, message", MALFORMED)
def test_a_malformed_annotation_file_is_named_and_nothing_is_written(tmp_path, label_dir, name, content, message):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    before = snapshot(label_dir)
    for outcome in (invoke("label", "import", path, "--labels", label_dir, "--annotator", "x"),
                    invoke("label", "agreement", path, path)):
        error = one_error(outcome)
        assert error.startswith(f"Error: {path}") and message in error, error
    assert snapshot(label_dir) == before


@pytest.mark.parametrize("sentence, stdin", [("", None), ("  \t\n", None), ("-", ""), ("-", " \n"), ("-", None)])
def test_no_sentence_to_explain_is_one_error(tiny_model, sentence, stdin):
    result = invoke("explain", sentence, "-m", tiny_model, input=stdin)
    assert one_error(result) == "Error: no sentence to explain"


@pytest.mark.parametrize("stdin", ["", "\n  \n", None])
def test_empty_standard_input_holds_no_document(tiny_model, stdin):
    result = invoke("score", "-", "-m", tiny_model, "-f", "json", input=stdin)
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    assert result.stderr == "Warning: no documents in the input; the output has no rows\n"


def test_closed_standard_input_holds_no_document_and_no_sentence(monkeypatch):
    from stance.cli.models import sentence_text
    from stance.documents import InputError, read_documents

    monkeypatch.setattr(sys, "stdin", None)  # what Python sets when file descriptor 0 is closed
    assert list(read_documents(["-"])) == []
    with pytest.raises(InputError, match="no sentence to explain"):
        sentence_text("-")


def noisy_rows(document, scored, **kwargs):
    """The rows of a document, with a Python warning raised on the way (in the worker that scores it)."""
    warnings.warn(f"noisy\n  rows for {document.id}", UserWarning, stacklevel=1)
    warnings.warn("the same every time", FutureWarning, stacklevel=1)
    return run.document_rows(document, scored, **kwargs)


def test_warnings_raised_in_workers_are_one_warning_line_each(tmp_path, tiny_model, monkeypatch):
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_text("Musk a proposé de racheter OpenAI.", encoding="utf-8")
    monkeypatch.setattr(run, "document_rows", noisy_rows)  # pickled by name: the workers import it from here
    result = invoke("score", tmp_path, "-m", tiny_model, "-j", "2", "-f", "json", "--quiet")
    assert result.exit_code == 0 and len(json.loads(result.stdout)) == 3
    assert sorted(result.stderr.splitlines()) == [
        "Warning: noisy rows for a (UserWarning)", "Warning: noisy rows for b (UserWarning)",
        "Warning: noisy rows for c (UserWarning)", "Warning: the same every time (FutureWarning)"]
