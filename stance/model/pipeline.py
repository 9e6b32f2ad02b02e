"""Learning: the scikit-learn pipeline of each task, fitted, then exported as numpy LinearTasks.

Each task is a pipeline while it learns (feature blocks in a ColumnTransformer, then a multinomial
logistic regression); once fitted, what the blocks learned and the weights become a LinearTask
(stance.model.linear). scikit-learn is imported only inside the functions that fit, so loading
and scoring a model never imports it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from stance.model.linear import LinearTask, Model, numpy_block, share_features
from stance.model.settings import Settings
from stance.schema import TASKS
from stance.vectorize import FeatureSpace

SOLVER = "newton-cg"  # reaches the optimum in about 10 Newton steps: a fifth of lbfgs's time at the same tolerance
SOLVER_TOL = 1e-8  # solved to the optimum: at scikit-learn's default 1e-4, lbfgs stopped up to 0.07 short on the stance
# weights, a distance that the BLAS build, thread count and process moved, so a rebuild did not give the shipped weights


def logistic_regression(C: float, class_weight):
    """The multinomial logistic regression of every pass, solved to SOLVER_TOL by SOLVER."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, class_weight=class_weight, solver=SOLVER, max_iter=5000, tol=SOLVER_TOL)


def block_specs(settings: Settings, task: str) -> list[dict]:
    """The feature blocks the settings ask for in one task's classifier: name, analyzer, input column,
    n-grams, weight (and the options a fixed block is built with)."""
    specs: list[dict[str, Any]] = [{"name": "words", "analyzer": "word", "column": "text", "ngram_range": settings.word_ngrams}]
    if settings.char_ngrams:
        specs.append({"name": "chars", "analyzer": "char_wb", "column": "text", "ngram_range": settings.char_ngrams})
    if settings.lemmas:
        specs.append({"name": "lemmas", "analyzer": "word", "column": "lemmas", "ngram_range": (1, 2)})
    if settings.actors:
        specs.append({"name": "actors", "analyzer": "actors", "column": "text", "ngram_range": None})
    if settings.sided:
        specs.append({"name": "sided", "analyzer": "word", "column": "sided", "ngram_range": (1, 3)})
    if settings.speakers:
        specs.append({"name": "speakers", "analyzer": "word", "column": "speakers", "ngram_range": (1, 2)})
    if settings.embeddings:
        specs.append({"name": "embeddings", "analyzer": "embeddings", "column": "text", "ngram_range": None,
                      "weight": settings.embeddings, "options": {"encoder": settings.encoder}})
    if settings.context_weight:
        specs.append({"name": "context", "analyzer": "word", "column": "context", "ngram_range": (1, 1),
                      "weight": settings.context_weight})
    return [{"weight": 1.0, **spec} for spec in specs if settings.reads(task, spec["name"])]


def feature_blocks(settings: Settings, task: str) -> list[tuple[str, object, object, float]]:
    """The unfitted scikit-learn feature blocks of a task's classifier: (name, transformer, input column(s), weight)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from stance.actors import ActorCounts
    from stance.sentence_embeddings import SentenceEmbeddings

    fixed = {"actors": ActorCounts, "embeddings": SentenceEmbeddings}
    blocks: list[tuple[str, object, object, float]] = []
    for spec in block_specs(settings, task):
        if spec["analyzer"] in fixed:
            transformer = fixed[spec["analyzer"]](**spec.get("options", {}))
            blocks.append((spec["name"], transformer, [spec["column"]], spec["weight"]))
        else:
            vectorizer = TfidfVectorizer(analyzer=spec["analyzer"], ngram_range=spec["ngram_range"], sublinear_tf=True)
            blocks.append((spec["name"], vectorizer, spec["column"], spec["weight"]))
    return blocks


def build_pipeline(settings: Settings, task: str):
    """An unfitted scikit-learn pipeline of one task: its feature blocks, their log-count-ratio weighing
    if the settings ask for it, then a logistic regression."""
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline

    from stance.ratio_scaling import RatioScaling

    blocks = feature_blocks(settings, task)
    features = ColumnTransformer([(name, t, column) for name, t, column, _ in blocks],
                                 transformer_weights={name: weight for name, _, _, weight in blocks})
    scaling = [("scaling", RatioScaling(power=settings.ratio_scaling))] if settings.ratio_scaling else []
    classifier = logistic_regression(settings.C, settings.class_weight)
    return Pipeline([("features", features), *scaling, ("classifier", classifier)])


def linear_task(pipeline, settings: Settings, task: str) -> LinearTask:
    """The LinearTask that predicts exactly what a fitted pipeline of these settings and task predicts."""
    features, classifier = pipeline.named_steps["features"], pipeline.named_steps["classifier"]
    blocks = []
    for spec in block_specs(settings, task):
        fitted = features.named_transformers_[spec["name"]]
        if hasattr(fitted, "vocabulary_"):
            blocks.append(numpy_block(spec, fitted.get_feature_names_out(), fitted.idf_))
        else:
            blocks.append(numpy_block(spec))
    coef, intercept = classifier.coef_, classifier.intercept_
    if "scaling" in pipeline.named_steps:  # weights on scaled features are these weights times the scale
        coef = coef * pipeline.named_steps["scaling"].scale_
    if len(classifier.classes_) == 2:  # a binary model (a label missing from training): sigmoid = softmax of [0, w]
        coef, intercept = np.vstack([np.zeros_like(coef), coef]), np.concatenate([[0.0], intercept])
    return LinearTask(list(classifier.classes_), FeatureSpace(blocks), coef, intercept)


def fit_model(X, y: dict, settings: Settings | None = None) -> Model:
    """Fit one classifier per task on the input table ``X`` and labels ``y[task]``, with one BLAS thread (the same
    weights however many the machine has)."""
    from threadpoolctl import threadpool_limits

    settings = settings or Settings()
    with threadpool_limits(limits=1):
        tasks = {task: linear_task(build_pipeline(settings, task).fit(X, y[task]), settings, task) for task in TASKS}
    return Model(share_features(tasks), settings)
