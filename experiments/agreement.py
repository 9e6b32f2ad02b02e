"""Inter-annotator agreement of the label passes, and the gold set built from them.

    python experiments/agreement.py

Compares pass A and pass B (Cohen's kappa per dimension, on the sentences both labelled), lists
the disagreements, then writes the gold set: pass A, with every adjudicated sentence taken from
labels/adjudication.csv (decisions made by judgment). Results land in experiments/results/.
"""

import csv
import json
from pathlib import Path

from stance.agreement import agreement, disagreements
from stance.labels import load_pass, read_manifest, write_rows

LABELS = Path("labels")
RESULTS = Path("experiments/results")


def adjudications() -> dict:
    with open(LABELS / "adjudication.csv", newline="", encoding="utf-8") as handle:
        return {(row["article"], int(row["sentence"])): row for row in csv.DictReader(handle)}


def main() -> None:
    first, second = load_pass(LABELS, "a"), load_pass(LABELS, "b")
    report = {}
    for provenance in ("seed", "written"):
        a = first[first["provenance"] == provenance]
        b = second[second["provenance"] == provenance]
        if len(b):
            report[provenance] = agreement(a, b)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "agreement.json").write_text(json.dumps(report, indent=2) + "\n")
    differ = disagreements(first, second)
    decided = adjudications()
    undecided = [key for key in zip(differ["article"], differ["sentence"]) if key not in decided]
    differ.to_csv(RESULTS / "disagreements.csv", index=False)
    for provenance, result in report.items():
        figures = ", ".join(f"{t} kappa {m['kappa']:.3f} (raw {m['agreement']:.3f})" for t, m in result["tasks"].items())
        print(f"{provenance}: {result['sentences']} sentences in {result['articles']} articles: {figures}")
    if undecided:
        raise SystemExit(f"{len(undecided)} disagreements not yet adjudicated in labels/adjudication.csv, e.g. {undecided[:3]}")
    articles = {entry["article"] for entry in read_manifest(LABELS)}
    for article, rows in first.groupby("article"):
        if article not in articles:
            continue
        rows = rows.to_dict(orient="records")
        for row in rows:
            decision = decided.get((row["article"], row["sentence"]))
            if decision:
                row.update(stance=decision["stance"], frame=decision["frame"], annotator="adjudicated")
        write_rows(LABELS / "gold" / f"{article}.csv", rows)
    print(f"gold: {len(first)} sentences in {first['article'].nunique()} articles, {len(decided)} adjudicated")


if __name__ == "__main__":
    main()
