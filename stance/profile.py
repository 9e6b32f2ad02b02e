"""From sentence probabilities to framing profiles, with bootstrap intervals on the net lean."""

from __future__ import annotations

import numpy as np

from stance.schema import FRAMES, LENSES, STANCES

BOOTSTRAP_SAMPLES = 2000
INTERVAL = 0.90


def net_lean(sentences) -> np.ndarray:
    """Each sentence's lean: P(pro_openai) − P(pro_musk), from −1 to +1."""
    return np.asarray(sentences["p_stance_pro_openai"], dtype=float) - np.asarray(sentences["p_stance_pro_musk"], dtype=float)


def bootstrap_means(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The means of BOOTSTRAP_SAMPLES resamples of ``values``' items (rows, for a 2-D array)."""
    means = np.empty((BOOTSTRAP_SAMPLES,) + values.shape[1:])
    block = max(1, 2_000_000 // values.size)  # resample in blocks to bound memory
    for start in range(0, BOOTSTRAP_SAMPLES, block):
        stop = min(start + block, BOOTSTRAP_SAMPLES)
        means[start:stop] = values[rng.integers(0, len(values), (stop - start, len(values)))].mean(axis=1)
    return means


def percentile_interval(samples: np.ndarray) -> np.ndarray:
    """The central INTERVAL (90%) of bootstrap samples: [low, high] along the first axis."""
    tail = (1 - INTERVAL) / 2 * 100
    return np.percentile(samples, [tail, 100 - tail], axis=0)


def bootstrap_interval(values: np.ndarray, seed: int = 0) -> tuple[float, float]:
    """A percentile bootstrap interval (90%) of the mean of ``values``, resampling its items."""
    if len(values) == 0:
        return (float("nan"), float("nan"))
    low, high = percentile_interval(bootstrap_means(values, np.random.default_rng(seed)))
    return float(low), float(high)


def profile_row(group: str, sentences, seed: int = 0) -> dict:
    """The framing profile of one article or group of sentences.

    ``sentences`` maps the probability columns (``p_stance_pro_musk``…) to one value per sentence:
    a DataFrame, or the columns of a scored document.
    """
    lean = net_lean(sentences)
    row = {"article": group, "sentences": len(lean)}
    for task, labels in (("stance", STANCES), ("frame", FRAMES)):
        for label in labels:
            values = np.asarray(sentences[f"p_{task}_{label}"], dtype=float)
            row[f"{task}_{label}"] = float(values.mean()) if len(values) else float("nan")
    row["net_lean"] = float(lean.mean()) if len(lean) else float("nan")
    row["net_lean_low"], row["net_lean_high"] = bootstrap_interval(lean, seed)
    row["dominant_frame"] = max(LENSES, key=lambda lens: row[f"frame_{lens}"])
    for stance, frame, share in crosstab_cells(sentences):
        row[f"cross_{stance}_{frame}"] = share
    return row


def crosstab_cells(sentences):
    """The stance × frame cross-table as (stance, frame, share) cells; the shares sum to 1."""
    p_stance = np.column_stack([np.asarray(sentences[f"p_stance_{s}"], dtype=float) for s in STANCES])
    p_frame = np.column_stack([np.asarray(sentences[f"p_frame_{f}"], dtype=float) for f in FRAMES])
    table = p_stance.T @ p_frame / max(len(p_stance), 1)
    return [(s, f, float(table[i, j])) for i, s in enumerate(STANCES) for j, f in enumerate(FRAMES)]


def crosstab(sentences):
    """The stance × frame cross-table as a DataFrame (rows: stances, columns: frames)."""
    import pandas as pd

    cells = crosstab_cells(sentences)
    return pd.DataFrame([[share for s, _, share in cells if s == stance] for stance in STANCES],
                        index=list(STANCES), columns=list(FRAMES))


def profiles(sentences, by: str = "article", seed: int = 0):
    """One profile row per value of ``by`` (articles by default), in order of first appearance."""
    import pandas as pd

    rows = [profile_row(str(key), group, seed) for key, group in sentences.groupby(by, sort=False)]
    return pd.DataFrame(rows)
