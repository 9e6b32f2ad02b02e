"""The two sentence classifiers (stance and frame): build, fit, predict, save and load safely.

Each task is a scikit-learn pipeline while it learns (feature blocks in a ColumnTransformer, then
a multinomial logistic regression) and a LinearTask once fitted: what the feature blocks learned,
applied with numpy (stance.vectorize), and the weights, which predict exactly what the pipeline
would; scoring never imports scikit-learn. A saved model is a folder holding, per
task, ``<task>.json`` (labels and vocabularies) and ``<task>.npz`` (idf vectors and weights, read
with ``allow_pickle=False``), plus ``config.json`` (label sets, settings, training-data hash,
library versions, evaluation figures) and ``README.md`` (the model card). Nothing in the folder
is code, so loading it cannot run any.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from stance.collective import FEATURES as COLLECTIVE_FEATURES
from stance.collective import CollectivePass
from stance.quantify import METHODS as QUANTIFIERS
from stance.quantify import ErrorRates
from stance.schema import TASKS
from stance.vectorize import ActorBlock, Cells, FeatureSpace, TfidfBlock

FORMAT_VERSION = 2
CONFIG = "config.json"
SECOND_PASS = "collective.npz"
ERROR_RATES = "error_rates.npz"
CARD = "README.md"
DEFAULT_MODEL = Path(__file__).parent / "models" / "default"
DEFAULT_SETTINGS = {
    "word_ngrams": [1, 2],
    "char_ngrams": [2, 5],
    "context_weight": 0.5,
    "lemmas": False,
    "actors": False,
    "classifier": "logreg",
    "C": 4.0,
    "class_weight": "balanced",
    "collective": False,
    "quantifier": "pcc",
    "error_rates_from": [],
}


class ModelError(ValueError):
    """A model folder that cannot be loaded safely."""


def block_specs(settings: dict) -> list[dict]:
    """The feature blocks a model's settings ask for: name, analyzer, input column, n-grams, weight."""
    specs = [{"name": "words", "analyzer": "word", "column": "text", "ngram_range": tuple(settings["word_ngrams"])}]
    if settings.get("char_ngrams"):
        specs.append({"name": "chars", "analyzer": "char_wb", "column": "text", "ngram_range": tuple(settings["char_ngrams"])})
    if settings.get("lemmas"):
        specs.append({"name": "lemmas", "analyzer": "word", "column": "lemmas", "ngram_range": (1, 2)})
    if settings.get("actors"):
        specs.append({"name": "actors", "analyzer": "actors", "column": "text", "ngram_range": None})
    if settings.get("context_weight"):
        specs.append({"name": "context", "analyzer": "word", "column": "context", "ngram_range": (1, 1),
                      "weight": float(settings["context_weight"])})
    return [{"weight": 1.0, **spec} for spec in specs]


def feature_blocks(settings: dict) -> list[tuple[str, object, object, float]]:
    """The unfitted scikit-learn feature blocks of a model: (name, transformer, input column(s), weight)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from stance.actors import ActorCounts

    blocks = []
    for spec in block_specs(settings):
        if spec["analyzer"] == "actors":
            blocks.append((spec["name"], ActorCounts(), [spec["column"]], spec["weight"]))
        else:
            vectorizer = TfidfVectorizer(analyzer=spec["analyzer"], ngram_range=spec["ngram_range"], sublinear_tf=True)
            blocks.append((spec["name"], vectorizer, spec["column"], spec["weight"]))
    return blocks


def numpy_block(spec: dict, vocabulary=None, idf=None):
    """One feature block ready to score (stance.vectorize), from its spec and what it learned."""
    if spec["analyzer"] == "actors":
        return ActorBlock(spec["name"], spec["column"], spec["weight"])
    return TfidfBlock(spec["name"], spec["column"], spec["analyzer"], spec["ngram_range"], list(vocabulary),
                      np.asarray(idf, dtype=float), spec["weight"])


def build_pipeline(settings: dict):
    """An unfitted scikit-learn pipeline from the model settings."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.svm import LinearSVC

    blocks = feature_blocks(settings)
    features = ColumnTransformer([(name, t, column) for name, t, column, _ in blocks],
                                 transformer_weights={name: weight for name, _, _, weight in blocks})
    class_weight = settings.get("class_weight")
    if settings["classifier"] == "logreg":
        classifier = LogisticRegression(C=settings["C"], class_weight=class_weight, max_iter=5000)
    elif settings["classifier"] == "svm":
        classifier = CalibratedClassifierCV(LinearSVC(C=settings["C"], class_weight=class_weight), cv=3)
    else:
        raise ValueError(f"unknown classifier {settings['classifier']!r}")
    return Pipeline([("features", features), ("classifier", classifier)])


@dataclass
class LinearTask:
    """One fitted classifier: a feature space, then softmax(features · coef + intercept)."""

    classes: list[str]
    space: FeatureSpace
    coef: np.ndarray
    intercept: np.ndarray

    @classmethod
    def from_pipeline(cls, pipeline, settings: dict) -> LinearTask:
        features, classifier = pipeline.named_steps["features"], pipeline.named_steps["classifier"]
        if not hasattr(classifier, "coef_"):
            raise ValueError("only logistic regression models can be exported")
        blocks = []
        for spec in block_specs(settings):
            fitted = features.named_transformers_[spec["name"]]
            if hasattr(fitted, "vocabulary_"):
                blocks.append(numpy_block(spec, fitted.get_feature_names_out(), fitted.idf_))
            else:
                blocks.append(numpy_block(spec))
        coef, intercept = classifier.coef_, classifier.intercept_
        if len(classifier.classes_) == 2:  # a binary model (a label missing from training): sigmoid = softmax of [0, w]
            coef, intercept = np.vstack([np.zeros_like(coef), coef]), np.concatenate([[0.0], intercept])
        return cls(list(classifier.classes_), FeatureSpace(blocks), coef, intercept)

    def feature_names(self) -> list[str]:
        return self.space.feature_names()

    def proba_from(self, cells: Cells) -> np.ndarray:
        """Probabilities from the feature matrix of this task's space."""
        scores = cells.scores(self.coef) + self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def predict_proba(self, X) -> np.ndarray:
        return self.proba_from(self.space.transform(X))


@dataclass
class Model:
    """A fitted stance classifier and frame classifier, with the facts recorded about them."""

    tasks: dict[str, LinearTask]
    config: dict = field(default_factory=dict)
    second_pass: CollectivePass | None = None
    rates: ErrorRates = field(default_factory=ErrorRates.identity)

    def input_for(self, texts: list[str], articles: list[str]) -> dict[str, list[str]]:
        """The input columns this model reads, for sentences listed in article order."""
        from stance.features import sentence_inputs

        return sentence_inputs(texts, articles, lemmas=self.config["settings"].get("lemmas", False))

    def predict_proba(self, X) -> dict[str, np.ndarray]:
        """Probabilities per task, one column per label in the schema's order (shared features computed once)."""
        out, computed = {}, {}
        for task, labels in TASKS.items():
            linear = self.tasks[task]
            if id(linear.space) not in computed:
                computed[id(linear.space)] = linear.space.transform(X)
            proba = linear.proba_from(computed[id(linear.space)])
            ordered = np.zeros((len(proba), len(labels)))
            for column, label in enumerate(linear.classes):
                ordered[:, labels.index(label)] = proba[:, column]
            out[task] = ordered
        return out


def fit_model(X, y: dict, settings: dict | None = None) -> Model:
    """Fit one classifier per task on the input table ``X`` and labels ``y[task]``."""
    settings = {**DEFAULT_SETTINGS, **(settings or {})}
    tasks = {task: LinearTask.from_pipeline(build_pipeline(settings).fit(X, y[task]), settings) for task in TASKS}
    return Model(_share_features(tasks), {"settings": settings})


def _share_features(tasks: dict[str, LinearTask]) -> dict[str, LinearTask]:
    """Give tasks with identical feature spaces one space, so scoring computes the features once."""
    first = next(iter(tasks.values()))
    for linear in tasks.values():
        if linear.space.same_as(first.space):
            linear.space = first.space
    return tasks


def save_model(model: Model, directory: Path) -> None:
    """Write the model folder: per-task JSON and arrays, config.json and the model card."""
    from stance.card import model_card

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    config = {"format_version": FORMAT_VERSION, "labels": {t: list(v) for t, v in TASKS.items()}, **model.config}
    for task, linear in model.tasks.items():
        learned = [block for block in linear.space.blocks if hasattr(block, "idf")]
        vocabularies = {block.name: list(block.vocabulary) for block in learned}
        _write_json(directory / f"{task}.json", {"classes": linear.classes, "vocabularies": vocabularies})
        arrays = {f"idf__{block.name}": block.idf for block in learned}
        with open(directory / f"{task}.npz", "wb") as handle:
            np.savez(handle, coef=linear.coef, intercept=linear.intercept, **arrays)
    if model.second_pass is not None:
        with open(directory / SECOND_PASS, "wb") as handle:
            np.savez(handle, **{f"coef__{t}": model.second_pass.coef[t] for t in TASKS},
                     **{f"intercept__{t}": model.second_pass.intercept[t] for t in TASKS})
    if model.rates.method in ("acc", "pacc"):
        with open(directory / ERROR_RATES, "wb") as handle:
            np.savez(handle, **{t: np.ascontiguousarray(model.rates.matrices[t]) for t in TASKS})
    _write_json(directory / CONFIG, config)
    (directory / CARD).write_text(model_card(config), encoding="utf-8")


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def load_model(directory: Path | None = None) -> Model:
    """Load a model folder, refusing foreign formats and anything that is not plain data."""
    directory = Path(directory or DEFAULT_MODEL)
    config = _read_json(directory / CONFIG, what="not a model folder")
    if config.get("format_version") != FORMAT_VERSION:
        raise ModelError(
            f"{directory}: model format {config.get('format_version')!r}, this stance reads format "
            f"{FORMAT_VERSION}; retrain it with `stance train --out {directory}`")
    settings = {**DEFAULT_SETTINGS, **config.get("settings", {})}
    tasks = _share_features({task: _load_task(directory, task, settings) for task in TASKS})
    return Model(tasks, config, _load_second_pass(directory, settings), _load_rates(directory, settings))


def _read_arrays(path: Path) -> dict[str, np.ndarray]:
    """The arrays of an npz file, refusing pickles, non-archives and anything but finite real numbers."""
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except FileNotFoundError:
        raise ModelError(f"{path}: missing model file") from None
    except (ValueError, OSError) as error:  # a pickle, or not an npz archive at all
        raise ModelError(f"{path}: refused, not a plain array file ({error})") from None
    for name, array in arrays.items():
        if not (np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)):
            raise ModelError(f"{path}: array {name!r} is not real numbers")
        if not np.isfinite(array).all():
            raise ModelError(f"{path}: array {name!r} holds NaN or infinite values")
    return arrays


def _load_second_pass(directory: Path, settings: dict) -> CollectivePass | None:
    if not settings.get("collective"):
        return None
    arrays = _read_arrays(directory / SECOND_PASS)
    try:
        second = CollectivePass({t: arrays[f"coef__{t}"] for t in TASKS}, {t: arrays[f"intercept__{t}"] for t in TASKS})
    except KeyError as error:
        raise ModelError(f"{directory / SECOND_PASS}: missing array {error}") from None
    for task, labels in TASKS.items():
        if second.coef[task].shape != (len(labels), len(COLLECTIVE_FEATURES)) or second.intercept[task].shape != (len(labels),):
            raise ModelError(f"{directory / SECOND_PASS}: {task} weights have the wrong shape")
    return second


def _load_rates(directory: Path, settings: dict) -> ErrorRates:
    method = settings.get("quantifier", "pcc")
    if method not in QUANTIFIERS:
        raise ModelError(f"{directory / CONFIG}: unknown quantifier {method!r}")
    if method in ("cc", "pcc"):
        return ErrorRates.identity(method)
    arrays = _read_arrays(directory / ERROR_RATES)
    for task, labels in TASKS.items():
        matrices = arrays.get(task)
        k = len(labels)
        if matrices is None or matrices.ndim != 3 or matrices.shape[1:] != (k, k) or len(matrices) < 2:
            raise ModelError(f"{directory / ERROR_RATES}: {task} error rates must be draws of {k}×{k} matrices")
        if (matrices < 0).any() or (matrices > 1).any():
            raise ModelError(f"{directory / ERROR_RATES}: {task} error rates must lie between 0 and 1")
    if len({len(arrays[t]) for t in TASKS}) != 1:
        raise ModelError(f"{directory / ERROR_RATES}: the tasks have different numbers of draws")
    return ErrorRates(method, {t: arrays[t].astype(float) for t in TASKS})


def _read_json(path: Path, what: str):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{path.parent}: {what} (no {path.name})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ModelError(f"{path}: not valid JSON ({error})") from None


def _load_task(directory: Path, task: str, settings: dict) -> LinearTask:
    described = _read_json(directory / f"{task}.json", what="not a complete model folder")
    arrays = _read_arrays(directory / f"{task}.npz")
    try:
        blocks = [numpy_block(spec) if spec["analyzer"] == "actors" else
                  numpy_block(spec, described["vocabularies"][spec["name"]], arrays[f"idf__{spec['name']}"])
                  for spec in block_specs(settings)]
        linear = LinearTask(list(described["classes"]), FeatureSpace(blocks), arrays["coef"], arrays["intercept"])
        width = linear.space.width
        if linear.coef.shape != (len(linear.classes), width) or linear.intercept.shape != (len(linear.classes),):
            raise ValueError("weights do not match the vocabularies")
    except (KeyError, ValueError, TypeError) as error:
        raise ModelError(f"{directory}: inconsistent {task} model files ({error})") from None
    return linear
