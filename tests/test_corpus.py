"""Hostile corpus files and folders: each problem one line naming the file or row, the rest scored."""

import csv
import json
import os

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from stance import documents, scoring
from stance.cli import app

runner = CliRunner()
FRENCH = "Elon Musk a proposé de racheter OpenAI. Le conseil a refusé l'offre de 97,4 milliards de dollars."


def score(*args):
    result = runner.invoke(app, ["score", *map(str, args)])
    assert "Traceback" not in result.output, result.output
    return result


def warnings(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("Warning: ")]


def jsonl(result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def test_a_csv_with_a_utf8_byte_order_mark_is_read(tmp_path, tiny_model):
    corpus = tmp_path / "excel.csv"
    corpus.write_bytes(f'\ufeffid,text\nd1,"{FRENCH}"\n'.encode("utf-8"))
    result = score(corpus, "-m", tiny_model, "-f", "jsonl")
    assert result.exit_code == 0, result.output
    assert jsonl(result)[0]["article"] == "d1"


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_invalid_utf8_in_a_row_is_a_warning_naming_the_row(tmp_path, tiny_model, suffix):
    bad = FRENCH.encode("utf-8").replace(b"conseil", b"cons\xffil")
    if suffix == ".jsonl":
        lines = [json.dumps({"id": "good", "text": FRENCH}).encode(), b'{"id": "bad", "text": "' + bad + b'"}']
    else:
        lines = [b"id,text", b'good,"' + FRENCH.encode() + b'"', b'bad,"' + bad + b'"']
    corpus = tmp_path / f"corpus{suffix}"
    corpus.write_bytes(b"\n".join(lines) + b"\n")
    result = score(corpus, "-m", tiny_model, "-f", "jsonl", "--sentences")
    assert result.exit_code == 0, result.output
    [line] = warnings(result)
    row = 2 if suffix == ".jsonl" else 3  # a CSV's header is its row 1
    assert f"corpus{suffix}:{row}: row {row}: invalid UTF-8" in line
    texts = {row["article"]: row["text"] for row in jsonl(result) if "conseil" in row["text"] or "\ufffd" in row["text"]}
    assert "cons\ufffdil" in texts["bad"] and "\ufffd" not in texts["good"]


def test_a_lone_surrogate_escape_in_json_cannot_break_the_output(tmp_path, tiny_model):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"id": "s", "text": "Musk a raison \\ud800 ici.", "note": "\\udfff"}\n', encoding="utf-8")
    result = score(corpus, "-m", tiny_model, "-f", "jsonl")
    assert result.exit_code == 0 and jsonl(result)[0]["note"] == "\ufffd"
    assert "invalid UTF-8" in warnings(result)[0]


def test_an_unreadable_file_and_a_corrupt_parquet_are_named_and_the_rest_scored(tmp_path, tiny_model, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(FRENCH, encoding="utf-8")
    (folder / "locked.txt").write_text(FRENCH, encoding="utf-8")
    (folder / "broken.parquet").write_bytes(b"PAR1 this is not a parquet file PAR1")
    (folder / "z.txt").write_text(FRENCH, encoding="utf-8")
    real = documents.file_bytes

    def unreadable(path):
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(documents, "file_bytes", unreadable)
    out = tmp_path / "out.jsonl"
    result = score(folder, "-m", tiny_model, "-o", out)
    assert result.exit_code == 3
    named = warnings(result)
    assert len(named) == 2 and "broken.parquet" in named[0] and "locked.txt" in named[1] and "Permission denied" in named[1]
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["article"], r["error"] is None) for r in rows] == [
        ("a", True), ("broken.parquet", False), ("locked", False), ("z", True)]


def test_a_csv_field_over_the_limit_is_one_warning(tmp_path, tiny_model, monkeypatch):
    limit = csv.field_size_limit()
    monkeypatch.setattr(documents, "MAX_DOCUMENT_BYTES", 2**20)
    corpus = tmp_path / "corpus.csv"
    with open(corpus, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["id", "text"], ["ok", FRENCH], ["huge", "Musk. " * 200_000], ["after", FRENCH]])
    result = score(corpus, "-m", tiny_model, "-f", "jsonl")
    csv.field_size_limit(limit)
    assert result.exit_code == 3
    [line] = warnings(result)
    assert "corpus.csv:3" in line and "a field larger than the 1 MB limit; the rest of the file was not read" in line
    assert jsonl(result)[0]["article"] == "ok" and jsonl(result)[0]["error"] is None


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl"])
def test_a_column_that_first_appears_late_is_kept(tmp_path, tiny_model, monkeypatch, fmt):
    monkeypatch.setattr(scoring, "BATCH_DOCUMENTS", 2)
    rows = [{"id": f"d{i}", "text": FRENCH} for i in range(5)]
    rows[4]["late"] = "here"
    out = tmp_path / f"out.{fmt}"
    assert score(write_jsonl(tmp_path / "corpus.jsonl", rows), "-m", tiny_model, "-o", out).exit_code == 0
    table = read_output(out, fmt)
    assert table["late"] == [None, None, None, None, "here"]


def read_output(path, fmt) -> dict[str, list]:
    """An output file as columns of values (empty CSV cells as None)."""
    if fmt == "parquet":
        return pq.read_table(path).to_pydict()
    if fmt == "csv":
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    else:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return {column: [row[column] if row[column] != "" else None for row in rows] for column in rows[0]}


def test_metadata_whose_type_changes_between_batches_is_kept_as_text(tmp_path, tiny_model, monkeypatch):
    monkeypatch.setattr(scoring, "BATCH_DOCUMENTS", 2)
    values = [1, 2, "trois", ["a", "b"], {"k": True}, None, 2.5]
    rows = [{"id": f"d{i}", "text": FRENCH, "n": value} for i, value in enumerate(values)]
    out = tmp_path / "out.parquet"
    assert score(write_jsonl(tmp_path / "corpus.jsonl", rows), "-m", tiny_model, "-o", out).exit_code == 0
    table = pq.read_table(out)
    assert table.schema.field("n").type == pa.string() and table.schema.field("net_lean").type == pa.float64()
    assert table.column("n").to_pylist() == ["1", "2", "trois", '["a", "b"]', '{"k": true}', None, "2.5"]


@pytest.mark.parametrize("value", [["a"], {"k": 1}, True, 1e400, 10**30, 2.5])
def test_an_id_that_is_not_a_string_or_an_integer_is_a_row_error(tmp_path, tiny_model, value):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "ok", "text": FRENCH}) + "\n" + json.dumps({"id": value, "text": FRENCH}) + "\n",
                      encoding="utf-8")
    result = score(corpus, "-m", tiny_model, "-f", "jsonl")
    assert result.exit_code == 3
    bad = jsonl(result)[1]
    assert bad["article"] == "corpus.jsonl:2" and bad["error"] == "row 2: id must be a string or integer"


def test_an_integer_id_and_a_json_number_too_long_to_read(tmp_path, tiny_model):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": 42, "text": FRENCH}) + "\n" + '{"id": ' + "9" * 5000 + ', "text": "x"}\n',
                      encoding="utf-8")
    result = score(corpus, "-m", tiny_model, "-f", "jsonl")
    rows = jsonl(result)
    assert result.exit_code == 3 and rows[0]["article"] == "42" and "not valid JSON" in rows[1]["error"]


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl", "json"])
def test_an_empty_corpus_is_a_warning_and_an_output_with_no_rows(tmp_path, tiny_model, fmt):
    corpus = tmp_path / "empty.csv"
    corpus.write_text("id,text,outlet\n", encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    result = score(corpus, "-m", tiny_model, "-o", out)
    assert result.exit_code == 0 and warnings(result) == ["Warning: no documents in the input; the output has no rows"]
    if fmt == "csv":
        header = out.read_text(encoding="utf-8").splitlines()
        assert len(header) == 1 and header[0].startswith("article,sentences,") and ",outlet,warning,error" in header[0]
    elif fmt == "parquet":
        table = pq.read_table(out)
        assert table.num_rows == 0 and "outlet" in table.column_names and "net_lean" in table.column_names
    else:
        assert out.read_text(encoding="utf-8") == ("" if fmt == "jsonl" else "[\n]\n")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_text_with_a_byte_order_mark_is_decoded(tmp_path, tiny_model, encoding):
    data = ("\ufeff" + FRENCH).encode(encoding) if encoding.endswith("be") else FRENCH.encode(encoding)
    (tmp_path / "u16.txt").write_bytes(data)
    result = score(tmp_path / "u16.txt", "-m", tiny_model, "--sentences", "-f", "jsonl")
    assert result.exit_code == 0, result.output
    assert jsonl(result)[0]["text"].startswith("Elon Musk")


def test_fifos_and_link_loops_in_a_folder_are_skipped_with_a_warning(tmp_path, tiny_model):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(FRENCH, encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "gone.md").symlink_to(folder / "nowhere.md")
    result = score(folder, "-m", tiny_model, "-f", "jsonl")
    assert result.exit_code == 0 and [r["article"] for r in jsonl(result)] == ["a"]
    named = warnings(result)
    assert len(named) == 3
    assert "gone.md: a broken symbolic link" in named[0] and "loop.txt: a symbolic link loop" in named[1]
    assert "pipe.txt: not a regular file" in named[2]


def test_a_fifo_named_as_an_input_is_one_error(tmp_path, tiny_model):
    os.mkfifo(tmp_path / "pipe.txt")
    result = score(tmp_path / "pipe.txt", "-m", tiny_model)
    assert result.exit_code == 1 and result.stderr.strip().startswith("Error: ") and "not a regular file" in result.stderr
