"""Inter-annotator agreement of the label passes: it measures, and writes no label.

    python experiments/agreement.py
    python experiments/agreement.py --batch m97 --batch w972 --batch c17 --batch c18   # and one batch alone

Compares pass A and pass B (Cohen's kappa per dimension and provenance, on the sentences both
labelled) and lists the disagreements still to adjudicate in labels/adjudication.csv. Results land
in experiments/results/. The gold set is built from the passes by a separate, tested step,
`stance label gold` (stance.annotation.gold.build_gold), which keeps every label that
`stance label import` merged; this script never writes labels/gold/.
"""

import argparse
import json

from stance.annotation.agreement import agreement, disagreements
from stance.annotation.gold import ADJUDICATION, FIRST, SECOND, read_adjudication, undecided
from stance.annotation.labels import load_pass
from stance.paths import LABELS, RESULTS


def main(batch: list[str]) -> None:
    first, second = load_pass(LABELS, FIRST), load_pass(LABELS, SECOND)
    report = {}
    for provenance in ("seed", "written", "modelled", "counterfactual"):
        a = first[first["provenance"] == provenance]
        b = second[second["provenance"] == provenance]
        if len(b):
            report[provenance] = agreement(a, b)
    if batch:
        chosen = tuple(batch)
        a, b = first[first["article"].str.startswith(chosen)], second[second["article"].str.startswith(chosen)]
        if not len(b):
            raise SystemExit(f"Error: --batch {', '.join(batch)}: no article with these prefixes has a second pass")
        report["batch " + ", ".join(batch)] = agreement(a, b)
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
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch", action="append", default=[], metavar="PREFIX",
                        help="also report the articles whose ids start with PREFIX (repeatable), as one batch")
    main(parser.parse_args().batch)
