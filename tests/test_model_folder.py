"""Hostile model folders (issue 13): each is refused at load with a ModelError naming the file, promptly,
and never scores; saves are atomic; settings are typed and checked."""

import json
import os
import shutil
import threading
from dataclasses import fields

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stance.model import DEFAULT_MODEL, ModelError, Settings, load_model, save_model
from stance.model import folder as model_folder
from stance.model.reading import MAX_JSON_BYTES, nesting_depth
from stance.model.settings import CHECKS
from stance.quantify import ErrorRates
from stance.schema import TASKS


@pytest.fixture
def model_copy(tiny_model, tmp_path):
    """A writable copy of the tiny model folder."""
    return shutil.copytree(tiny_model, tmp_path / "model")


def edit_json(path, change):
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def edit_arrays(path, **replaced):
    with np.load(path) as data:
        arrays = {name: data[name] for name in data.files}
    arrays.update(replaced)
    np.savez(path, **arrays)


def refused(folder, *fragments):
    """Load ``folder``, expecting a ModelError whose message holds every fragment."""
    with pytest.raises(ModelError) as caught:
        load_model(folder)
    for fragment in fragments:
        assert fragment in str(caught.value), str(caught.value)
    return str(caught.value)


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize("name, content, message", [
    ("stance.npz", b"", "not a plain array file"),
    ("frame.npz", b"these are not arrays\n", "not a plain array file"),
    ("config.json", deep(100_000).encode(), "nested 100000 levels deep"),
    ("stance.json", ('{"classes": ' + deep(65) + "}").encode(), "nested 66 levels deep"),
    ("config.json", b'{"format_version": ' + b"7" * 5000 + b"}", "5,000 characters"),
    ("config.json", b'{"format_version": 1e400}', "too large to be finite"),
    ("config.json", b'{"format_version": NaN}', "NaN is not a number"),
    ("config.json", b"[]", "the file must be an object, not a list"),
    ("frame.json", b'["classes", "vocabularies"]', "the file must be an object, not a list"),
    ("config.json", b"\xff\xfe{}", "not UTF-8"),
    ("stance.json", b'{"classes": ', "not valid JSON"),
])
def test_a_malformed_file_is_refused_and_named(model_copy, name, content, message):
    (model_copy / name).write_bytes(content)
    refused(model_copy, name, message)


HOSTILE_TEXT = st.text(alphabet=st.sampled_from('[]{}"\\ aé:,'), max_size=12)
JSON_VALUES = st.recursive(st.none() | st.integers() | HOSTILE_TEXT,
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(HOSTILE_TEXT, inner, max_size=3),
                           max_leaves=30)


def parsed_depth(value) -> int:
    if isinstance(value, dict):
        value = list(value.values())
    return 1 + max(map(parsed_depth, value), default=0) if isinstance(value, list) else 0


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES, st.booleans())
def test_json_nesting_is_counted_as_a_parser_reads_it(value, ascii_only):
    """Brackets, quotation marks and runs of backslashes inside strings never count."""
    assert nesting_depth(json.dumps(value, ensure_ascii=ascii_only)) == parsed_depth(value)


def test_a_vocabulary_of_brackets_and_escapes_loads(model_copy):
    hostile = ["[" * 80, '\\"' + "{" * 80, "\\" * 3 + '"]', "é" + "[" * 70]

    def replace_first_terms(task):
        task["vocabularies"]["words"][:len(hostile)] = hostile

    edit_json(model_copy / "stance.json", replace_first_terms)
    assert load_model(model_copy).tasks["stance"].space.blocks[0].vocabulary[:len(hostile)] == hostile


def test_a_truncated_array_file_is_refused(model_copy):
    data = (model_copy / "stance.npz").read_bytes()
    (model_copy / "stance.npz").write_bytes(data[: len(data) // 2])
    refused(model_copy, "stance.npz", "not a plain array file")


@pytest.mark.parametrize("key, value, message", [
    ("settings", [], "'settings' must be an object, not a list"),
    ("labels", {"stance": ["a", "b"], "frame": list(TASKS["frame"])}, "other labels"),
    ("metrics", [1, 2], "'metrics' must be an object"),
    ("name", {"a": 1}, "'name' must be a string"),
    ("training", {"excluded": "c13"}, "'training.excluded' must be a list, not a string"),
    ("training", {"excluded": ["c13", 4]}, "'training.excluded' must be a list of article-id prefixes"),
])
def test_a_config_entry_of_the_wrong_kind_is_refused(model_copy, key, value, message):
    edit_json(model_copy / "config.json", lambda config: config.update({key: value}))
    refused(model_copy, "config.json", message)


@pytest.mark.parametrize("change, message", [
    ({"word_ngrams": [3, 1]}, "1 ≤ low ≤ high"),
    ({"char_ngrams": [0, 2]}, "1 ≤ low ≤ high"),
    ({"word_ngrams": [1, "2"]}, "two integers"),
    ({"word_ngrams": [1, 2, 3]}, "two integers"),
    ({"word_ngrams": True}, "two integers"),
    ({"C": -1}, "'C' must be a finite number > 0"),
    ({"lemmas": 1}, "must be true or false"),
    ({"splitter": "guess"}, "'splitter' must be one of"),
    ({"quantifier": "magic"}, "'quantifier' must be one of"),
    ({"error_rates_from": ["seed", "seed"]}, "distinct provenances"),
    ({"classifier": "svm"}, "only logistic regression"),
    ({"surprise": 1}, "unknown setting 'surprise'"),
])
def test_bad_settings_are_refused(model_copy, change, message):
    edit_json(model_copy / "config.json", lambda config: config["settings"].update(change))
    refused(model_copy, "config.json", message)


@pytest.mark.parametrize("name, array, message", [
    ("coef", lambda a: a.astype(complex), "is not real numbers"),
    ("coef", lambda a: np.where(np.arange(a.size).reshape(a.shape) == 3, np.nan, a), "NaN or infinite"),
    ("intercept", lambda a: np.full_like(a, np.inf), "NaN or infinite"),
    ("intercept", lambda a: a > 0, "is not real numbers"),
    ("coef", lambda a: a[:-1], "has shape"),
    ("idf__words", lambda a: a[:-1], "has shape"),
    ("extra", lambda a: np.zeros(2), "expected"),
])
def test_bad_weights_are_refused(model_copy, name, array, message):
    with np.load(model_copy / "stance.npz") as data:
        original = data[name] if name in data.files else None
    edit_arrays(model_copy / "stance.npz", **{name: array(original)})
    refused(model_copy, "stance.npz", message)


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(classes=["neutral", "neutral", "pro_musk"]), "each once"),
    (lambda d: d.update(classes=["neutral", "pro_musk"]), "each once"),
    (lambda d: d.update(classes={"neutral": 1}), "classes must be a list, not an object"),
    (lambda d: d.update(vocabularies=[]), "'vocabularies' must be an object, not a list"),
    (lambda d: d["vocabularies"].pop("chars"), "need ['chars', 'context', 'sided', 'speakers', 'words']"),
    (lambda d: d["vocabularies"]["words"].append(d["vocabularies"]["words"][0]), "repeats terms"),
    (lambda d: d["vocabularies"]["words"].__setitem__(0, 7), "only strings"),
])
def test_inconsistent_task_descriptions_are_refused(model_copy, change, message):
    edit_json(model_copy / "stance.json", change)
    refused(model_copy, "stance.json", message)


def loads_promptly(folder, seconds: float = 10.0) -> str:
    """The error message of loading ``folder``, which must come within ``seconds``."""
    outcome = []

    def load():
        try:
            load_model(folder)
        except ModelError as error:
            outcome.append(str(error))

    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "loading the model folder hung"
    assert outcome, "the model loaded"
    return outcome[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_behind_a_file_name_is_refused_promptly(model_copy):
    (model_copy / "frame.npz").unlink()
    os.mkfifo(model_copy / "frame.npz")
    assert "frame.npz: not a regular file" in loads_promptly(model_copy)


@pytest.mark.skipif(not os.path.exists("/dev/urandom"), reason="no /dev/urandom here")
@pytest.mark.parametrize("name", ["stance.json", "config.json", "frame.npz"])
def test_a_link_to_a_device_is_refused_promptly(model_copy, name):
    (model_copy / name).unlink()
    (model_copy / name).symlink_to("/dev/urandom")
    assert f"{name}: not a regular file" in loads_promptly(model_copy)


def test_a_file_over_the_size_limit_is_refused_before_reading(model_copy):
    with open(model_copy / "stance.json", "r+b") as handle:
        handle.truncate(MAX_JSON_BYTES + 1)  # sparse: no disk used
    assert "larger than the limit" in loads_promptly(model_copy, seconds=5)


def test_a_model_that_fails_validation_never_scores(model_copy, tmp_path):
    from typer.testing import CliRunner

    from stance.cli import app

    edit_arrays(model_copy / "frame.npz", intercept=np.full(5, np.nan))
    article = tmp_path / "article.txt"
    article.write_text("Musk a raison contre OpenAI.", encoding="utf-8")
    result = CliRunner().invoke(app, ["score", str(article), "-m", str(model_copy), "-f", "jsonl"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and "frame.npz" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_the_shipped_model_loads_with_its_recorded_settings():
    model = load_model(DEFAULT_MODEL)
    assert model.settings == Settings.from_dict(model.config["settings"])
    assert model.settings.splitter == json.loads((DEFAULT_MODEL / "config.json").read_text()).get("splitter", "rules")


def test_scoring_splits_with_the_splitter_the_model_records(model_copy, monkeypatch):
    import stance.sentences
    from stance.documents import Document
    from stance.scoring import score_sentences

    edit_json(model_copy / "config.json", lambda config: config["settings"].update(splitter="sentencizer"))
    model = load_model(model_copy)
    used = []
    real = stance.sentences.split_many
    monkeypatch.setattr(stance.sentences, "split_many", lambda texts, method="rules": used.append(method) or
                        real(texts, "rules"))
    score_sentences([Document("a", "Musk a raison. OpenAI aussi.")], model)
    assert used == ["sentencizer"]


def test_a_splitter_recorded_beside_the_settings_is_honoured(model_copy):
    def older(config):
        config["settings"].pop("splitter")
        config["settings"]["classifier"] = "logreg"
        config["splitter"] = "senter"
    edit_json(model_copy / "config.json", older)
    assert load_model(model_copy).settings.splitter == "senter"


def test_settings_round_trip_and_refuse_unknown_keys():
    changed = Settings().with_changes(word_ngrams=[1, 3], char_ngrams=None, error_rates_from=["seed"], C=2)
    assert Settings.from_dict(json.loads(json.dumps(changed.to_dict()))) == changed
    assert Settings.from_dict({}) == Settings()
    assert list(CHECKS) == [f.name for f in fields(Settings)]
    with pytest.raises(ValueError, match="unknown setting 'classifier'"):
        Settings.from_dict({"classifier": "svm"})
    with pytest.raises(ValueError, match="must be an object"):
        Settings.from_dict([["C", 1]])


def test_second_pass_and_error_rates_round_trip_and_are_checked(tiny_model, tmp_path):
    from stance.collective import FEATURES, CollectivePass

    model = load_model(tiny_model)
    model.settings = model.settings.with_changes(collective=True, quantifier="pacc")
    model.second_pass = CollectivePass({t: np.ones((len(v), len(FEATURES))) for t, v in TASKS.items()},
                                       {t: np.zeros(len(v)) for t, v in TASKS.items()})
    model.rates = ErrorRates("pacc", {t: np.stack([np.eye(len(v))] * 3) for t, v in TASKS.items()})
    save_model(model, tmp_path / "full")
    loaded = load_model(tmp_path / "full")
    assert np.array_equal(loaded.second_pass.coef["frame"], model.second_pass.coef["frame"])
    assert loaded.rates.method == "pacc" and loaded.rates.draws == 2
    edit_arrays(tmp_path / "full" / "error_rates.npz", stance=np.full((3, 3, 3), 2.0))
    refused(tmp_path / "full", "error_rates.npz", "between 0 and 1")
    edit_arrays(tmp_path / "full" / "collective.npz", coef__stance=np.ones((3, 2)))
    refused(tmp_path / "full", "collective.npz", "coef__stance")


def test_a_save_that_dies_midway_leaves_the_old_model_whole(tiny_model, tmp_path, monkeypatch):
    target = shutil.copytree(tiny_model, tmp_path / "model")
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    model = load_model(tiny_model)
    model.config["name"] = "the new one"
    written = []

    def dies_on_second(path, **arrays):
        written.append(path)
        if len(written) == 2:
            raise KeyboardInterrupt("killed mid-save")
        np.savez(path, **arrays)

    monkeypatch.setattr(model_folder, "write_arrays", dies_on_second)
    with pytest.raises(KeyboardInterrupt):
        save_model(model, target)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert load_model(target).config["name"] == "tiny-test-model"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


def test_a_save_replaces_an_older_model_whole(tiny_model, tmp_path):
    target = shutil.copytree(tiny_model, tmp_path / "model")
    (target / "leftover.npz").write_bytes(b"left from an older model")
    model = load_model(tiny_model)
    model.config["name"] = "the new one"
    save_model(model, target)
    assert load_model(target).config["name"] == "the new one"
    assert not (target / "leftover.npz").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


@pytest.mark.parametrize("make", [
    lambda path: (path.mkdir(), (path / "notes.txt").write_text("mine")),
    lambda path: path.write_text("a file"),
])
def test_a_save_never_replaces_what_is_not_a_model_folder(tiny_model, tmp_path, make):
    target = tmp_path / "precious"
    make(target)
    with pytest.raises(ModelError, match="refusing to replace"):
        save_model(load_model(tiny_model), target)
    assert target.exists()


def test_a_model_missing_a_label_is_not_saved(tiny_model, tmp_path):
    model = load_model(tiny_model)
    model.tasks["stance"].classes = ["neutral", "pro_musk"]
    with pytest.raises(ModelError, match="each once"):
        save_model(model, tmp_path / "partial")
    assert not (tmp_path / "partial").exists()


def test_a_model_saved_before_a_setting_existed_is_read_as_it_was_trained(tiny_model, tmp_path):
    """A config without the newer settings (sided, collective, quantifier…) means they were off."""
    import json

    folder = shutil.copytree(tiny_model, tmp_path / "old")
    config = json.loads((folder / "config.json").read_text())
    for key in ("sided", "speakers", "actors", "collective", "quantifier", "error_rates_from", "neutral_weight"):
        config["settings"].pop(key)
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelError, match="sided"):  # its vocabularies hold a sided block it no longer asks for
        load_model(folder)


@pytest.mark.parametrize("key", ["neutral_weight", "ratio_scaling"])
def test_a_model_saved_before_a_scoring_or_scaling_setting_existed_reads_as_it_was_trained(tiny_model, tmp_path, key):
    """A config without the setting takes what models did before it (no shift, unscaled features), not
    today's default, while a config that records it keeps its own value."""
    import json

    from stance.model import Settings
    from stance.model.validate import BEFORE_THE_SETTING

    folder = shutil.copytree(tiny_model, tmp_path / "old")
    config = json.loads((folder / "config.json").read_text())
    config["settings"].pop(key)
    (folder / "config.json").write_text(json.dumps(config))
    assert getattr(Settings(), key) != BEFORE_THE_SETTING[key]
    assert getattr(load_model(tiny_model).settings, key) == getattr(Settings(), key)
    assert getattr(load_model(folder).settings, key) == BEFORE_THE_SETTING[key]
