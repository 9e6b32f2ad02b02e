import json

import pytest
from typer.testing import CliRunner

from stance.cli import app
from stance.schema import PROFILE_COLUMNS, SENTENCE_COLUMNS, STATUS_COLUMNS

runner = CliRunner()


@pytest.fixture
def articles(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "alpha.txt").write_text("Musk a raison.\nOpenAI a trahi sa mission. Bravo Elon !", encoding="utf-8")
    (folder / "beta.md").write_text("# Analyse\nLe conseil a eu raison de refuser l'offre.", encoding="utf-8")
    (folder / "notes.pdf").write_bytes(b"%PDF")
    return folder


def invoke(*args, **kwargs):
    return runner.invoke(app, [str(a) for a in args], **kwargs)


def test_profiles_as_jsonl_for_each_article_of_a_folder(articles, tiny_model):
    result = invoke("score", articles, "--model", tiny_model, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["article"] for r in rows] == ["alpha", "beta"]
    assert set(PROFILE_COLUMNS) <= set(rows[0])
    assert rows[0]["sentences"] == 3


def test_sentence_rows_have_exact_offsets(articles, tiny_model):
    result = invoke("score", "--sentences", "-f", "jsonl", "-m", tiny_model, articles / "alpha.txt")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    text = (articles / "alpha.txt").read_text(encoding="utf-8")
    assert list(rows[0]) == list(SENTENCE_COLUMNS + STATUS_COLUMNS)
    assert [text[r["start"]:r["end"]] for r in rows] == [r["text"] for r in rows]
    assert [r["sentence"] for r in rows] == [0, 1, 2]


def test_standard_input_is_the_article_stdin(tiny_model):
    result = invoke("score", "-", "-m", tiny_model, "-f", "json", input="Musk propose 97 milliards.")
    assert json.loads(result.stdout)[0]["article"] == "stdin"


def test_csv_to_a_file_and_table_format(articles, tiny_model, tmp_path):
    out = tmp_path / "profiles.csv"
    assert invoke("score", articles, "-m", tiny_model, "-o", out).exit_code == 0
    header = out.read_text().splitlines()[0].split(",")
    assert header[:2] == ["article", "sentences"]
    table = invoke("score", articles, "-m", tiny_model, "-f", "table").stdout
    assert "alpha" in table and "net_lean" in table and "{" not in table


@pytest.mark.parametrize("make, message", [
    (lambda p: p / "missing.txt", "no such file or folder"),
    (lambda p: (p / "empty").mkdir() or p / "empty", "no articles"),
])
def test_an_input_that_stops_the_command_is_one_error_line(tmp_path, tiny_model, make, message):
    result = invoke("score", make(tmp_path), "-m", tiny_model)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


@pytest.mark.parametrize("content, message", [
    (b"  \n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),  # (FF FE 00 81 was UTF-16 text: one character)
])
def test_a_lone_unreadable_document_fails_the_command(tmp_path, tiny_model, content, message):
    (tmp_path / "bad.txt").write_bytes(content)
    result = invoke("score", tmp_path / "bad.txt", "-m", tiny_model)
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 1
    assert lines[0].startswith("Warning: ") and "bad.txt" in lines[0] and message in lines[0]
    assert lines[-1] == "Error: no document could be scored"
    assert "Traceback" not in result.output


def test_a_bad_model_folder_is_one_error_line(articles, tmp_path):
    result = invoke("score", articles, "-m", tmp_path)
    assert result.exit_code == 1 and result.stderr.startswith("Error: ") and "not a model folder" in result.stderr


def test_train_then_evaluate_on_a_label_directory(label_dir, tmp_path):
    out = tmp_path / "model"
    trained = invoke("train", "--labels", label_dir, "--out", out, "--no-evaluate")
    assert trained.exit_code == 0, trained.output
    assert (out / "config.json").is_file()
    evaluated = invoke("evaluate", "--labels", label_dir, "--folds", "3", "-f", "json")
    assert evaluated.exit_code == 0, evaluated.output
    rows = json.loads(evaluated.stdout)
    macro = {r["task"]: r for r in rows if r["label"] == "macro"}
    assert set(macro) == {"stance", "frame"}
    assert all(0 <= r["f1"] <= 1 for r in macro.values())
    assert invoke("evaluate", "--labels", label_dir, "--folds", "3", "-f", "table").stdout.count("confusion") == 2


def test_train_can_leave_articles_out_and_says_so_in_the_card(label_dir, tmp_path):
    """--exclude trains exactly the model of a label directory without those articles, and records them."""
    from tests.conftest import TINY_ARTICLES, write_label_dir

    kept = write_label_dir(tmp_path / "kept", {k: v for k, v in TINY_ARTICLES.items() if not k.startswith("t3")})
    for args, out in (((label_dir, "--exclude", "t3"), tmp_path / "left_out"), ((kept,), tmp_path / "kept_model")):
        trained = invoke("train", "--labels", *args, "--out", out, "--no-evaluate")
        assert trained.exit_code == 0, trained.output
    left_out, kept_model = (json.loads((tmp_path / name / "config.json").read_text())["training"]
                            for name in ("left_out", "kept_model"))
    assert left_out.pop("excluded") == ["t3"] and left_out == kept_model
    assert (tmp_path / "left_out" / "stance.npz").read_bytes() == (tmp_path / "kept_model" / "stance.npz").read_bytes()
    assert "left out: the articles whose ids start with t3" in (tmp_path / "left_out" / "README.md").read_text()
    assert "left out" not in (tmp_path / "kept_model" / "README.md").read_text()
    supports = [{(r["task"], r["label"]): r["support"] for r in json.loads(invoke(
        "evaluate", "--labels", labels, "--folds", "2", "-f", "json", *extra).stdout)}
        for labels, extra in ((label_dir, ("--exclude", "t3")), (kept, ()), (label_dir, ()))]
    assert supports[0] == supports[1] != supports[2]


@pytest.mark.parametrize("prefixes, message", [
    (("t",), "--exclude t leaves no labelled article to train on"),
    (("t3", "t9"), "--exclude t9 matches no labelled article"),  # a typo would train on everything
])
@pytest.mark.parametrize("command", ["train", "evaluate"])
def test_an_exclusion_that_leaves_nothing_or_matches_nothing_is_one_error(label_dir, tmp_path, prefixes, message,
                                                                          command):
    from tests.conftest import one_error

    excluded = [arg for prefix in prefixes for arg in ("--exclude", prefix)]
    out = ("--out", tmp_path / "m") if command == "train" else ("--folds", "2")
    assert one_error(invoke(command, "--labels", label_dir, *out, *excluded)) == f"Error: {label_dir}: {message}"
    assert not (tmp_path / "m").exists()


def test_train_without_out_is_a_usage_error_that_writes_no_model(label_dir, tmp_path, monkeypatch):
    """No default folder: a bare `stance train` in the repository would have replaced the shipped model."""
    monkeypatch.chdir(tmp_path)
    result = invoke("train", "--labels", label_dir, "--no-evaluate")
    assert result.exit_code == 2 and "--out" in result.output
    assert [path.name for path in tmp_path.iterdir()] == ["labels"]  # the label directory, and no stance/models/


def test_help_lists_the_commands():
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("score", "train", "evaluate"):
        assert command in result.stdout


@pytest.mark.parametrize(("args", "starts", "where"), [
    (["score", "--by", "outlet", "x.txt"], "Error: No such option: --by", "stance score"),
    (["score"], "Error: Missing argument 'paths'", "stance score"),
    (["score", "-j", "0", "x.txt"], "Error: Invalid value for '--jobs'", "stance score"),
    (["label", "export", "--nope"], "Error: No such option: --nope", "stance label export"),
    (["nosuchcommand"], "Error: No such command 'nosuchcommand'", "stance"),
    (["--bogus"], "Error: No such option: --bogus", "stance"),
])
def test_a_usage_error_is_one_line_that_names_the_help_and_exits_2(args, starts, where):
    from tests.conftest import one_error

    line = one_error(invoke(*args, prog_name="stance"), code=2)
    assert line.startswith(starts) and line.endswith(f"; see '{where} --help'")


def test_a_bare_group_still_shows_its_help():
    for args in ([], ["label"]):
        result = invoke(*args)
        assert result.exit_code == 2 and "Usage:" in result.output and "Error" not in result.output
