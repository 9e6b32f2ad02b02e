"""Which solver reaches the logistic regression's optimum, and how fast: the shipped model's training data.

    python experiments/solver.py

For each task, the shipped default model's feature blocks are fitted once on the labels it was
trained on; then its logistic regression is fitted by lbfgs (scikit-learn's default solver) at
scikit-learn's default tolerance and at SOLVER_TOL, and by newton-cg at SOLVER_TOL (the shipped
SOLVER), each with one BLAS thread as training uses. Each fit's distance to the optimum is its
largest weight difference from lbfgs solved a hundred times tighter. Times are one run's wall
clock on this machine. Writes experiments/results/solver.md.
"""

from __future__ import annotations

import time

import numpy as np
from sklearn.base import clone
from threadpoolctl import threadpool_limits

from stance.features import model_input
from stance.model import build_pipeline, load_model
from stance.model.pipeline import SOLVER, SOLVER_TOL
from stance.model.settings import input_options
from stance.paths import LABELS, RESULTS
from stance.schema import TASKS
from stance.training import trained_on

SOLVERS = {
    "lbfgs, tolerance 1e-4 (scikit-learn's default)": {"solver": "lbfgs", "tol": 1e-4},
    f"lbfgs, tolerance {SOLVER_TOL:g}": {"solver": "lbfgs", "tol": SOLVER_TOL},
    f"{SOLVER}, tolerance {SOLVER_TOL:g} (shipped)": {"solver": SOLVER, "tol": SOLVER_TOL},
}
OPTIMUM = {"solver": "lbfgs", "tol": SOLVER_TOL / 100, "max_iter": 100_000}


def main() -> None:
    model = load_model()
    gold = trained_on(model, LABELS)
    X = model_input(gold["text"].tolist(), gold["article"].tolist(), **input_options(model.settings))
    lines = ["# Solvers of the logistic regression", "", "`python experiments/solver.py`: the shipped default model's "
             f"training data ({len(gold)} sentences); one BLAS thread; distance to the optimum = the largest weight "
             f"difference from lbfgs at tolerance {OPTIMUM['tol']:g}.", "",
             "| task | solver | seconds | iterations | distance to the optimum |", "|---" * 5 + "|"]
    with threadpool_limits(limits=1):
        for task in TASKS:
            pipeline = build_pipeline(model.settings, task)
            features = pipeline[:-1].fit_transform(X, gold[task])  # the features, scaled as the settings ask
            classifier = pipeline.named_steps["classifier"]
            optimum = clone(classifier).set_params(**OPTIMUM).fit(features, gold[task]).coef_
            for name, params in SOLVERS.items():
                started = time.perf_counter()
                fitted = clone(classifier).set_params(**params).fit(features, gold[task])
                seconds = time.perf_counter() - started
                distance = np.abs(fitted.coef_ - optimum).max()
                lines.append(f"| {task} | {name} | {seconds:.1f} | {int(fitted.n_iter_.max())} | {distance:.1e} |")
                print(lines[-1], flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "solver.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
