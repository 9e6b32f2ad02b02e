"""The two sentence classifiers (stance and frame): build, fit, predict, save and load safely.

Each task is a scikit-learn pipeline while it learns (feature blocks in a ColumnTransformer, then
a multinomial logistic regression) and a LinearTask once fitted: the fitted feature blocks and the
weights, which predict exactly what the pipeline would. A saved model is a folder holding, per
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

from stance.schema import TASKS

FORMAT_VERSION = 2
CONFIG = "config.json"
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
}


class ModelError(ValueError):
    """A model folder that cannot be loaded safely."""


def feature_blocks(settings: dict) -> list[tuple[str, object, object, float]]:
    """The unfitted feature blocks of a model: (name, transformer, input column(s), weight)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from stance.features import ActorCounts

    blocks = [("words", TfidfVectorizer(ngram_range=tuple(settings["word_ngrams"]), sublinear_tf=True), "text", 1.0)]
    if settings.get("char_ngrams"):
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(settings["char_ngrams"]), sublinear_tf=True)
        blocks.append(("chars", chars, "text", 1.0))
    if settings.get("lemmas"):
        blocks.append(("lemmas", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), "lemmas", 1.0))
    if settings.get("actors"):
        blocks.append(("actors", ActorCounts(), ["text"], 1.0))
    if settings.get("context_weight"):
        blocks.append(("context", TfidfVectorizer(sublinear_tf=True), "context", float(settings["context_weight"])))
    return blocks


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
    """One fitted classifier: feature blocks, then softmax(features · coef + intercept)."""

    classes: list[str]
    blocks: list  # (name, fitted transformer, input column(s), weight)
    coef: np.ndarray
    intercept: np.ndarray

    @classmethod
    def from_pipeline(cls, pipeline) -> "LinearTask":
        features, classifier = pipeline.named_steps["features"], pipeline.named_steps["classifier"]
        if not hasattr(classifier, "coef_"):
            raise ValueError("only logistic regression models can be exported")
        blocks = [(name, features.named_transformers_[name], column, features.transformer_weights[name])
                  for name, _, column in features.transformers]
        coef, intercept = classifier.coef_, classifier.intercept_
        if len(classifier.classes_) == 2:  # a binary model (a label missing from training): sigmoid = softmax of [0, w]
            coef, intercept = np.vstack([np.zeros_like(coef), coef]), np.concatenate([[0.0], intercept])
        return cls(list(classifier.classes_), blocks, coef, intercept)

    def features(self, X):
        """The weighted feature matrix of an input table (sparse, one row per sentence)."""
        from scipy import sparse

        return sparse.hstack([weight * sparse.csr_matrix(t.transform(X[column]))
                              for _, t, column, weight in self.blocks]).tocsr()

    def feature_names(self) -> list[str]:
        return [f"{name}__{n}" for name, t, _, _ in self.blocks for n in t.get_feature_names_out()]

    def predict_proba(self, X) -> np.ndarray:
        scores = self.features(X) @ self.coef.T + self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)


@dataclass
class Model:
    """A fitted stance classifier and frame classifier, with the facts recorded about them."""

    tasks: dict[str, LinearTask]
    config: dict = field(default_factory=dict)

    def input_for(self, texts: list[str], articles: list[str]):
        """The input table this model reads, for sentences listed in article order."""
        from stance.features import model_input

        return model_input(texts, articles, lemmas=self.config["settings"].get("lemmas", False))

    def predict_proba(self, X) -> dict[str, np.ndarray]:
        """Probabilities per task, one column per label in the schema's order."""
        out = {}
        for task, labels in TASKS.items():
            linear = self.tasks[task]
            proba = linear.predict_proba(X)
            ordered = np.zeros((len(X), len(labels)))
            for column, label in enumerate(linear.classes):
                ordered[:, labels.index(label)] = proba[:, column]
            out[task] = ordered
        return out


def fit_model(X, y: dict, settings: dict | None = None) -> Model:
    """Fit one classifier per task on the input table ``X`` and labels ``y[task]``."""
    settings = {**DEFAULT_SETTINGS, **(settings or {})}
    tasks = {task: LinearTask.from_pipeline(build_pipeline(settings).fit(X, y[task])) for task in TASKS}
    return Model(tasks, {"settings": settings})


def save_model(model: Model, directory: Path) -> None:
    """Write the model folder: per-task JSON and arrays, config.json and the model card."""
    from stance.card import model_card

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    config = {"format_version": FORMAT_VERSION, "labels": {t: list(v) for t, v in TASKS.items()}, **model.config}
    for task, linear in model.tasks.items():
        vocabularies = {name: sorted(t.vocabulary_, key=t.vocabulary_.get)
                        for name, t, _, _ in linear.blocks if hasattr(t, "vocabulary_")}
        _write_json(directory / f"{task}.json", {"classes": linear.classes, "vocabularies": vocabularies})
        arrays = {f"idf__{name}": t.idf_ for name, t, _, _ in linear.blocks if hasattr(t, "idf_")}
        with open(directory / f"{task}.npz", "wb") as handle:
            np.savez(handle, coef=linear.coef, intercept=linear.intercept, **arrays)
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
    return Model({task: _load_task(directory, task, settings) for task in TASKS}, config)


def _read_json(path: Path, what: str):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{path.parent}: {what} (no {path.name})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ModelError(f"{path}: not valid JSON ({error})") from None


def _load_task(directory: Path, task: str, settings: dict) -> LinearTask:
    described = _read_json(directory / f"{task}.json", what="not a complete model folder")
    path = directory / f"{task}.npz"
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except FileNotFoundError:
        raise ModelError(f"{path}: missing model file") from None
    except (ValueError, OSError) as error:  # a pickle, or not an npz archive at all
        raise ModelError(f"{path}: refused, not a plain array file ({error})") from None
    try:
        blocks = []
        for name, transformer, column, weight in feature_blocks(settings):
            if hasattr(transformer, "vocabulary"):
                transformer.set_params(vocabulary=described["vocabularies"][name])
                transformer.idf_ = arrays[f"idf__{name}"]
            else:
                transformer.fit(np.array([[""]], dtype=object))
            blocks.append((name, transformer, column, weight))
        linear = LinearTask(list(described["classes"]), blocks, arrays["coef"], arrays["intercept"])
        width = sum(len(t.get_feature_names_out()) for _, t, _, _ in blocks)
        if linear.coef.shape != (len(linear.classes), width) or linear.intercept.shape != (len(linear.classes),):
            raise ValueError("weights do not match the vocabularies")
    except (KeyError, ValueError, TypeError) as error:
        raise ModelError(f"{directory}: inconsistent {task} model files ({error})") from None
    return linear
