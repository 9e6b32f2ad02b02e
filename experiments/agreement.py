"""Inter-annotator agreement of the label passes: it measures, and writes no label.

    python experiments/agreement.py

Compares pass A and pass B (Cohen's kappa per dimension and provenance, on the sentences both
labelled) and lists the disagreements still to adjudicate in labels/adjudication.csv. Results land
in experiments/results/. The gold set is built from the passes by a separate, tested step,
`stance label gold` (stance.annotation.gold.build_gold), which keeps every label that
`stance label import` merged; this script never writes labels/gold/.
"""

import json

from stance.annotation.agreement import agreement, disagreements
from stance.annotation.gold import ADJUDICATION, FIRST, SECOND, read_adjudication, undecided
from stance.annotation.labels import load_pass
from stance.paths import LABELS, RESULTS



def main() -> None:
    first, second = load_pass(LABELS, FIRST), load_pass(LABELS, SECOND)
    report = {}
    for provenance in ("seed", "written", "modelled", "counterfactual"):
        a = first[first["provenance"] == provenance]
        b = second[second["provenance"] == provenance]
        if len(b):
            report[provenance] = agreement(a, b)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "agreement.json").write_text(json.dumps(report, indent=2) + "\n")
    disagreements(first, second).to_csv(RESULTS / "disagreements.csv", index=False)
    for provenance, result in report.items():
        figures = ", ".join(f"{t} kappa {m['kappa']:.3f} (raw {m['agreement']:.3f})" for t, m in result["tasks"].items())
        print(f"{provenance}: {result['sentences']} sentences in {result['articles']} articles: {figures}")
    missing = undecided(LABELS, read_adjudication(LABELS / ADJUDICATION))
    print(f"{len(missing)} disagreements not yet adjudicated in {LABELS / ADJUDICATION}"
          + (f", e.g. {missing[:3]}" if missing else "; build gold with `stance label gold`"))


if __name__ == "__main__":
    main()
