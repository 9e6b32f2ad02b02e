"""How much of the seed gap is the label mix? Prior correction of the seed-holdout predictions.

    python experiments/label_shift.py

The written corpus is about half neutral; real coverage may be mostly neutral. A classifier trained
with balanced class weights behaves as if every label were equally likely, so on text with another
label mix it over-predicts the partisan labels. This trains the shipped settings on the written
corpus, predicts the seeds, and re-weights the probabilities by target label shares
p(y|x) ∝ p(y|x) · π_target(y) / π_train(y), with π_train uniform (balanced weights), three ways:
- none: the honest headline as it stands;
- estimated by EM on the unlabelled seed sentences (Saerens, Latinne and Decaestecker, 2002): uses
  the seeds' text, never their labels, as a tool could on any corpus it scores;
- oracle: the seeds' true label shares. This reads the seed labels, so it is not a result, only the
  ceiling of what any prior correction could give.
Writes experiments/results/label_shift.csv.
"""


import numpy as np
import pandas as pd

from stance.evaluate import out_of_fold_proba, task_metrics
from stance.schema import TASKS
from stance.model import load_model
from stance.training import trained_on
from stance.paths import LABELS, RESULTS

EM_ROUNDS = 100


def em_priors(proba: np.ndarray, source: np.ndarray) -> np.ndarray:
    """Target label shares that make the re-weighted probabilities' mean agree with themselves."""
    priors = source.copy()
    for _ in range(EM_ROUNDS):
        adjusted = reweight(proba, source, priors)
        priors = adjusted.mean(axis=0)
    return priors


def reweight(proba: np.ndarray, source: np.ndarray, target: np.ndarray) -> np.ndarray:
    weighted = proba * (target / source)
    return weighted / weighted.sum(axis=1, keepdims=True)


def main() -> None:
    gold = trained_on(load_model(), LABELS)  # the labels the shipped model was trained on
    proba, test = out_of_fold_proba(gold, holdout="seed")
    seeds = gold[test]
    rows = []
    for task, labels in TASKS.items():
        truth = seeds[task].to_numpy()
        source = np.full(len(labels), 1 / len(labels))
        true_shares = np.array([(truth == label).mean() for label in labels])
        for name, target in (("none", source), ("EM on unlabelled seeds", em_priors(proba[task], source)),
                             ("oracle: true seed shares", true_shares)):
            predicted = np.asarray(labels)[reweight(proba[task], source, target).argmax(axis=1)]
            rows.append({"task": task, "correction": name,
                         "macro_f1": round(task_metrics(truth, predicted, labels)["macro_f1"], 3),
                         **{f"share_{label}": round(float(share), 3) for label, share in zip(labels, target)}})
    table = pd.DataFrame(rows)
    RESULTS.mkdir(parents=True, exist_ok=True)
    table.to_csv("experiments/results/label_shift.csv", index=False)
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
