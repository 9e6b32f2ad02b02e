"""Agreement between two annotation passes: Cohen's kappa per dimension, per-label agreement,
confusion, and the disagreements to adjudicate (``stance label agreement``)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from stance.annotation.checking import check_annotations
from stance.annotation.formats import read_annotations
from stance.annotation.labels import LabelError
from stance.schema import TASKS

if TYPE_CHECKING:
    import pandas as pd

KEY = ["article", "sentence"]


def agreement(first, second) -> dict:
    """Kappa, raw agreement, per-label agreement and confusion per task, over sentences both passes labelled."""
    from sklearn.metrics import cohen_kappa_score, confusion_matrix

    both = first.merge(second, on=KEY, suffixes=("_a", "_b"))
    tasks: dict[str, dict] = {}
    result = {"sentences": len(both), "articles": int(both["article"].nunique()), "tasks": tasks}
    for task, labels in TASKS.items():
        a, b = both[f"{task}_a"], both[f"{task}_b"]
        per_label = {}
        for label in labels:
            either = (a == label) | (b == label)
            per_label[label] = {"either": int(either.sum()),
                                "agreement": float(((a == label) & (b == label)).sum() / either.sum()) if either.any() else None}
        tasks[task] = {
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


def annotation_table(path: Path, warnings: list[str]):
    """The labelled sentences of one annotation file as a DataFrame (rows left out go to ``warnings``)."""
    import pandas as pd

    checked = check_annotations(read_annotations(path), str(path), require_text=False)
    warnings.extend(checked.warnings)
    return pd.DataFrame(checked.rows, columns=["article", "sentence", "text", *TASKS])


def compare_annotations(first: Path, second: Path) -> tuple[dict, "pd.DataFrame", list[str]]:
    """Agreement between two annotation files, their disagreements, and the warnings."""
    warnings: list[str] = []
    a, b = annotation_table(first, warnings), annotation_table(second, warnings)
    both = a.merge(b, on=KEY, suffixes=("_a", "_b"))
    if both.empty:
        raise LabelError(f"{first} and {second} have no labelled sentence in common")
    moved = both[both["text_a"] != both["text_b"]]
    if not moved.empty:
        row = moved.iloc[0]
        raise LabelError(f"sentence {row['sentence']} of {row['article']} has a different text in {first} and {second}")
    result = agreement(a, b)
    for metrics in result["tasks"].values():
        if math.isnan(metrics["kappa"]):  # both files use one and the same label: kappa is undefined
            metrics["kappa"] = None
    return result, disagreements(a, b).reset_index(drop=True), warnings


def kappa_text(kappa: float | None) -> str:
    """Kappa to three decimals, or ``undefined``."""
    return "undefined" if kappa is None else f"{kappa:.3f}"


def agreement_summary(result: dict, differ) -> str:
    """One line: kappa per dimension, sentences compared, disagreements."""
    kappas = ", ".join(f"{task} kappa {kappa_text(m['kappa'])}" for task, m in result["tasks"].items())
    return f"{kappas} over {result['sentences']} sentences of {result['articles']} articles; {len(differ)} disagreements"


def agreement_report(result: dict, differ) -> str:
    """The agreement as a terminal report: per task kappa, per-label agreement and confusion, then
    the disagreements to adjudicate."""
    import pandas as pd

    from stance.output import render

    parts = [agreement_summary(result, differ) + "\n"]
    for task, metrics in result["tasks"].items():
        per_label = pd.DataFrame.from_dict(metrics["per_label"], orient="index")
        confusion = pd.DataFrame(metrics["confusion"], index=metrics["labels"], columns=metrics["labels"])
        parts.append(f"\n{task}: kappa {kappa_text(metrics['kappa'])}, agreement {metrics['agreement']:.3f}\n")
        parts.append(per_label.to_string(float_format=lambda x: f"{x:.3f}") + "\n")
        parts.append("confusion (rows: first file, columns: second file)\n" + confusion.to_string() + "\n")
    if len(differ):
        parts.append(f"\ndisagreements to adjudicate\n{render(differ, 'table')}")
    return "".join(parts)

