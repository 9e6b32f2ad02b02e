"""Hostile inputs, generated: whatever bytes an article or a corpus holds, and whatever JSON an
annotation file holds, a command ends with a documented exit code, no traceback, and only
``Error:``, ``Warning:`` and summary lines on standard error."""

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from stance.cli import app

runner = CliRunner()
SUMMARIES = ("Error: ", "Warning: ", "Scored ", "Imported ")
FEW = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
KEYS = st.sampled_from(["data", "annotations", "result", "value", "choices", "from_name", "completed_by", "was_cancelled",
                        "article", "sentence", "start", "end", "text", "article_text", "label", "annotator", "meta",
                        "stance", "frame"]) | st.text(max_size=4)
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
           | st.sampled_from(["stance", "frame", "neutral", "none", "stance:neutral", "frame:none", "a", "Musk."]))
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
                    max_leaves=20)


def well_behaved(*args: object) -> None:
    """Run a command in process; it must end as the CLI documents it."""
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code in (0, 1, 3), (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    for line in result.stderr.splitlines():
        assert line.startswith(SUMMARIES), result.stderr


def written(directory: str, name: str, content: bytes) -> Path:
    path = Path(directory) / name
    path.write_bytes(content)
    return path


@FEW
@given(st.binary(max_size=300))
def test_any_bytes_as_an_article(tiny_model, content):
    with tempfile.TemporaryDirectory() as directory:
        well_behaved("score", written(directory, "a.txt", content), "-m", tiny_model, "-f", "json")


@FEW
@given(st.binary(max_size=300))
def test_any_bytes_as_a_jsonl_corpus_line(tiny_model, content):
    good = json.dumps({"id": "ok", "text": "Musk a proposé de racheter OpenAI."}).encode() + b"\n"
    with tempfile.TemporaryDirectory() as directory:
        well_behaved("score", written(directory, "c.jsonl", good + content), "-m", tiny_model, "-f", "csv")


@FEW
@given(st.binary(max_size=300), st.booleans())
def test_any_bytes_as_a_csv_corpus(tiny_model, content, header):
    with tempfile.TemporaryDirectory() as directory:
        corpus = written(directory, "c.csv", (b"id,text\n" if header else b"") + content)
        well_behaved("score", corpus, "-m", tiny_model, "-f", "jsonl", "--sentences")


@FEW
@given(JSON)
def test_any_json_as_a_label_studio_import(value):
    with tempfile.TemporaryDirectory() as directory:
        tasks = written(directory, "tasks.json", json.dumps(value).encode())
        well_behaved("label", "import", tasks, "--labels", Path(directory) / "labels", "--annotator", "x")
        well_behaved("label", "agreement", tasks, tasks)


@FEW
@given(st.lists(JSON, max_size=4))
def test_any_json_lines_as_a_doccano_import(values):
    with tempfile.TemporaryDirectory() as directory:
        lines = written(directory, "rows.jsonl", "".join(json.dumps(v) + "\n" for v in values).encode())
        well_behaved("label", "import", lines, "--labels", Path(directory) / "labels", "--annotator", "x")
