"""The annotators' tool through `stance label template|fill|check|realign`, in process."""

import pytest
from typer.testing import CliRunner

from stance.annotation.labels import read_rows, write_rows
from stance.cli import app
from tests.conftest import one_error

runner = CliRunner()
TEXT = "Tribune\nMusk a raison : OpenAI a trahi sa mission. Le conseil refuse « l'offre ». Bravo Elon !"


def invoke(*args, **kwargs):
    return runner.invoke(app, ["label", *map(str, args)], **kwargs)


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "w900_test.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


@pytest.fixture
def template(article, tmp_path):
    out = tmp_path / "w900_test.csv"
    result = invoke("template", article, out, "--annotator", "ann")
    assert result.exit_code == 0, result.output
    return out


def test_template_writes_an_unlabelled_file_and_prints_each_sentence(template):
    rows = read_rows(template)
    expected = ("w900_test", "", "written", "ann")
    assert [(r["article"], r["stance"], r["provenance"], r["annotator"]) for r in rows] == [expected] * 4
    assert all(TEXT[r["start"]:r["end"]] == r["text"] for r in rows)


def test_template_prints_index_and_sentence(article, tmp_path):
    result = invoke("template", article, tmp_path / "x.csv", "--annotator", "ann", "--provenance", "modelled")
    assert result.stdout.splitlines() == ["0\tTribune", "1\tMusk a raison : OpenAI a trahi sa mission.",
                                          "2\tLe conseil refuse « l'offre ».", "3\tBravo Elon !"]
    assert {r["provenance"] for r in read_rows(tmp_path / "x.csv")} == {"modelled"}


def test_template_never_overwrites_and_refuses_an_unknown_provenance(template, article, tmp_path):
    before = template.read_bytes()
    assert "already exists" in one_error(invoke("template", article, template, "--annotator", "bob"))
    assert template.read_bytes() == before
    assert "unknown provenance 'web'" in one_error(invoke("template", article, tmp_path / "y.csv", "--annotator", "a",
                                                          "--provenance", "web"))
    assert not (tmp_path / "y.csv").exists()


DECISIONS = "0 neutral none\n1 pro_musk ideology\n\n2 pro_openai money\n3 pro_musk none\n"


def test_fill_from_standard_input_then_check(template, article):
    result = invoke("fill", template, input=DECISIONS)
    assert result.exit_code == 0, result.output
    assert "4 sentences labelled" in result.stderr
    assert [(r["stance"], r["frame"]) for r in read_rows(template)][1:3] == [("pro_musk", "ideology"), ("pro_openai", "money")]
    checked = invoke("check", template, article)
    assert checked.exit_code == 0 and checked.stdout == f"{template}: ok, 4 sentences\n"


def test_fill_from_a_file_argument(template, tmp_path):
    decisions = tmp_path / "decisions.txt"
    decisions.write_text("3 neutral none\n", encoding="utf-8")
    assert invoke("fill", template, decisions).exit_code == 0
    assert [r["stance"] for r in read_rows(template)] == ["", "", "", "neutral"]


@pytest.mark.parametrize("line, message", [
    ("1 pro_macron ideology", "line 2: unknown stance 'pro_macron'"),
    ("1 pro_musk sport", "line 2: unknown frame 'sport'"),
    ("9 neutral none", "line 2: no sentence 9"),
    ("x neutral none", "line 2: no sentence x"),
    ("1 neutral", "line 2: expected INDEX STANCE FRAME, got '1 neutral'"),
    ("0 neutral money", "line 2: sentence 0 is given twice"),
])
def test_a_bad_line_in_fill_is_one_error_and_nothing_is_written(template, line, message):
    before = template.read_bytes()
    error = one_error(invoke("fill", template, input=f"0 neutral none\n{line}\n2 neutral none\n"))
    assert "standard input: 1 bad line: " in error and message in error
    assert template.read_bytes() == before


def test_every_bad_line_is_named_and_empty_input_is_an_error(template):
    error = one_error(invoke("fill", template, input="0 neutral x\n1 y none\n"))
    assert "2 bad lines: line 1: unknown frame 'x' (" in error and "; line 2: unknown stance 'y' (" in error
    assert "no INDEX STANCE FRAME line" in one_error(invoke("fill", template, input="\n"))


def test_check_names_unlabelled_sentences_and_misplaced_rows(template, article):
    invoke("fill", template, input="0 neutral none\n2 neutral none\n")
    assert "2 sentences without labels: 1, 3" in one_error(invoke("check", template, article))
    rows = read_rows(template)
    rows[1].update(stance="pro_musk", frame="", end=rows[1]["end"] - 1)
    write_rows(template, rows)
    assert "row 3: offsets" in one_error(invoke("check", template, article))


def test_check_of_a_missing_file_is_one_error(article, tmp_path):
    one_error(invoke("check", tmp_path / "none.csv", article))


def test_realign_moves_offsets_and_keeps_labels(template, article):
    invoke("fill", template, input=DECISIONS)
    rows = read_rows(template)
    rows[2].update(start=rows[2]["start"] - 1, text=" " + rows[2]["text"])  # as an older splitter might have cut it
    write_rows(template, rows)
    result = invoke("realign", template, article)
    assert result.exit_code == 0 and "1 sentences realigned" in result.stdout
    assert read_rows(template)[2]["text"] == "Le conseil refuse « l'offre »."
    assert [r["stance"] for r in read_rows(template)] == ["neutral", "pro_musk", "pro_openai", "pro_musk"]


def test_realign_refuses_when_the_article_changed(template, article):
    article.write_text(TEXT + " Fin.", encoding="utf-8")
    before = template.read_bytes()
    assert "4 labelled sentences but the splitter now cuts 5" in one_error(invoke("realign", template, article))
    article.write_text(TEXT.replace("Bravo", "Hourra"), encoding="utf-8")
    assert "sentence 3: the cut moved more than quote marks" in one_error(invoke("realign", template, article))
    assert template.read_bytes() == before
