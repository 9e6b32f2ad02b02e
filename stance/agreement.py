"""Agreement between two annotation passes: Cohen's kappa per dimension and the disagreements."""

from __future__ import annotations

from stance.schema import TASKS

KEY = ["article", "sentence"]


def agreement(first, second) -> dict:
    """Kappa, raw agreement, per-label agreement and confusion per task, over sentences both passes labelled."""
    from sklearn.metrics import cohen_kappa_score, confusion_matrix

    both = first.merge(second, on=KEY, suffixes=("_a", "_b"))
    result = {"sentences": len(both), "articles": int(both["article"].nunique()), "tasks": {}}
    for task, labels in TASKS.items():
        a, b = both[f"{task}_a"], both[f"{task}_b"]
        per_label = {}
        for label in labels:
            either = (a == label) | (b == label)
            per_label[label] = {"either": int(either.sum()),
                                "agreement": float(((a == label) & (b == label)).sum() / either.sum()) if either.any() else None}
        result["tasks"][task] = {
            "kappa": float(cohen_kappa_score(a, b, labels=list(labels))),
            "agreement": float((a == b).mean()),
            "per_label": per_label,
            "labels": list(labels),
            "confusion": confusion_matrix(a, b, labels=list(labels)).tolist(),
        }
    return result


def disagreements(first, second):
    """Sentences on which the passes differ, with both passes' labels side by side."""
    both = first.merge(second, on=KEY, suffixes=("_a", "_b"))
    differ = (both["stance_a"] != both["stance_b"]) | (both["frame_a"] != both["frame_b"])
    return both.loc[differ, KEY + ["text_a", "stance_a", "stance_b", "frame_a", "frame_b"]].rename(
        columns={"text_a": "text"})
