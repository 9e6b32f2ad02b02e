"""Differences between groups of sentences: net lean and frame shares, with bootstrap intervals.

Each group's sentences are resampled independently (one seeded generator per group, in order of
first appearance), so a pair's interval reflects the sampling of both groups' sentences.
"""

from __future__ import annotations

import numpy as np

from stance.profile import bootstrap_means, net_lean, percentile_interval
from stance.schema import FRAMES

MEASURES = ("net_lean",) + tuple(f"frame_{frame}" for frame in FRAMES)
DIFFERENCE_COLUMNS = ("group_a", "group_b", "measure", "difference", "low", "high", "flagged")


def measure_values(sentences) -> np.ndarray:
    """One row per sentence, one column per measure: its lean, then each frame's probability."""
    frames = sentences[[f"p_frame_{frame}" for frame in FRAMES]].to_numpy(dtype=float)
    return np.column_stack([net_lean(sentences), frames])


def differences(sentences, by: str = "article", seed: int = 0):
    """For every pair of groups (a before b), a − b in each measure, its 90% interval, and whether it excludes 0."""
    import pandas as pd

    groups = [(str(key), group) for key, group in sentences.groupby(by, sort=False)]
    streams = np.random.SeedSequence(seed).spawn(len(groups))
    means = [bootstrap_means(measure_values(group), np.random.default_rng(stream))
             for (_, group), stream in zip(groups, streams)]
    observed = [measure_values(group).mean(axis=0) for _, group in groups]
    rows = []
    for i, (a, _) in enumerate(groups):
        for j in range(i + 1, len(groups)):
            low, high = percentile_interval(means[i] - means[j])
            difference = observed[i] - observed[j]
            for k, measure in enumerate(MEASURES):
                rows.append((a, groups[j][0], measure, float(difference[k]), float(low[k]), float(high[k]),
                             bool(low[k] > 0 or high[k] < 0)))
    table = pd.DataFrame(rows, columns=list(DIFFERENCE_COLUMNS))
    return table.astype({"difference": float, "low": float, "high": float, "flagged": bool})
