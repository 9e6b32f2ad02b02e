"""The two sentence classifiers (stance and frame): build, fit, predict, save and load safely.

A saved model is a folder: ``stance.skops`` and ``frame.skops`` hold the fitted pipelines,
``config.json`` the label sets, settings, training-data hash, library versions and evaluation
figures, and ``README.md`` the model card. Loading goes through skops with an explicit list of
trusted types, so a model file never runs code of its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from stance.schema import TASKS

FORMAT_VERSION = 1
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
# Every type a saved pipeline may hold; anything else in a file is refused before loading.
TRUSTED_TYPES = [
    "builtins.slice",
    "numpy.dtype",
    "numpy.float64",
    "numpy.int64",
    "numpy.ndarray",
    "scipy.sparse._csr.csr_matrix",
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.compose._column_transformer.ColumnTransformer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.pipeline.Pipeline",
    "sklearn.svm._classes.LinearSVC",
    "stance.features.ActorCounts",
]


class ModelError(ValueError):
    """A model folder that cannot be loaded safely."""


@dataclass
class Model:
    """A fitted stance classifier and frame classifier, with the facts recorded about them."""

    pipelines: dict
    config: dict = field(default_factory=dict)

    def input_for(self, texts: list[str], articles: list[str]):
        """The input table this model reads, for sentences listed in article order."""
        from stance.features import model_input

        return model_input(texts, articles, lemmas=self.config["settings"].get("lemmas", False))

    def predict_proba(self, X) -> dict[str, np.ndarray]:
        """Probabilities per task, one column per label in the schema's order."""
        out = {}
        for task, labels in TASKS.items():
            pipeline = self.pipelines[task]
            proba = pipeline.predict_proba(X)
            ordered = np.zeros((len(X), len(labels)))
            for column, label in enumerate(pipeline.classes_):
                ordered[:, labels.index(label)] = proba[:, column]
            out[task] = ordered
        return out


def build_pipeline(settings: dict):
    """An unfitted scikit-learn pipeline from the model settings."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.svm import LinearSVC

    from stance.features import ActorCounts

    transformers = [("words", TfidfVectorizer(ngram_range=tuple(settings["word_ngrams"]), sublinear_tf=True), "text")]
    if settings.get("char_ngrams"):
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(settings["char_ngrams"]), sublinear_tf=True)
        transformers.append(("chars", chars, "text"))
    if settings.get("lemmas"):
        transformers.append(("lemmas", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), "lemmas"))
    if settings.get("actors"):
        transformers.append(("actors", ActorCounts(), ["text"]))
    weights = {name: 1.0 for name, _, _ in transformers}
    if settings.get("context_weight"):
        transformers.append(("context", TfidfVectorizer(sublinear_tf=True), "context"))
        weights["context"] = settings["context_weight"]
    features = ColumnTransformer(transformers, transformer_weights=weights)
    class_weight = settings.get("class_weight")
    if settings["classifier"] == "logreg":
        classifier = LogisticRegression(C=settings["C"], class_weight=class_weight, max_iter=5000)
    elif settings["classifier"] == "svm":
        classifier = CalibratedClassifierCV(LinearSVC(C=settings["C"], class_weight=class_weight), cv=3)
    else:
        raise ValueError(f"unknown classifier {settings['classifier']!r}")
    return Pipeline([("features", features), ("classifier", classifier)])


def fit_model(X, y: dict, settings: dict | None = None) -> Model:
    """Fit one pipeline per task on the input table ``X`` and labels ``y[task]``."""
    settings = {**DEFAULT_SETTINGS, **(settings or {})}
    pipelines = {task: build_pipeline(settings).fit(X, y[task]) for task in TASKS}
    return Model(pipelines, {"settings": settings})


def save_model(model: Model, directory: Path) -> None:
    """Write the model folder: weights, config.json and the model card."""
    import skops.io

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    config = {"format_version": FORMAT_VERSION, "labels": {t: list(v) for t, v in TASKS.items()}, **model.config}
    for task, pipeline in model.pipelines.items():
        skops.io.dump(pipeline, directory / f"{task}.skops")
    (directory / CONFIG).write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    from stance.card import model_card

    (directory / CARD).write_text(model_card(config), encoding="utf-8")


def load_model(directory: Path | None = None) -> Model:
    """Load a model folder, refusing foreign formats and any type not on the trusted list."""
    import skops.io

    directory = Path(directory or DEFAULT_MODEL)
    try:
        config = json.loads((directory / CONFIG).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{directory}: not a model folder (no {CONFIG})") from None
    except json.JSONDecodeError as error:
        raise ModelError(f"{directory / CONFIG}: not valid JSON ({error.msg})") from None
    if config.get("format_version") != FORMAT_VERSION:
        raise ModelError(
            f"{directory}: model format {config.get('format_version')!r}, this stance reads format "
            f"{FORMAT_VERSION}; retrain it with `stance train --out {directory}`"
        )
    pipelines = {}
    for task in TASKS:
        path = directory / f"{task}.skops"
        try:
            untrusted = [t for t in skops.io.get_untrusted_types(file=path) if t not in TRUSTED_TYPES]
        except FileNotFoundError:
            raise ModelError(f"{path}: missing model file") from None
        except Exception as error:  # skops raises many types on a corrupt archive
            raise ModelError(f"{path}: not a stance model file ({type(error).__name__})") from None
        if untrusted:
            raise ModelError(f"{path}: refused, it holds types stance does not trust: {', '.join(untrusted)}")
        pipelines[task] = skops.io.load(path, trusted=TRUSTED_TYPES)
    return Model(pipelines, config)
