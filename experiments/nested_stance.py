"""A nested stance classifier against the shipped flat one.

    python experiments/nested_stance.py   # → experiments/results/nested_stance.md

Most of the shipped model's stance errors on real text are between neutral and a side, few between
the sides. The nested first pass asks the two questions apart: one binary logistic regression says
whether a sentence takes a side (trained on every sentence), a second says which (trained on the
sentences that take one), and p(pro_musk) = p(side) · p(Musk's | side), p(neutral) = 1 − p(side).
Each head learns its own feature blocks (the shipped blocks and settings); frame is the shipped
one. The rest is the shipped model's (second pass, neutral weight); the neutral weight, which the
nested pass may want elsewhere, is tried at 1.0, 1.25 (shipped) and 1.5. Trained on the labels the
shipped model was trained on and measured on the real development set and on the seeds (trained
without them). Δ: against the shipped model, 95% paired bootstrap over articles. No grouped CV: a
variant that loses on held-out real text is not kept whatever it does there. Skips when the
development texts are absent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from joblib import Parallel, delayed

from stance.evaluate import provenance_split
from stance.model import LinearTask, Model, Settings, build_pipeline, linear_task, load_model
from stance.paths import LABELS
from stance.schema import TASKS
from stance.training import trained_on
from dev_set import dev_set_or_skip
from domains import Fitter, predictions
from tables import variant_tables, write_markdown

NEUTRAL_WEIGHTS = (1.0, 1.25, 1.5)


class InputTable:
    """A feature space that hands the input table through: each head of NestedStance builds its own features."""

    def transform(self, X):
        return X


@dataclass
class NestedStance:
    """The stance task of a Model as two binary heads: whether a sentence takes a side, then which."""

    takes_side: LinearTask  # classes: neutral, side
    which_side: LinearTask  # classes: pro_musk, pro_openai
    classes: list[str] = field(default_factory=lambda: list(TASKS["stance"]))
    space: InputTable = field(default_factory=InputTable)

    def proba_from(self, X) -> np.ndarray:
        """Probabilities in ``classes`` order from the input table."""
        side = self.takes_side.predict_proba(X)[:, self.takes_side.classes.index("side")]
        musk = self.which_side.predict_proba(X)[:, self.which_side.classes.index("pro_musk")]
        by_label = {"pro_musk": side * musk, "pro_openai": side * (1 - musk), "neutral": 1 - side}
        return np.column_stack([by_label[label] for label in self.classes])


def fit_nested(X, y: dict, settings: Settings | None = None) -> Model:
    """A stance.model.fit_model whose stance task is a NestedStance (frame as shipped)."""
    from threadpoolctl import threadpool_limits

    settings = settings or Settings()
    stance = np.asarray(y["stance"])
    takes_side = stance != "neutral"
    with threadpool_limits(limits=1):
        heads = [build_pipeline(settings, "stance").fit(X, np.where(takes_side, "side", "neutral")),
                 build_pipeline(settings, "stance").fit(X[takes_side], stance[takes_side])]
        frame = build_pipeline(settings, "frame").fit(X, y["frame"])
    nested = NestedStance(*(linear_task(head, settings, "stance") for head in heads))
    return Model({"stance": nested, "frame": linear_task(frame, settings, "frame")}, settings)


HEADER = ["# A nested stance classifier", "",
          "`python experiments/nested_stance.py`; macro-F1; the shipped settings with a nested stance first pass "
          "(takes a side? then which?), at three neutral weights; trained on the labels the shipped model was trained "
          "on (seeds: trained without them).", ""]


def main() -> None:
    dev = dev_set_or_skip().gold
    shipped = load_model()
    gold = trained_on(shipped, LABELS)
    seeds = provenance_split(gold, "seed")[1]
    variants: dict[str, tuple[Fitter | None, Settings]] = {"shipped": (None, shipped.settings)}
    for weight in NEUTRAL_WEIGHTS:
        variants[f"nested, neutral weight {weight:g}"] = (fit_nested, shipped.settings.with_changes(neutral_weight=weight))
    labels = dict(zip(variants, Parallel(n_jobs=2)(delayed(predictions)(fitter, gold, dev, settings)
                                                   for fitter, settings in variants.values())))
    write_markdown("nested_stance.md", HEADER + variant_tables(labels, dev, seeds))


if __name__ == "__main__":
    main()
