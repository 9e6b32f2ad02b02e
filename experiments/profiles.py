"""How close article profiles come to the labelled truth, per quantification method.

    python experiments/profiles.py [MODEL]

For each method (cc: hard counts, pcc: mean probabilities, acc and pacc: adjusted for the
classifier's out-of-fold error rates, estimated from all training rows or from the real-sounding
ones only), on the real development set, the seeds (a model trained without them) and grouped
cross-validation (each fold's error rates estimated on the other folds): the mean absolute error of
the net lean and of the shares against the lean and shares of the gold labels, and how often the
90% lean interval holds the truth, with its mean width. Then the year groups of the development
set: the true difference and whether the interval flags it. Last, whether the pull of the mean
probabilities towards a lean of 0 is a bias that multiplying the lean by a factor (fitted on
out-of-fold leans of training articles) would undo, and how many truths an interval of mean width
0.45 could hold at best, placed with hindsight. MODEL is a shipped model whose settings
are used (default: default). Writes experiments/results/profiles.md and profiles.json, or
profiles_<MODEL>.md and .json for another model.
"""

from __future__ import annotations

import json
import sys

import numpy as np
import pandas as pd

from stance.compare import differences
from stance.devset import read_csv
from stance.evaluate import (article_splits, fit_labels, label_indices, model_proba, out_of_fold_proba,
                             provenance_split)
from stance.model import load_model, shipped_models
from stance.profile import profile_row
from stance.quantify import METHODS, estimate_error_rates
from stance.schema import TASKS
from stance.paths import LABELS, RESULTS
from stance.training import trained_on
from dev_set import dev_set_or_skip
from tables import write_markdown

REAL_SOUNDING = ("seed", "modelled", "counterfactual")
TARGET_WIDTH = 0.45  # issue 12: a 90% lean interval no wider than this on average
PARTISAN_LEAN = 0.3  # an article whose gold lean lies beyond ±this is counted as partisan
SCORE_HEADER = ("articles | lean MAE | lean MAE, partisan (n; read weaker) | lean MAE, others | share MAE | 90% coverage "
                "| mean width | reachable")
SCORE_EXPLAINED = ("Lean MAE: mean absolute error of the net lean (−1 to +1) against the gold labels' lean; lean MAE, "
                   f"partisan: over the articles whose gold lean lies beyond ±{PARTISAN_LEAN} (in brackets: how many, and "
                   "how many of them are estimated on the right side but nearer 0 than the truth); others: over the rest; "
                   "share MAE: of the eight shares; coverage: share of articles whose 90% lean interval holds the true "
                   "lean; width: mean interval width; reachable: share of articles whose estimated lean lies within "
                   f"±{TARGET_WIDTH / 2:.3f} of the truth, the most any interval of width {TARGET_WIDTH} centred on the "
                   f"estimate could hold. Targets: lean MAE ≤ 0.12, coverage ≥ 85% at a mean width ≤ {TARGET_WIDTH}.")
STRETCH_EXPLAINED = ("Each article's lean from mean probabilities (the shipped estimate), against its gold lean. Slopes "
                     "are least-squares fits through 0. A slope of the estimate on the truth below 1 says partisan "
                     "articles are read weaker; the slope of the truth on the estimate is the factor that best corrects "
                     "an estimate, fitted on the out-of-fold leans of the training articles (for the seeds, those of a "
                     "training without them; in grouped CV, on the other folds) and applied before the lean MAE is "
                     "measured again (kept within −1 to +1).")
CEILING_EXPLAINED = (f"Each article's lean from mean probabilities (the shipped estimate) and its gold lean. The share of "
                     f"articles an interval of mean width {TARGET_WIDTH} holds when it is placed with hindsight (the "
                     "truth known): centred on the estimate (the reachable column above); shifted by the one offset, "
                     "towards the estimate's side of 0 or away from it, that holds the most; centred, with widths "
                     "proportional to a power of the article's sentence count (0 to 1 in steps of 0.25), the power that "
                     "holds the most. No rule that must place its interval without the truth, in these families, can "
                     "hold more.")
LENGTH_POWERS = (0.0, 0.25, 0.5, 0.75, 1.0)
CEILING_TITLE = f"## Could any interval of width {TARGET_WIDTH} hold 85% of the truths?"
CEILING_HEADER = "articles | centred | best offset | best length scaling"
VARIANTS = [(method, ()) for method in METHODS] + [(method, REAL_SOUNDING) for method in ("acc", "pacc", "pcc_pacc")]


def columns(proba: dict) -> dict:
    """Probability columns (p_<task>_<label>) from per-task arrays."""
    return {f"p_{task}_{label}": proba[task][:, i] for task, labels in TASKS.items() for i, label in enumerate(labels)}


def truth_row(rows) -> dict:
    """The gold shares and lean of one article."""
    row = {f"{task}_{label}": float((rows[task] == label).mean()) for task, labels in TASKS.items() for label in labels}
    row["net_lean"] = row["stance_pro_openai"] - row["stance_pro_musk"]
    return row


def rates_for(oof, gold, method, sources, rows=None):
    """Error rates of ``method`` from out-of-fold probabilities (optionally only some rows or provenances)."""
    keep = np.ones(len(gold), dtype=bool) if rows is None else rows.copy()
    if sources:
        keep &= gold["provenance"].isin(sources).to_numpy()
    truth = label_indices(gold)
    return estimate_error_rates({t: v[keep] for t, v in truth.items()}, {t: v[keep] for t, v in oof.items()},
                                gold["article"].to_numpy()[keep], method)


def scores(gold, proba, rates_of_article) -> dict:
    """Lean and share errors and lean interval coverage over the articles of ``gold``, with the lean error of
    partisan articles (gold lean beyond ±PARTISAN_LEAN) and of the others apart."""
    errors, shares, covered, widths, leans, weaker = [], [], [], [], [], []  # per article
    for article, rows in gold.groupby("article", sort=False):
        index = rows.index.to_numpy()
        estimate = profile_row(article, columns({t: v[index] for t, v in proba.items()}), rates_of_article(article))
        truth = truth_row(rows)
        errors.append(abs(estimate["net_lean"] - truth["net_lean"]))
        shares.append(np.mean([abs(estimate[k] - truth[k]) for k in truth if k != "net_lean"]))
        covered.append(estimate["net_lean_low"] <= truth["net_lean"] <= estimate["net_lean_high"])
        widths.append(estimate["net_lean_high"] - estimate["net_lean_low"])
        leans.append(truth["net_lean"])
        weaker.append(estimate["net_lean"] * truth["net_lean"] > 0 and abs(estimate["net_lean"]) < abs(truth["net_lean"]))
    lean_errors, partisan = np.asarray(errors), np.abs(leans) > PARTISAN_LEAN
    return {"articles": len(errors), "lean_mae": float(np.mean(errors)), "share_mae": float(np.mean(shares)),
            "coverage": float(np.mean(covered)), "width": float(np.mean(widths)),
            "reachable": float(np.mean(lean_errors <= TARGET_WIDTH / 2)), "partisan": int(partisan.sum()),
            "partisan_read_weaker": int(np.sum(partisan & np.asarray(weaker, dtype=bool))),
            "lean_mae_partisan": _mean_or_none(lean_errors[partisan]), "lean_mae_other": _mean_or_none(lean_errors[~partisan])}


def _mean_or_none(values: np.ndarray) -> float | None:
    """The mean, or None (null in JSON) for no values."""
    return float(values.mean()) if len(values) else None


def article_leans(gold, proba) -> tuple[np.ndarray, np.ndarray]:
    """Each article's net lean from mean probabilities (the shipped estimate) and from its gold labels."""
    stance = TASKS["stance"]
    estimated, true = [], []
    for _, rows in gold.groupby("article", sort=False):
        mean = proba["stance"][rows.index.to_numpy()].mean(axis=0)
        estimated.append(mean[stance.index("pro_openai")] - mean[stance.index("pro_musk")])
        true.append(truth_row(rows)["net_lean"])
    return np.asarray(estimated), np.asarray(true)


def slope(x: np.ndarray, y: np.ndarray) -> float:
    """The least-squares slope of ``y`` on ``x`` through 0 (a lean of 0 stays 0)."""
    return float(x @ y / (x @ x))


def stretch_row(gold, proba, factor_of_article) -> dict:
    """Whether the pull towards 0 is a bias a factor could undo: the slope of the estimated lean on the true one (below 1:
    a partisan article is read weaker), the slope of the true lean on the estimate (the factor that would best correct
    it) and the lean MAE before and after multiplying each estimate by ``factor_of_article(article)``, a factor fitted
    on out-of-fold leans of training articles only."""
    estimated, true = article_leans(gold, proba)
    factors = np.array([factor_of_article(article) for article in gold["article"].unique()])
    return {"articles": len(true), "estimate_on_truth": slope(true, estimated), "truth_on_estimate": slope(estimated, true),
            "factor": float(factors.mean()), "lean_mae": float(np.abs(estimated - true).mean()),
            "stretched_mae": float(np.abs(np.clip(factors * estimated, -1, 1) - true).mean())}


def ceiling_row(gold, proba) -> dict:
    """The most articles an interval of mean width TARGET_WIDTH could hold, placed with hindsight: centred on the
    estimated lean, shifted by the best single offset towards or away from 0 (residuals signed by the estimate's side),
    or centred with widths scaled by the best power of the article's sentence count."""
    estimated, true = article_leans(gold, proba)
    sizes = gold.groupby("article", sort=False).size().to_numpy().astype(float)
    residual = true - estimated
    outward = residual * np.where(estimated < 0, -1.0, 1.0)  # > 0: the truth lies further from 0 than the estimate
    shifted = max(np.mean((outward >= low) & (outward <= low + TARGET_WIDTH)) for low in outward)
    scaled = max(np.mean(np.abs(residual) <= TARGET_WIDTH / 2 * widths / widths.mean())
                 for widths in (sizes ** -power for power in LENGTH_POWERS))
    return {"articles": len(true), "centred": float(np.mean(np.abs(residual) <= TARGET_WIDTH / 2)),
            "shifted": float(shifted), "scaled": float(scaled)}


def cv_factors(gold, oof) -> dict:
    """Per article, the stretch factor (slope of true on estimated lean) fitted on the other grouped-CV folds' articles."""
    fold_of = grouped_folds(gold)
    estimated, true = article_leans(gold, oof)
    folds = np.array([fold_of[article] for article in gold["article"].unique()])
    factor = {number: slope(estimated[folds != number], true[folds != number]) for number in set(folds)}
    return {article: factor[fold_of[article]] for article in gold["article"].unique()}


def score_cells(r: dict) -> str:
    """A Markdown row's cells for scores(), in the order of SCORE_HEADER."""
    def mae(value):
        return "–" if value is None else f"{value:.3f}"
    return (f"{r['articles']} | {r['lean_mae']:.3f} | {mae(r['lean_mae_partisan'])} ({r['partisan']}; "
            f"{r['partisan_read_weaker']}) | "
            f"{mae(r['lean_mae_other'])} | {r['share_mae']:.3f} | {r['coverage']:.0%} | {r['width']:.2f} | "
            f"{r['reachable']:.0%}")


def stretch_cells(row: dict) -> str:
    """A Markdown row's cells for stretch_row(): articles, both slopes, the factor and the lean MAE without and with it."""
    return (f"{row['articles']} | {row['estimate_on_truth']:.2f} | {row['truth_on_estimate']:.2f} | {row['factor']:.2f} | "
            f"{row['lean_mae']:.3f} | {row['stretched_mae']:.3f}")


def ceiling_cells(row: dict) -> str:
    """A Markdown row's cells for ceiling_row(): articles, then the share held centred, shifted and length-scaled."""
    return f"{row['articles']} | {row['centred']:.0%} | {row['shifted']:.0%} | {row['scaled']:.0%}"


def year_cells(row: dict) -> str:
    """A Markdown row's cells for one year_groups() row: a, b, estimate, interval, flagged, truth."""
    return (f"{row['group_a']} | {row['group_b']} | {row['difference']:+.3f} | [{row['low']:+.3f}, {row['high']:+.3f}] | "
            f"{row['flagged']} | {row['true_difference']:+.3f}")


def grouped_folds(gold) -> dict:
    """Each article's fold in the grouped cross-validation that gave the out-of-fold probabilities."""
    fold_of = {}
    for number, (_, held) in enumerate(article_splits(gold["article"], 5)):
        fold_of.update({article: number for article in gold["article"].iloc[held]})
    return fold_of


def grouped_cv(gold, oof, variant) -> dict:
    """Scores over every training article from its out-of-fold probabilities, each fold's error rates from the
    other folds."""
    fold_of = grouped_folds(gold)
    folds = gold["article"].map(fold_of).to_numpy()
    rates = {number: rates_for(oof, gold, *variant, rows=folds != number) for number in set(folds)}
    return scores(gold, oof, lambda article: rates[fold_of[article]])


def manifest_dates(manifest) -> dict[str, str]:
    """Each article's year, from a real set's manifest."""
    return {row["article"]: row["date"][:4] for row in read_csv(manifest)}


def year_groups(gold, proba, rates, dates: dict[str, str]) -> list[dict]:
    """Estimated and true differences between the years of a real set's articles, and whether each is flagged."""
    table = pd.DataFrame({"article": gold["article"], **columns(proba)})
    table["year"] = table["article"].map(dates)
    found = differences(table, by="year", rates=rates).query("measure == 'net_lean'")
    truths = {year: truth_row(gold[gold["article"].map(dates) == year])["net_lean"] for year in table["year"].unique()}
    return [{**row, "true_difference": truths[row["group_a"]] - truths[row["group_b"]]}
            for row in found.to_dict(orient="records")]


def main(model: str) -> None:
    if model not in shipped_models():
        sys.exit(f"Error: {model!r}: not a shipped model; shipped models: {', '.join(shipped_models())}")
    dev = dev_set_or_skip().gold
    dates = manifest_dates(LABELS / "real_dev" / "manifest.csv")
    shipped = load_model(model)
    settings = shipped.settings.with_changes(quantifier="pcc")
    stem = "profiles" if model == "default" else f"profiles_{model}"
    gold = trained_on(shipped, LABELS)  # the labels this model was trained on
    gold = gold[gold["provenance"].isin(("seed", "written", "modelled", "counterfactual"))].reset_index(drop=True)
    unseeded, seeds = provenance_split(gold, "seed")
    oof_all, _ = out_of_fold_proba(gold, settings)
    oof_unseeded, _ = out_of_fold_proba(unseeded, settings)
    dev_proba = model_proba(fit_labels(gold, settings), dev)
    seed_proba = model_proba(fit_labels(unseeded, settings), seeds)
    results = {}
    for variant in VARIANTS:
        name = variant[0] + (" (error rates from seeds, modelled, counterfactual)" if variant[1] else "")
        dev_rates, seed_rates = rates_for(oof_all, gold, *variant), rates_for(oof_unseeded, unseeded, *variant)
        results[name] = {"dev": scores(dev, dev_proba, lambda _: dev_rates),
                         "seeds": scores(seeds, seed_proba, lambda _: seed_rates),
                         "grouped_cv": grouped_cv(gold, oof_all, variant),
                         "years": year_groups(dev, dev_proba, dev_rates, dates)}
        print(name, {where: score_cells(results[name][where]) for where in ("dev", "seeds", "grouped_cv")}, flush=True)
    dev_factor, seed_factor = slope(*article_leans(gold, oof_all)), slope(*article_leans(unseeded, oof_unseeded))
    stretch = {"dev": stretch_row(dev, dev_proba, lambda _: dev_factor),
               "seeds": stretch_row(seeds, seed_proba, lambda _: seed_factor),
               "grouped_cv": stretch_row(gold, oof_all, cv_factors(gold, oof_all).__getitem__)}
    ceiling = {"dev": ceiling_row(dev, dev_proba), "seeds": ceiling_row(seeds, seed_proba),
               "grouped_cv": ceiling_row(gold, oof_all)}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{stem}.json").write_text(json.dumps({**results, "stretch": stretch, "ceiling": ceiling}, indent=1) + "\n")
    lines = ["# Article profiles against the labelled truth", "",
             f"`python experiments/profiles.py {model}`, model settings of `{model}`. {SCORE_EXPLAINED}", "",
             f"| method | where | {SCORE_HEADER} |", "|---" * 10 + "|"]
    for name, result in results.items():
        for where in ("dev", "seeds", "grouped_cv"):
            lines.append(f"| {name} | {where} | {score_cells(result[where])} |")
    lines += ["", "## Year groups of the development set (net lean, a − b)", "",
              "| method | a | b | estimated | 90% interval | flagged | true difference |", "|---" * 7 + "|"]
    for name, result in results.items():
        lines += [f"| {name} | {year_cells(row)} |" for row in result["years"]]
    lines += ["", "## Is the pull towards 0 a bias that a factor could undo?", "", STRETCH_EXPLAINED, "",
              "| where | articles | slope of estimate on truth | slope of truth on estimate | factor | lean MAE "
              "| lean MAE, stretched |", "|---" * 7 + "|"]
    lines += [f"| {where} | {stretch_cells(row)} |" for where, row in stretch.items()]
    lines += ["", CEILING_TITLE, "", CEILING_EXPLAINED, "", f"| where | {CEILING_HEADER} |", "|---" * 5 + "|"]
    lines += [f"| {where} | {ceiling_cells(row)} |" for where, row in ceiling.items()]
    write_markdown(f"{stem}.md", lines)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "default")
