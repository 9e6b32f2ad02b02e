"""Treating the written and the real-like training articles apart, against the shipped model.

    python experiments/domains.py             # feature augmentation → experiments/results/domains.md
    python experiments/domains.py --weights   # instance weights    → experiments/results/domains_weights.md

Feature augmentation by provenance (Daumé III's "frustratingly easy" domain adaptation): the first
pass reads every feature three times: once for every sentence, once more for the sentences of the
written domain (the provenances a variant does not name) and once more for those of the real-like
domain (the provenances it names), both copies times a scale. The logistic regression thus learns
weights that both domains share and weights of each domain's own. Real coverage is scored with the
shared weights plus the real-like domain's, folded into one weight matrix, so the model scores
exactly as fast as the shipped one. Instance weights: the first pass weighs each real-like
sentence's loss by a factor against a written one's 1 (all weights then divided by their mean, so
that the regularisation keeps its strength). Each variant is the shipped settings (second pass,
neutral weight and all) with that first pass, trained on the labels the shipped model was trained on
and measured on the real development set and on the seeds (trained without them). Δ: against the
shipped settings, 95% paired bootstrap over articles. No grouped CV: a variant that loses on
held-out real text is not kept whatever it does there. Skips when the development texts are absent.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from unittest import mock

import numpy as np
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
from tables import variant_tables, write_markdown

Fitter = Callable[..., Model]
REAL_LIKE = frozenset({"seed", "modelled", "counterfactual"})
# name: (the provenances of the real-like domain, the scale of both domain copies)
AUGMENTED: dict[str, tuple[frozenset[str], float]] = {
    "seed + modelled, scale 1": (frozenset({"seed", "modelled"}), 1.0),
    "seed + modelled, scale 0.5": (frozenset({"seed", "modelled"}), 0.5),
    "seed + modelled + counterfactual, scale 0.5": (REAL_LIKE, 0.5),
}
# name: (the provenances of the real-like domain, the weight of each of its sentences against a written one's 1)
WEIGHTED: dict[str, tuple[frozenset[str], float]] = {
    "seed + modelled + counterfactual, weight 2": (REAL_LIKE, 2.0),
    "seed + modelled + counterfactual, weight 0.5": (REAL_LIKE, 0.5),
}


def augmented(rows, real_like: np.ndarray, scale: float):
    """The feature rows, then their copy on the written domain's rows, then on the real-like rows
    (``real_like``: 1 or 0 per row), both copies times ``scale``."""
    return sp.hstack([rows, scale * sp.diags(1.0 - real_like) @ rows, scale * sp.diags(real_like) @ rows]).tocsr()


def folded(coef: np.ndarray, width: int, scale: float) -> np.ndarray:
    """The weights of an augmented classifier that score a real-like sentence's ``width`` plain features."""
    return coef[:, :width] + scale * coef[:, 2 * width:]


def domain_fitter(real_like_articles: frozenset[str], scale: float) -> Fitter:
    """A stance.model.fit_model that learns on augmented features, the real-like domain being these articles'."""
    from threadpoolctl import threadpool_limits

    def fit(X, y: dict, settings: Settings | None = None) -> Model:
        settings = settings or Settings()
        real_like = X["article"].isin(real_like_articles).to_numpy(dtype=float)
        tasks = {}
        with threadpool_limits(limits=1):
            for task in TASKS:
                pipeline = build_pipeline(settings, task)
                classifier = pipeline.named_steps["classifier"]
                rows = sp.csr_matrix(pipeline[:-1].fit_transform(X, y[task]))  # the features, scaled as the settings ask
                classifier.fit(augmented(rows, real_like, scale), y[task])
                classifier.coef_ = folded(classifier.coef_, rows.shape[1], scale)
                tasks[task] = linear_task(pipeline, settings, task)
        return Model(share_features(tasks), settings)

    return fit


def weighted_fitter(real_like_articles: frozenset[str], weight: float) -> Fitter:
    """A stance.model.fit_model whose first pass weighs these articles' sentences by ``weight`` against the others' 1."""
    from threadpoolctl import threadpool_limits

    def fit(X, y: dict, settings: Settings | None = None) -> Model:
        settings = settings or Settings()
        weights = np.where(X["article"].isin(real_like_articles), weight, 1.0)
        weights /= weights.mean()  # the same total weight as the shipped fit's: C keeps its strength
        with threadpool_limits(limits=1):
            tasks = {task: linear_task(build_pipeline(settings, task).fit(X, y[task], classifier__sample_weight=weights),
                                       settings, task) for task in TASKS}
        return Model(share_features(tasks), settings)

    return fit


def fitted_labels(fitter: Fitter | None, train, settings: Settings, test) -> dict:
    """batches.held_out_labels with every first pass fitted by ``fitter`` (None: stance.model.fit_model)."""
    with mock.patch.object(stance.model, "fit_model", fitter or stance.model.fit_model):  # stance.evaluate fits through it
        return held_out_labels(train, settings, test)


def predictions(fitter: Fitter | None, gold, dev, settings: Settings) -> dict:
    """The labels of a first pass fitted by ``fitter`` (None: the shipped one) on the development set (trained on
    ``gold``) and on the seeds (trained without them)."""
    unseeded, seeds = provenance_split(gold, "seed")
    return {"dev": fitted_labels(fitter, gold, settings, dev), "seeds": fitted_labels(fitter, unseeded, settings, seeds)}


AUGMENTED_HEADER = ["# Feature augmentation by provenance", "",
                    "`python experiments/domains.py`; macro-F1; the shipped settings, their first pass learning shared "
                    "and per-domain weights (written domain: the other provenances), real text scored with the shared "
                    "weights plus the real-like domain's; trained on the labels the shipped model was trained on "
                    "(seeds: trained without them).", ""]
WEIGHTED_HEADER = ["# Instance weights by provenance", "",
                   "`python experiments/domains.py --weights`; macro-F1; the shipped settings, their first pass "
                   "weighing each real-like sentence by the variant's weight against a written one's 1 (written: the "
                   "other provenances; weights divided by their mean); trained on the labels the shipped model was "
                   "trained on (seeds: trained without them).", ""]


def main(weights: bool) -> None:
    dev = dev_set_or_skip().gold
    shipped = load_model()
    gold = trained_on(shipped, LABELS)
    seeds = provenance_split(gold, "seed")[1]
    make, variants = (weighted_fitter, WEIGHTED) if weights else (domain_fitter, AUGMENTED)
    fitters: dict[str, Fitter | None] = {"shipped": None}
    for name, (provenances, value) in variants.items():
        fitters[name] = make(frozenset(gold.loc[gold["provenance"].isin(provenances), "article"]), value)
    labels = dict(zip(fitters, Parallel(n_jobs=2)(delayed(predictions)(fitter, gold, dev, shipped.settings)
                                                  for fitter in fitters.values())))
    header = WEIGHTED_HEADER if weights else AUGMENTED_HEADER
    write_markdown("domains_weights.md" if weights else "domains.md", header + variant_tables(labels, dev, seeds))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--weights", action="store_true", help="instance weights instead of feature augmentation")
    main(parser.parse_args().weights)
