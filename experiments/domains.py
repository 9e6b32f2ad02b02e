"""Feature augmentation by provenance (Daumé III's "frustratingly easy" domain adaptation), against the shipped model.

    python experiments/domains.py

The first pass reads every feature three times: once for every sentence, once more for the sentences
of the written domain (the provenances a variant does not name) and once more for those of the
real-like domain (the provenances it names), both copies times a scale. The logistic regression thus
learns weights that both domains share and weights of each domain's own. Real coverage is scored
with the shared weights plus the real-like domain's, folded into one weight matrix, so the model
scores exactly as fast as the shipped one. Each variant is the shipped settings (second pass,
neutral weight and all) with that first pass, trained on the labels the shipped model was trained on
and measured on the real development set and on the seeds (trained without them). Δ: against the
shipped settings, 95% paired bootstrap over articles. No grouped CV: a variant that loses on
held-out real text is not kept whatever it does there. Skips when the development texts are absent.
Writes experiments/results/domains.md.
"""

from __future__ import annotations

from unittest import mock

import numpy as np
import pandas as pd
import scipy.sparse as sp
from joblib import Parallel, delayed

import stance.model
from stance.evaluate import provenance_split
from stance.model import Model, Settings, build_pipeline, linear_task, load_model
from stance.model.linear import share_features
from stance.paths import LABELS
from stance.schema import TASKS
from stance.training import trained_on
from batches import held_out_labels
from dev_set import dev_set_or_skip
from tables import delta_rows, training_row, write_markdown

# name: (the provenances of the real-like domain, the scale of both domain copies); the shipped settings have none
VARIANTS: dict[str, tuple[frozenset[str], float] | None] = {
    "shipped": None,
    "seed + modelled, scale 1": (frozenset({"seed", "modelled"}), 1.0),
    "seed + modelled, scale 0.5": (frozenset({"seed", "modelled"}), 0.5),
    "seed + modelled + counterfactual, scale 0.5": (frozenset({"seed", "modelled", "counterfactual"}), 0.5),
}


def augmented(rows, real_like: np.ndarray, scale: float):
    """The feature rows, then their copy on the written domain's rows, then on the real-like rows
    (``real_like``: 1 or 0 per row), both copies times ``scale``."""
    return sp.hstack([rows, scale * sp.diags(1.0 - real_like) @ rows, scale * sp.diags(real_like) @ rows]).tocsr()


def folded(coef: np.ndarray, width: int, scale: float) -> np.ndarray:
    """The weights of an augmented classifier that score a real-like sentence's ``width`` plain features."""
    return coef[:, :width] + scale * coef[:, 2 * width:]


def domain_fitter(real_like_articles: frozenset[str], scale: float):
    """A stance.model.fit_model that learns on augmented features, the real-like domain being these articles'."""
    from threadpoolctl import threadpool_limits

    def fit(X, y: dict, settings: Settings | None = None) -> Model:
        settings = settings or Settings()
        real_like = X["article"].isin(real_like_articles).to_numpy(dtype=float)
        tasks = {}
        with threadpool_limits(limits=1):
            for task in TASKS:
                pipeline = build_pipeline(settings, task)
                features, classifier = pipeline.named_steps["features"], pipeline.named_steps["classifier"]
                rows = sp.csr_matrix(features.fit_transform(X, y[task]))
                classifier.fit(augmented(rows, real_like, scale), y[task])
                classifier.coef_ = folded(classifier.coef_, rows.shape[1], scale)
                tasks[task] = linear_task(pipeline, settings, task)
        return Model(share_features(tasks), settings)

    return fit


def predictions(variant: tuple[frozenset[str], float] | None, gold, dev, settings: Settings) -> dict:
    """A variant's labels on the development set (trained on ``gold``) and on the seeds (trained without them)."""
    unseeded, seeds = provenance_split(gold, "seed")
    fitter = stance.model.fit_model
    if variant is not None:
        provenances, scale = variant
        fitter = domain_fitter(frozenset(gold.loc[gold["provenance"].isin(provenances), "article"]), scale)
    with mock.patch.object(stance.model, "fit_model", fitter):  # stance.evaluate fits every pass through it
        return {"dev": held_out_labels(gold, settings, dev), "seeds": held_out_labels(unseeded, settings, seeds)}


def main() -> None:
    dev = dev_set_or_skip().gold
    shipped = load_model()
    gold = trained_on(shipped, LABELS)
    seeds = provenance_split(gold, "seed")[1]
    labels = dict(zip(VARIANTS, Parallel(n_jobs=2)(delayed(predictions)(variant, gold, dev, shipped.settings)
                                                   for variant in VARIANTS.values())))
    pooled = pd.concat([dev, seeds], ignore_index=True)
    rows = ["| variant | dev stance | dev frame | seeds stance | seeds frame | dev per class |", "|---" * 6 + "|"]
    deltas = ["| variant | task | Δ dev | Δ seeds | Δ dev and seeds pooled |", "|---" * 5 + "|"]
    both = {name: {task: np.concatenate([on["dev"][task], on["seeds"][task]]) for task in TASKS}
            for name, on in labels.items()}
    for name, on in labels.items():
        rows.append(training_row([name], dev, seeds, on["dev"], on["seeds"]))
        if name != "shipped":
            deltas += delta_rows(name, pooled, len(dev), both["shipped"], both[name])
    header = ["# Feature augmentation by provenance", "",
              "`python experiments/domains.py`; macro-F1; the shipped settings, their first pass learning shared and "
              "per-domain weights (written domain: the other provenances), real text scored with the shared weights "
              "plus the real-like domain's; trained on the labels the shipped model was trained on (seeds: trained "
              "without them).", ""]
    write_markdown("domains.md", header + rows + ["", *deltas])


if __name__ == "__main__":
    main()
