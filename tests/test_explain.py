import json

from typer.testing import CliRunner

from stance.cli import app
from stance.explain import explain_sentence, top_features
from stance.model import load_model


def test_top_features_rank_each_label(tiny_model):
    table = top_features(load_model(tiny_model), n=5)
    assert set(table["task"]) == {"stance", "frame"}
    assert table.groupby(["task", "label"]).size().max() == 5
    for _, group in table.groupby(["task", "label"]):
        assert list(group["weight"]) == sorted(group["weight"], reverse=True)


def test_a_sentence_is_explained_by_terms_it_contains(tiny_model):
    text = "Bravo Elon, OpenAI a trahi sa mission."
    table = explain_sentence(load_model(tiny_model), text)
    assert set(table["task"]) == {"stance", "frame"}
    assert (table["contribution"] > 0).all()
    words = table[table["feature"].str.startswith("words: ")]["feature"].str.removeprefix("words: ")
    assert all(all(part in text.lower() for part in word.split()) for word in words)


def test_explain_command_prints_json(tiny_model):
    result = CliRunner().invoke(app, ["explain", "OpenAI a trahi sa mission.", "-m", str(tiny_model), "-f", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and {"task", "label", "feature", "contribution"} <= set(rows[0])
