"""Differences between articles or groups: net lean and frame shares, with 90% intervals.

Each group's articles (a single article's sentences) are resampled with their own seeded stream,
and both groups of a pair use the same draws of the classifier's error rates, so an interval holds
the sampling of both groups and the doubt about the classifier's errors (stance.quantify).
"""

from __future__ import annotations

import numpy as np

from stance.profile import group_draws, grouped_articles
from stance.quantify import ErrorRates, lean_draws, summarise
from stance.schema import FRAMES

MEASURES = ("net_lean",) + tuple(f"frame_{frame}" for frame in FRAMES)
DIFFERENCE_COLUMNS = ("group_a", "group_b", "measure", "difference", "low", "high", "flagged")


def measure_draws(draws: dict[str, np.ndarray]) -> np.ndarray:
    """One row per draw, one column per measure: the net lean, then each frame's share."""
    return np.column_stack([lean_draws(draws["stance"]), draws["frame"]])


def differences(sentences, by: str = "article", rates: ErrorRates | None = None, seed: int = 0):
    """For every pair of groups (a before b), a − b in each measure, its 90% interval, and whether it excludes 0."""
    import pandas as pd

    rates = rates or ErrorRates.identity()
    groups = list(grouped_articles(sentences, by))
    streams = np.random.SeedSequence(seed).spawn(len(groups))
    values = [measure_draws(group_draws(articles, rates, np.random.default_rng(stream)))
              for (_, articles), stream in zip(groups, streams)]
    rows = []
    for i, (a, _) in enumerate(groups):
        for j in range(i + 1, len(groups)):
            point, low, high = summarise(values[i] - values[j])
            for k, measure in enumerate(MEASURES):
                rows.append((a, groups[j][0], measure, float(point[k]), float(low[k]), float(high[k]),
                             bool(low[k] > 0 or high[k] < 0)))
    table = pd.DataFrame(rows, columns=list(DIFFERENCE_COLUMNS))
    return table.astype({"difference": float, "low": float, "high": float, "flagged": bool})
