"""From sentence probabilities to framing profiles: corrected shares and net lean, with 90% intervals.

An article's sentences are resampled; a group's articles are resampled (its sentences move with
their article); every draw also takes one draw of the classifier's error rates (stance.quantify).
"""

from __future__ import annotations

import numpy as np

from stance.quantify import ErrorRates, lean_draws, readings, summarise, task_draws
from stance.schema import FRAMES, LENSES, TASKS


def probabilities(sentences) -> dict[str, np.ndarray]:
    """Per task, the (sentences × labels) probabilities of a DataFrame or a scored document's columns."""
    return {task: np.column_stack([np.asarray(sentences[f"p_{task}_{label}"], dtype=float) for label in labels])
            for task, labels in TASKS.items()}


def draws_row(group: str, sentences: int, draws: dict[str, np.ndarray]) -> dict:
    """A profile row from share draws: shares, net lean and dominant lens, each share with its interval."""
    row: dict = {"article": group, "sentences": sentences}
    names = [f"{task}_{label}" for task, labels in TASKS.items() for label in labels] + ["net_lean"]
    columns = np.column_stack([*(draws[task] for task in TASKS), lean_draws(draws["stance"])])
    for name, point, low, high in zip(names, *summarise(columns)):  # one percentile call: most of a profile's time
        row[name], row[f"{name}_low"], row[f"{name}_high"] = float(point), float(low), float(high)
    row["dominant_frame"] = max(LENSES, key=lambda lens: row[f"frame_{lens}"])
    return row


def empty_row(group: str) -> dict:
    """The profile of a group without sentences: every figure missing."""
    draws = {task: np.full((1, len(labels)), np.nan) for task, labels in TASKS.items()}
    return {**draws_row(group, 0, draws), "dominant_frame": ""}


def profile_row(group: str, sentences, rates: ErrorRates | None = None, seed: int = 0) -> dict:
    """The framing profile of one article: corrected shares and lean with intervals, and the cross-table.

    ``sentences`` maps the probability columns (``p_stance_pro_musk``…) to one value per sentence:
    a DataFrame, or the columns of a scored document. Without ``rates`` the shares are mean
    probabilities and the intervals resample sentences only.
    """
    proba = probabilities(sentences)
    n = len(proba["stance"])
    if n == 0:
        return empty_row(group)
    row = draws_row(group, n, task_draws(proba, rates or ErrorRates.identity(), np.random.default_rng(seed)))
    for stance, frame, share in crosstab_cells(proba):
        row[f"cross_{stance}_{frame}"] = share
    return row


def group_draws(articles: list[dict[str, np.ndarray]], rates: ErrorRates, rng: np.random.Generator):
    """Share draws for a group of articles (each its sentence probabilities), resampling articles.

    A group of one article resamples that article's sentences.
    """
    if len(articles) == 1:
        return task_draws(articles[0], rates, rng)
    sizes = np.array([len(proba["stance"]) for proba in articles], dtype=float)
    means = {task: np.vstack([readings(proba[task], rates.method).mean(axis=0) for proba in articles])
             for task in TASKS}
    return task_draws(means, rates, rng, sizes=sizes)


def crosstab_cells(proba: dict[str, np.ndarray]):
    """The stance × frame cross-table of mean probabilities (``proba`` per task, as ``probabilities``
    gives) as (stance, frame, share) cells; they sum to 1."""
    table = proba["stance"].T @ proba["frame"] / max(len(proba["stance"]), 1)
    return [(s, f, float(table[i, j])) for i, s in enumerate(TASKS["stance"]) for j, f in enumerate(FRAMES)]


def crosstab(sentences):
    """The stance × frame cross-table as a DataFrame (rows: stances, columns: frames)."""
    import pandas as pd

    cells = crosstab_cells(probabilities(sentences))
    return pd.DataFrame([[share for s, _, share in cells if s == stance] for stance in TASKS["stance"]],
                        index=list(TASKS["stance"]), columns=list(FRAMES))


def grouped_articles(sentences, by: str):
    """(group, [each article's probabilities]) in order of first appearance."""
    for key, group in sentences.groupby(by, sort=False):
        yield str(key), [probabilities(rows) for _, rows in group.groupby("article", sort=False)]


def profiles(sentences, by: str = "article", rates: ErrorRates | None = None, seed: int = 0):
    """One profile row per article, or per value of ``by`` (its articles resampled), in order of appearance."""
    import pandas as pd

    rates = rates or ErrorRates.identity()
    if by == "article":
        rows = [profile_row(str(key), group, rates, seed) for key, group in sentences.groupby(by, sort=False)]
    else:
        streams = np.random.SeedSequence(seed).spawn(sentences[by].nunique())
        rows = [draws_row(key, sum(len(a["stance"]) for a in articles),
                          group_draws(articles, rates, np.random.default_rng(stream)))
                for (key, articles), stream in zip(grouped_articles(sentences, by), streams)]
    return pd.DataFrame(rows)
