"""Bad input through the CLI: one clear line each, and nothing that was good is lost."""

import csv
import json

import pytest
from typer.testing import CliRunner

from stance import documents, stream
from stance.cli import app
from tests.conftest import TINY_ARTICLES, interrupted_score, write_label_dir

runner = CliRunner()
FRENCH = "Elon Musk a proposé de racheter OpenAI. Le conseil a refusé l'offre de 97,4 milliards de dollars."


def score(*args, **kwargs):
    return runner.invoke(app, ["score", *map(str, args)], **kwargs)


def jsonl(result):
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_one_bad_document_never_stops_the_others(tmp_path, tiny_model):
    (tmp_path / "a.txt").write_text(FRENCH, encoding="utf-8")
    (tmp_path / "b.txt").write_text("   ", encoding="utf-8")
    (tmp_path / "c.txt").write_text(FRENCH, encoding="utf-8")
    result = score(tmp_path, "-m", tiny_model, "-f", "jsonl")
    rows = jsonl(result)
    assert result.exit_code == 3
    assert [r["article"] for r in rows] == ["a", "b", "c"]
    assert rows[1]["error"] and rows[0]["error"] is None and rows[0]["sentences"] == 2
    assert "Scored 2 documents (0 with warnings), 1 failed." in result.stderr


def test_windows_1252_text_is_decoded_with_a_warning(tmp_path, tiny_model):
    (tmp_path / "latin.txt").write_bytes(("Élysée : " + FRENCH + " Déjà vu, élégant, très français.").encode("cp1252"))
    result = score(tmp_path / "latin.txt", "-m", tiny_model, "--sentences", "-f", "jsonl")
    assert result.exit_code == 0, result.output
    assert "Warning: " in result.stderr and "decoded as" in result.stderr
    assert jsonl(result)[0]["text"].startswith("Élysée")


def test_text_of_no_known_encoding_is_refused_naming_the_file(tmp_path, tiny_model):
    (tmp_path / "noise.txt").write_bytes(bytes(range(128, 256)) * 4)
    result = score(tmp_path / "noise.txt", "-m", tiny_model)
    assert result.exit_code == 1
    assert "noise.txt" in result.stderr and ("encoding" in result.stderr or "binary" in result.stderr)


def test_html_pages_are_scored_on_their_article_text(tmp_path, tiny_model):
    page = (f"<!DOCTYPE html><html><head><title>T</title><script>var x = 1;</script></head><body>"
            f"<nav>Accueil | Tech | Monde</nav><article><h1>Musk contre OpenAI</h1><p>{FRENCH}</p>"
            f"<p>Sam Altman a répondu avec ironie en proposant de racheter Twitter pour 9,74 milliards.</p></article>"
            f"<footer>Mentions légales</footer></body></html>")
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    result = score(tmp_path / "page.html", "-m", tiny_model, "--sentences", "-f", "jsonl")
    texts = [r["text"] for r in jsonl(result)]
    assert result.exit_code == 0 and "HTML" in result.stderr
    assert any("Altman" in t for t in texts)
    assert not any("var x" in t or "Accueil" in t or "<" in t for t in texts)


def test_a_file_over_the_size_limit_is_refused_with_the_limit_named(tmp_path, tiny_model, monkeypatch):
    monkeypatch.setattr(documents, "MAX_DOCUMENT_BYTES", 2 * 2**20)
    (tmp_path / "big.txt").write_text("Musk propose. " * 200_000, encoding="utf-8")
    result = score(tmp_path / "big.txt", "-m", tiny_model)
    assert result.exit_code == 1 and "2 MB limit" in result.stderr


def test_a_very_long_single_line_is_scored_with_exact_offsets(tmp_path, tiny_model):
    text = "Musk propose 97 milliards pour OpenAI. " * 8000
    (tmp_path / "line.txt").write_text(text, encoding="utf-8")
    result = score(tmp_path / "line.txt", "-m", tiny_model, "--sentences", "-f", "jsonl")
    rows = jsonl(result)
    assert result.exit_code == 0 and len(rows) == 8000
    assert all(text[r["start"]:r["end"]] == r["text"] for r in rows)


def test_text_that_is_not_french_is_scored_with_a_warning(tmp_path, tiny_model):
    english = ("Elon Musk offered to buy OpenAI for ninety-seven billion dollars, "
               "and the board said that the company was not for sale. ") * 3
    (tmp_path / "en.txt").write_text(english, encoding="utf-8")
    result = score(tmp_path / "en.txt", "-m", tiny_model, "-f", "jsonl")
    assert result.exit_code == 0
    assert "does not look like French" in result.stderr
    assert "does not look like French" in jsonl(result)[0]["warning"]
    assert "Scored 1 document (1 with warnings), 0 failed." in result.stderr


def test_a_short_text_in_another_script_is_scored_with_a_warning(tmp_path, tiny_model):
    (tmp_path / "bom.txt").write_bytes(b"\xff\xfe\x00bad")  # a UTF-16 mark: the bytes read as two CJK signs
    (tmp_path / "ru.txt").write_text("Илон Маск хочет купить OpenAI.", encoding="utf-8")
    (tmp_path / "fr.txt").write_text("Σ : Musk a raison.", encoding="utf-8")  # short, French letters: passes
    result = score(tmp_path, "-m", tiny_model, "-f", "jsonl")
    assert result.exit_code == 0
    warned = {row["article"]: row["warning"] or "" for row in jsonl(result)}
    assert "does not look like French" in warned["bom"] and "does not look like French" in warned["ru"]
    assert "French" not in warned["fr"]


def test_corpus_rows_that_are_broken_are_named_by_row(tmp_path, tiny_model):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join([
        json.dumps({"id": "ok", "text": FRENCH, "outlet": "X"}),
        "{not json",
        json.dumps({"text": FRENCH}),
        json.dumps({"id": "ok", "text": FRENCH}),
        json.dumps({"id": "notext"}),
    ]) + "\n", encoding="utf-8")
    result = score(corpus, "-m", tiny_model, "-f", "jsonl")
    rows = jsonl(result)
    assert result.exit_code == 3
    assert len(rows) == 5 and rows[0]["outlet"] == "X" and rows[0]["error"] is None
    errors = [r["error"] for r in rows[1:]]
    assert "row 2: not valid JSON" in errors[0] and "row 3: no id" in errors[1]
    assert "duplicate id 'ok'" in errors[2] and "row 5: no text" in errors[3]


def test_a_corpus_without_its_text_column_stops_the_command(tmp_path, tiny_model):
    corpus = tmp_path / "corpus.csv"
    corpus.write_text("id,body\n1,Bonjour\n", encoding="utf-8")
    result = score(corpus, "-m", tiny_model)
    assert result.exit_code == 1 and result.stderr.strip() == f"Error: {corpus}: no 'text' column"


def test_a_csv_row_with_the_wrong_number_of_fields_is_named(tmp_path, tiny_model):
    corpus = tmp_path / "corpus.csv"
    with open(corpus, "w", newline="", encoding="utf-8") as handle:
        handle.write(f'id,text\na,"{FRENCH}"\nb,"{FRENCH}",extra\n')
    rows = jsonl(score(corpus, "-m", tiny_model, "-f", "jsonl"))
    assert rows[0]["error"] is None and "row 3" in rows[1]["error"]


@pytest.mark.parametrize("change, message", [
    (lambda rows: rows[1].update(stance="pro_macron"), "unknown stance"),
    (lambda rows: rows[1].update(end=int(rows[1]["end"]) - 1), "do not match"),
    (lambda rows: rows.append(dict(rows[1])), "duplicate sentence"),
    (lambda rows: [row.pop("frame") for row in rows], "missing columns frame"),
])
def test_bad_label_files_are_refused_by_train(tmp_path, change, message):
    labels = write_label_dir(tmp_path / "labels")
    path = labels / "gold" / f"{next(iter(TINY_ARTICLES))}.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    change(rows)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = runner.invoke(app, ["train", "--labels", str(labels), "--out", str(tmp_path / "m"), "--no-evaluate"])
    assert result.exit_code == 1 and result.stderr.startswith("Error: ") and message in result.stderr
    assert "Traceback" not in result.output


def test_an_interrupted_run_leaves_no_truncated_output_and_resume_finishes_it(tmp_path, tiny_model, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(5):
        (folder / f"a{i}.txt").write_text(FRENCH, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    interrupted_score(monkeypatch, folder, "-m", tiny_model, "-o", out)
    assert not out.exists()
    partial = output_partial(out)
    assert [json.loads(line)["article"] for line in partial.read_text().splitlines()] == ["a0", "a1", "a2", "a3"]
    result = runner.invoke(app, ["score", str(folder), "-m", str(tiny_model), "-o", str(out), "--resume"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["article"] for line in out.read_text().splitlines()] == [f"a{i}" for i in range(5)]
    assert not partial.exists()


def output_partial(path):
    from stance.destination import partial_path

    return partial_path(path)


def test_resume_needs_a_resumable_output(tmp_path, tiny_model):
    (tmp_path / "a.txt").write_text(FRENCH, encoding="utf-8")
    result = score(tmp_path / "a.txt", "-m", tiny_model, "--resume")
    assert result.exit_code == 1 and "--resume needs an output file" in result.stderr
    assert stream.RESUMABLE == ("jsonl", "csv")


def test_corpus_columns_never_replace_computed_ones(tmp_path, tiny_model):
    from stance.schema import STANCES

    corpus = tmp_path / "corpus.csv"
    with open(corpus, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "stance", "frame", "article", "net_lean", "p_stance_neutral", "error", "outlet"])
        writer.writerow(["d1", FRENCH, "INPUT", "INPUT", "INPUT", "INPUT", "INPUT", "INPUT", "X"])
    profile = score(corpus, "-m", tiny_model, "-f", "jsonl")
    assert profile.exit_code == 0, profile.output
    row = jsonl(profile)[0]
    assert row["article"] == "d1" and isinstance(row["net_lean"], float) and row["error"] is None
    assert row["meta_net_lean"] == row["meta_article"] == row["meta_error"] == "INPUT" and row["outlet"] == "X"
    warnings = [line for line in profile.stderr.splitlines() if line.startswith("Warning: ")]
    assert len(warnings) == 1 and "'meta_stance'" in warnings[0] and "'outlet'" not in warnings[0]
    sentences = jsonl(score(corpus, "-m", tiny_model, "-f", "jsonl", "--sentences"))
    assert {r["stance"] for r in sentences} <= set(STANCES) and {r["meta_stance"] for r in sentences} == {"INPUT"}
    assert all(isinstance(r["p_stance_neutral"], float) for r in sentences)


def test_a_renamed_column_never_meets_an_input_column_of_that_name(tmp_path, tiny_model):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "d1", "text": FRENCH, "stance": "a", "meta_stance": "b"}) + "\n", encoding="utf-8")
    row = jsonl(score(corpus, "-m", tiny_model, "-f", "jsonl", "--sentences"))[0]
    assert row["meta_stance"] == "a" and row["meta_meta_stance"] == "b" and row["stance"] != "a"


def test_quiet_hides_the_summary_but_not_the_failed_documents(tmp_path, tiny_model):
    (tmp_path / "a.txt").write_text(FRENCH, encoding="utf-8")
    (tmp_path / "b.txt").write_text("   ", encoding="utf-8")
    result = score(tmp_path, "-m", tiny_model, "-f", "jsonl", "-q")
    assert result.exit_code == 3
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("Warning: ") and "b.txt" in line and "empty" in line


def test_library_warnings_are_one_warning_line_each(tmp_path, tiny_model, monkeypatch):
    import numpy as np

    from stance import run

    real = run.document_rows

    def warning_rows(document, scored, sentences, model_dir):
        np.mean(np.array([]))  # numpy: "Mean of empty slice", "invalid value encountered…"
        return real(document, scored, sentences, model_dir)

    monkeypatch.setattr(run, "document_rows", warning_rows)
    (tmp_path / "a.txt").write_text(FRENCH, encoding="utf-8")
    result = score(tmp_path / "a.txt", "-m", tiny_model, "-f", "jsonl")
    assert result.exit_code == 0
    lines = result.stderr.strip().splitlines()
    assert lines and all(line.startswith("Warning: ") and line.endswith("(RuntimeWarning)") for line in lines), lines
    assert any("Mean of empty slice" in line for line in lines)
