import json
import pickle

import numpy as np
import pytest

from stance.schema import TASKS

from stance.documents import Document
from stance.model import FORMAT_VERSION, ModelError, load_model
from stance.scoring import score_sentences
from stance.training import train
from tests.conftest import ROOT

NEW_TEXT = [Document("new", "Musk a raison contre OpenAI.\nLe procès commence au printemps 2026.")]


def test_the_shipped_model_folder_holds_its_error_rates():
    from stance.model import DEFAULT_MODEL

    assert (DEFAULT_MODEL / "error_rates.npz").is_file() and (DEFAULT_MODEL / "collective.npz").is_file()


def test_saved_model_folder_holds_weights_config_and_card(tiny_model):
    assert {p.name for p in tiny_model.iterdir()} == {
        "stance.json", "stance.npz", "frame.json", "frame.npz", "collective.npz", "config.json", "README.md"}
    config = json.loads((tiny_model / "config.json").read_text())
    assert config["format_version"] == FORMAT_VERSION
    assert config["labels"]["frame"] == ["ideology", "money", "law", "geopolitics", "none"]
    assert len(config["training"]["labels_hash"]) == 64
    assert "scikit-learn" in config["versions"]
    assert "tiny-test-model" in (tiny_model / "README.md").read_text()


def test_train_save_load_score_gives_identical_predictions(label_dir, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    train(label_dir, first, evaluate_model=False)
    train(label_dir, second, evaluate_model=False)
    scored = [score_sentences(NEW_TEXT, load_model(folder)) for folder in (first, second)]
    columns = [c for c in scored[0].columns if c.startswith("p_")]
    assert np.array_equal(scored[0][columns].to_numpy(), scored[1][columns].to_numpy())
    training = [json.loads((folder / "config.json").read_text())["training"] for folder in (first, second)]
    assert training[0] == training[1]


def test_probabilities_cover_every_label_and_sum_to_one(tiny_model):
    table = score_sentences(NEW_TEXT, load_model(tiny_model))
    for task, width in (("stance", 3), ("frame", 5)):
        columns = [c for c in table.columns if c.startswith(f"p_{task}_")]
        assert len(columns) == width
        assert np.allclose(table[columns].sum(axis=1), 1)


def test_a_model_of_another_format_version_is_refused(tiny_model, tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    for path in tiny_model.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    config = json.loads((folder / "config.json").read_text())
    config["format_version"] = 0
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelError, match="stance train"):
        load_model(folder)


class RunsCode:
    """An object whose unpickling would run a command."""

    def __reduce__(self):
        return (open, (str(MARKER), "w"))


MARKER = ROOT / "tests" / ".planted-code-ran"


def copy_model(source, target):
    target.mkdir()
    for path in source.iterdir():
        (target / path.name).write_bytes(path.read_bytes())
    return target


@pytest.mark.parametrize("plant", [
    lambda folder: (folder / "stance.npz").write_bytes(pickle.dumps(RunsCode())),
    lambda folder: np.savez(folder / "frame.npz", coef=np.array([RunsCode()], dtype=object), intercept=np.zeros(5)),
])
def test_a_model_file_that_would_run_code_is_refused_and_nothing_runs(tiny_model, tmp_path, plant):
    folder = copy_model(tiny_model, tmp_path / "planted")
    plant(folder)
    with pytest.raises(ModelError, match="refused"):
        load_model(folder)
    assert not MARKER.exists()


def test_weights_that_are_not_numbers_are_refused(tiny_model, tmp_path):
    folder = copy_model(tiny_model, tmp_path / "strings")
    with np.load(folder / "frame.npz") as data:
        arrays = {name: data[name] for name in data.files}
    arrays["intercept"] = np.array(["a"] * len(arrays["intercept"]))
    np.savez(folder / "frame.npz", **arrays)
    with pytest.raises(ModelError, match="is not real numbers"):
        load_model(folder)


def test_tampered_weights_are_refused(tiny_model, tmp_path):
    folder = copy_model(tiny_model, tmp_path / "tampered")
    with np.load(folder / "stance.npz") as data:
        arrays = {name: data[name] for name in data.files}
    arrays["coef"] = arrays["coef"][:, :-1]
    np.savez(folder / "stance.npz", **arrays)
    with pytest.raises(ModelError, match="stance.npz: array 'coef' has shape"):
        load_model(folder)


@pytest.mark.parametrize("changes", [{}, {"actors": True, "word_ngrams": [1, 3], "char_ngrams": [3, 4]},
                                     {"char_ngrams": None, "context_weight": 0}, {"sided": True}, {"embeddings": 0.5},
                                     {"speakers": True}, {"ratio_scaling": 1.0}, {"ratio_scaling": 0.0}])
def test_the_exported_model_predicts_exactly_what_the_fitted_pipeline_does(label_dir, changes):
    from stance.features import model_input
    from stance.annotation.labels import load_gold
    from stance.model import Settings, build_pipeline, linear_task

    gold = load_gold(label_dir)
    settings = Settings.from_dict(changes)
    X = model_input(gold["text"].tolist(), gold["article"].tolist(), sided=settings.sided, speakers=settings.speakers)
    pipeline = build_pipeline(settings, "frame").fit(X, gold["frame"])
    assert np.allclose(linear_task(pipeline, settings, "frame").predict_proba(X), pipeline.predict_proba(X), atol=1e-12)


def test_scoring_a_corpus_imports_neither_scikit_learn_nor_spacy_nor_pandas(tiny_model, tmp_path):
    import subprocess
    import sys

    article = tmp_path / "article.txt"
    article.write_text("Musk a raison contre OpenAI. Le procès commence au printemps 2026.", encoding="utf-8")
    code = ("import sys; from stance.run import run_scoring; "
            f"run_scoring([{str(article)!r}], {str(tiny_model)!r}, 'jsonl', {str(tmp_path / 'out.jsonl')!r}); "
            "print(sorted(m for m in ('sklearn', 'spacy', 'pandas', 'scipy') if m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"
    assert (tmp_path / "out.jsonl").read_text().count("\n") == 1


def test_a_folder_without_config_is_not_a_model(tmp_path):
    with pytest.raises(ModelError, match="not a model folder"):
        load_model(tmp_path)


def test_training_twice_gives_byte_identical_predictions(label_dir, tmp_path):
    from typer.testing import CliRunner

    from stance.cli import app

    runner, outputs = CliRunner(), []
    article = tmp_path / "article.txt"
    article.write_text("Musk a raison contre OpenAI.\nLe procès commence au printemps 2026.", encoding="utf-8")
    for name in ("one", "two"):
        trained = runner.invoke(app, ["train", "--labels", str(label_dir), "--out", str(tmp_path / name), "--no-evaluate"])
        assert trained.exit_code == 0
        result = runner.invoke(app, ["score", str(article), "--sentences", "-f", "jsonl", "-m", str(tmp_path / name)])
        outputs.append(result.stdout.encode("utf-8"))
    assert outputs[0] == outputs[1] and len(outputs[0]) > 100


def test_the_classifier_is_solved_to_its_optimum():
    """Where the solver stops must not decide the weights (a rebuild elsewhere would differ): on the seeds' stance, the
    fit lies within 1e-5 of a solve a thousand times tighter (lbfgs at scikit-learn's default tolerance was 0.02 away)."""
    from sklearn.base import clone

    from stance.annotation.labels import load_gold
    from stance.features import model_input
    from stance.model import Settings, build_pipeline
    from stance.model.settings import input_options

    gold = load_gold(ROOT / "labels")
    seeds = gold[gold["provenance"] == "seed"]
    X = model_input(seeds["text"].tolist(), seeds["article"].tolist(), **input_options(Settings()))
    pipeline = build_pipeline(Settings(), "stance").fit(X, seeds["stance"])
    fitted = pipeline.named_steps["classifier"]
    tighter = clone(fitted).set_params(tol=fitted.tol / 1000, max_iter=100_000)
    tighter.fit(pipeline[:-1].transform(X), seeds["stance"])
    assert np.abs(fitted.coef_ - tighter.coef_).max() < 1e-5


def test_a_task_trained_on_two_labels_predicts_like_its_binary_pipeline(label_dir):
    from stance.features import model_input
    from stance.annotation.labels import load_gold
    from stance.model import Settings, build_pipeline, linear_task

    gold = load_gold(label_dir)
    two = gold[gold["stance"] != "pro_openai"]
    X = model_input(two["text"].tolist(), two["article"].tolist(), sided=Settings().sided, speakers=Settings().speakers)
    pipeline = build_pipeline(Settings(), "stance").fit(X, two["stance"])
    assert np.allclose(linear_task(pipeline, Settings(), "stance").predict_proba(X), pipeline.predict_proba(X), atol=1e-12)


@pytest.mark.parametrize("encoder", ["use", "e5"])
def test_a_model_with_embeddings_trains_scores_and_records_its_encoder(label_dir, tmp_path, encoder):
    from typer.testing import CliRunner

    from stance.cli import app
    from stance.encoder import ENCODERS

    settings = f'{{"embeddings": 1.0, "encoder": "{encoder}", "quantifier": "pcc"}}'
    (tmp_path / "settings.json").write_text(settings, encoding="utf-8")
    out = tmp_path / "embedded"
    trained = CliRunner().invoke(app, ["train", "--labels", str(label_dir), "--out", str(out), "--no-evaluate",
                                       "--settings", str(tmp_path / "settings.json"), "--name", "stance-embeddings"])
    assert trained.exit_code == 0, trained.output
    model = load_model(out)
    assert model.settings.embeddings == 1.0 and ENCODERS[encoder].package in model.config["versions"]
    assert model.tasks["stance"].coef.shape[1] == model.tasks["stance"].space.width > ENCODERS[encoder].width
    assert next(b for b in model.tasks["stance"].space.blocks if b.name == "embeddings").encoder == encoder
    proba = model.predict_proba(model.input_for(["Musk a raison contre OpenAI.", "Le procès commence."], ["a", "a"]))
    assert np.allclose(proba["stance"].sum(axis=1), 1)
    from stance.explain import explain_sentence, sentence_terms, top_features

    explained = explain_sentence(model, "Musk a raison contre OpenAI.", n=600)
    meaning = explained[explained["feature"].str.startswith("embeddings:")]
    assert len(meaning) <= 2 and not explained["feature"].str.contains(r"dim\d").any()
    assert not top_features(model, n=50)["feature"].str.startswith("embeddings").any()
    terms = sentence_terms(model, ["Musk a raison contre OpenAI."], ["a"], {t: [v[0]] for t, v in TASKS.items()}, n=600)
    assert all(sum(name.startswith("embeddings:") for name, _ in found) <= 1 for found in terms[0].values())


def test_each_task_can_leave_out_its_own_blocks(label_dir, tmp_path):
    """The stance classifier without the embeddings, the frame one without the speakers: each reads
    what a model without that block reads, and the folder saves and loads it."""
    from stance.model import Settings
    from stance.training import train

    settings = Settings(embeddings=1.0, encoder="use", quantifier="pcc", collective=False,
                        stance_without=("embeddings",), frame_without=("speakers",))
    train(label_dir, tmp_path / "split", settings, evaluate_model=False)
    train(label_dir, tmp_path / "plain", settings.with_changes(embeddings=0.0, stance_without=[]), evaluate_model=False)
    train(label_dir, tmp_path / "quiet", settings.with_changes(speakers=False, frame_without=[]), evaluate_model=False)
    model, plain, quiet = (load_model(tmp_path / name) for name in ("split", "plain", "quiet"))
    assert model.settings.stance_without == ("embeddings",) and model.settings.frame_without == ("speakers",)
    names = {task: [block.name for block in model.tasks[task].space.blocks] for task in TASKS}
    assert "embeddings" not in names["stance"] and "speakers" in names["stance"]
    assert "embeddings" in names["frame"] and "speakers" not in names["frame"]
    X = model.input_for(["Musk a raison contre OpenAI.", "Le procès commence."], ["a", "a"])
    split = model.predict_proba(X)
    assert np.allclose(split["stance"], plain.predict_proba(X)["stance"])
    assert np.allclose(split["frame"], quiet.predict_proba(X)["frame"])
    assert "weight 1.0, frame only" in (tmp_path / "split" / "README.md").read_text(encoding="utf-8")


def test_a_model_with_embeddings_is_refused_when_the_encoder_is_not_installed(label_dir, tmp_path, monkeypatch):
    from stance import encoder
    from stance.model import Settings
    from stance.training import train

    train(label_dir, tmp_path / "embedded", Settings(embeddings=1.0, quantifier="pcc"), evaluate_model=False)
    monkeypatch.setattr(encoder, "available", lambda name="use": False)
    with pytest.raises(ModelError, match=r"pip install 'stance\[embeddings\]'"):
        load_model(tmp_path / "embedded")


@pytest.mark.parametrize("content, message", [
    ("{not json", "not valid JSON"), ('{"embedings": 1}', "unknown setting 'embedings'"),
    ('{"embeddings": -1}', "must be a finite number"), ('{"ratio_scaling": -0.5}', "must be a finite number ≥ 0"),
    ('{"encoder": "bert"}', "must be one of 'use', 'e5'"),
    ('{"stance_without": ["words"]}', "list of distinct feature blocks among chars, lemmas"),
    ('{"frame_without": ["speakers", "speakers"]}', "list of distinct feature blocks"),
    ('{"frame_without": "speakers"}', "list of distinct feature blocks"),
    ("[1, 2]", "settings must be an object")])
def test_bad_settings_files_are_one_error_line(label_dir, tmp_path, content, message):
    from typer.testing import CliRunner

    from stance.cli import app

    (tmp_path / "settings.json").write_text(content, encoding="utf-8")
    result = CliRunner().invoke(app, ["train", "--labels", str(label_dir), "--out", str(tmp_path / "m"),
                                      "--settings", str(tmp_path / "settings.json")])
    assert result.exit_code == 1 and not (tmp_path / "m").exists()
    assert result.stderr.startswith("Error: ") and message in result.stderr and result.stderr.count("\n") == 1


def test_a_model_reading_speakers_learns_who_speaks(tmp_path):
    from tests.conftest import TINY_ARTICLES, write_label_dir
    from stance.model import Settings

    accusations = {"t4_accusations": (
        "Procès\nElon Musk accuse OpenAI de trahison. OpenAI accuse Elon Musk de harcèlement. Le tribunal siège.",
        [("neutral", "none"), ("pro_musk", "law"), ("pro_openai", "law"), ("neutral", "law")])}
    labels = write_label_dir(tmp_path / "labels", {**TINY_ARTICLES, **accusations})
    train(labels, tmp_path / "speakers", Settings(speakers=True, quantifier="pcc"), evaluate_model=False)
    model = load_model(tmp_path / "speakers")
    linear = model.tasks["stance"]
    names = list(linear.feature_names())
    musk, openai = (names.index(f"speakers__speaker_{side}") for side in ("musk", "openai"))
    pro_musk = linear.classes.index("pro_musk")
    assert linear.coef[pro_musk, musk] > linear.coef[pro_musk, openai]
    row = linear.space.transform(model.input_for(["Musk accuse OpenAI."], ["a"])).toarray()[0]
    assert row[musk] > 0 and row[openai] == 0
