"""Checking what a model folder's files hold, against the schema and against each other.

The files have already been read within limits (stance.model.reading); here their values are
checked before any is used: objects where objects belong and lists where lists belong, the
settings (Settings.from_dict), each task's classes (the schema's labels, each once), its
vocabularies (those its settings' feature blocks need, distinct strings) and the shapes of its
arrays, the second pass and the error rates. Every failure is a ModelError naming the file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from stance import encoder
from stance.collective import FEATURES as COLLECTIVE_FEATURES
from stance.collective import CollectivePass
from stance.model.linear import FIXED_BLOCKS, LinearTask, numpy_block
from stance.model.pipeline import block_specs
from stance.model.reading import ModelError
from stance.model.settings import Settings
from stance.quantify import ErrorRates
from stance.schema import TASKS
from stance.vectorize import FeatureSpace

RECORDS = ("training", "versions", "metrics")  # config entries that must be objects when present


def expect(value, kind: type, path: Path, what: str):
    """``value`` if it is of ``kind`` (dict: an object, list: a list, str: a string), else a ModelError."""
    names: dict[type, str] = {dict: "an object", list: "a list", str: "a string"}
    if not isinstance(value, kind):
        found = next((name for k, name in names.items() if isinstance(value, k)), type(value).__name__)
        raise ModelError(f"{path}: {what} must be {names[kind]}, not {found}")
    return value


def check_encoder(settings: Settings, path: Path) -> Settings:
    """``settings`` if the sentence encoder they read (if any) is installed, else a ModelError saying what to install."""
    if settings.embeddings and not encoder.available(settings.encoder):
        raise ModelError(f"{path}: {encoder.missing_message(settings.encoder)}")
    return settings


def check_config(config, path: Path, version: int) -> Settings:
    """The settings of a valid config.json of format ``version``."""
    expect(config, dict, path, "the file")
    if config.get("format_version") != version:
        raise ModelError(f"{path}: model format {str(config.get('format_version'))[:20]!r}, this stance reads format "
                         f"{version}; retrain it with `stance train --out {path.parent}`")
    labels = {task: list(values) for task, values in TASKS.items()}
    if config.get("labels") != labels:
        raise ModelError(f"{path}: trained for other labels than this stance's ({labels})")
    for key in RECORDS:
        if key in config:
            expect(config[key], dict, path, f"{key!r}")
    excluded = expect(config.get("training", {}).get("excluded", []), list, path, "'training.excluded'")
    if not set(map(type, excluded)) <= {str}:
        raise ModelError(f"{path}: 'training.excluded' must be a list of article-id prefixes (strings)")
    if "name" in config:
        expect(config["name"], str, path, "'name'")
    return stored_settings(config, path)


# What a model did before each of these settings existed: a setting a config does not record takes
# this value, never the current default (which describes new models).
BEFORE_THE_SETTING = {"actors": False, "sided": False, "speakers": False, "collective": False, "quantifier": "pcc",
                      "error_rates_from": [], "neutral_weight": 1.0, "ratio_scaling": 0.0}


def stored_settings(config: dict, path: Path) -> Settings:
    """The settings a config records; models written before the splitter was a setting keep it beside them,
    and settings added since take what such models did (BEFORE_THE_SETTING)."""
    raw = {**BEFORE_THE_SETTING, **expect(config.get("settings", {}), dict, path, "'settings'")}
    if raw.pop("classifier", "logreg") != "logreg":
        raise ModelError(f"{path}: only logistic regression models can be scored")
    if "splitter" not in raw and "splitter" in config:
        raw["splitter"] = config["splitter"]
    try:
        return Settings.from_dict(raw)
    except ValueError as error:
        raise ModelError(f"{path}: {error}") from None


def check_classes(task: str, classes, path: Path) -> list[str]:
    """A task's classes: the schema's labels, each once, in any order."""
    classes = expect(classes, list, path, f"the {task} classes")
    if len(classes) != len(TASKS[task]) or set(classes) != set(TASKS[task]):
        raise ModelError(f"{path}: the {task} classes must be {', '.join(TASKS[task])}, each once "
                         f"(found {', '.join(map(str, classes))[:200]})")
    return classes


def check_task(task: str, described, arrays: dict, settings: Settings, directory: Path) -> LinearTask:
    """One task from the value of its ``<task>.json`` and the arrays of its ``<task>.npz``."""
    json_path, npz_path = directory / f"{task}.json", directory / f"{task}.npz"
    expect(described, dict, json_path, "the file")
    classes = check_classes(task, described.get("classes"), json_path)
    vocabularies = expect(described.get("vocabularies"), dict, json_path, "'vocabularies'")
    specs = block_specs(settings, task)
    learned = [spec["name"] for spec in specs if spec["analyzer"] not in FIXED_BLOCKS]
    if sorted(vocabularies) != sorted(learned):
        raise ModelError(f"{json_path}: vocabularies for {sorted(vocabularies)}, but the settings' feature blocks "
                         f"need {sorted(learned)}")
    expected = {"coef", "intercept", *(f"idf__{name}" for name in learned)}
    if set(arrays) != expected:
        raise ModelError(f"{npz_path}: arrays {sorted(arrays)}, expected {sorted(expected)}")
    blocks = [numpy_block(spec) if spec["analyzer"] in FIXED_BLOCKS else
              numpy_block(spec, check_vocabulary(vocabularies[spec["name"]], json_path, spec["name"]),
                          check_shape(arrays[f"idf__{spec['name']}"], (len(vocabularies[spec["name"]]),),
                                      npz_path, f"idf__{spec['name']}"))
              for spec in specs]
    space = FeatureSpace(blocks)
    coef = check_shape(arrays["coef"], (len(classes), space.width), npz_path, "coef")
    intercept = check_shape(arrays["intercept"], (len(classes),), npz_path, "intercept")
    return LinearTask(classes, space, coef, intercept)


def check_vocabulary(vocabulary, path: Path, name: str) -> list[str]:
    """A block's vocabulary: a list of distinct strings."""
    expect(vocabulary, list, path, f"the {name!r} vocabulary")
    if not set(map(type, vocabulary)) <= {str}:  # JSON strings load as str exactly
        raise ModelError(f"{path}: the {name!r} vocabulary must hold only strings")
    if len(set(vocabulary)) != len(vocabulary):
        raise ModelError(f"{path}: the {name!r} vocabulary repeats terms")
    return vocabulary


def check_shape(array: np.ndarray, shape: tuple, path: Path, name: str) -> np.ndarray:
    """``array`` as floats if its shape is ``shape``."""
    if array.shape != shape:
        raise ModelError(f"{path}: array {name!r} has shape {array.shape}, expected {shape} "
                         "(from the classes and vocabularies)")
    return array.astype(float)


def check_second_pass(arrays: dict, path: Path) -> CollectivePass:
    """The collective second pass: per task, weights over COLLECTIVE_FEATURES."""
    coef, intercept = {}, {}
    for task, labels in TASKS.items():
        coef[task] = check_shape(_get(arrays, f"coef__{task}", path), (len(labels), len(COLLECTIVE_FEATURES)),
                                 path, f"coef__{task}")
        intercept[task] = check_shape(_get(arrays, f"intercept__{task}", path), (len(labels),),
                                      path, f"intercept__{task}")
    return CollectivePass(coef, intercept)


def check_rates(arrays: dict, path: Path, method: str) -> ErrorRates:
    """The quantifier's error rates: per task, at least two draws of k×k matrices with entries in [0, 1]."""
    for task, labels in TASKS.items():
        matrices, k = _get(arrays, task, path), len(labels)
        if matrices.ndim != 3 or matrices.shape[1:] != (k, k) or len(matrices) < 2:
            raise ModelError(f"{path}: {task} error rates must be draws of {k}×{k} matrices")
        if (matrices < 0).any() or (matrices > 1).any():
            raise ModelError(f"{path}: {task} error rates must lie between 0 and 1")
    if len({len(arrays[task]) for task in TASKS}) != 1:
        raise ModelError(f"{path}: the tasks have different numbers of draws")
    return ErrorRates(method, {task: arrays[task].astype(float) for task in TASKS})


def _get(arrays: dict, name: str, path: Path) -> np.ndarray:
    if name not in arrays:
        raise ModelError(f"{path}: missing array {name!r}")
    return arrays[name]
