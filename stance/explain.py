"""Which features a model weighs most per label, and which terms pushed a sentence toward its label.

For a linear model the score of label k is a sum over features of value × weight[k]; a term's
contribution to the predicted label is its value times that label's weight minus the mean weight
over labels (what moves the label ahead of the others). Calibrated SVMs average their folds' weights.
"""

from __future__ import annotations

import numpy as np

from stance.schema import TASKS


def _weights(pipeline) -> np.ndarray:
    """The (labels × features) weight matrix of a pipeline's linear classifier."""
    classifier = pipeline.named_steps["classifier"]
    if hasattr(classifier, "calibrated_classifiers_"):
        return np.mean([c.estimator.coef_ for c in classifier.calibrated_classifiers_], axis=0)
    return classifier.coef_


def _feature_names(pipeline) -> np.ndarray:
    """Readable feature names: 'words: mission', 'chars: «trah»', 'actors: actors_musk'."""
    names = pipeline.named_steps["features"].get_feature_names_out()
    readable = []
    for name in names:
        block, _, feature = name.partition("__")
        readable.append(f"{block}: «{feature}»" if block == "chars" else f"{block}: {feature}")
    return np.array(readable, dtype=object)


def top_features(model, n: int = 15):
    """The n features with the largest weight toward each label, for both tasks."""
    import pandas as pd

    rows = []
    for task in TASKS:
        pipeline = model.pipelines[task]
        weights, names = _relative(_weights(pipeline)), _feature_names(pipeline)
        for k, label in enumerate(pipeline.classes_):
            for j in np.argsort(-weights[k])[:n]:
                rows.append({"task": task, "label": label, "feature": names[j], "weight": float(weights[k, j])})
    return pd.DataFrame(rows)


def explain_sentence(model, text: str, n: int = 8):
    """The terms that pushed one sentence toward its predicted label, per task."""
    import pandas as pd

    X = model.input_for([text], ["sentence"])
    proba = model.predict_proba(X)
    rows = []
    for task, labels in TASKS.items():
        pipeline = model.pipelines[task]
        label = labels[int(proba[task][0].argmax())]
        k = list(pipeline.classes_).index(label)
        values = pipeline.named_steps["features"].transform(X).toarray()[0]
        contributions = values * _relative(_weights(pipeline))[k]
        names = _feature_names(pipeline)
        for j in np.argsort(-contributions)[:n]:
            if contributions[j] > 0:
                rows.append({"task": task, "label": label, "probability": float(proba[task][0].max()),
                             "feature": names[j], "contribution": float(contributions[j])})
    return pd.DataFrame(rows, columns=["task", "label", "probability", "feature", "contribution"])


def _relative(weights: np.ndarray) -> np.ndarray:
    """Weights relative to their mean over the labels."""
    return weights - weights.mean(axis=0, keepdims=True)
