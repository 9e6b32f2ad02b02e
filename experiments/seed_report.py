"""The framing comparison report on the five seed articles, scored by the shipped default model.

    python experiments/seed_report.py [MODEL_FOLDER]

Writes experiments/results/seed_report.html: one self-contained page (no network needed to open it).
The same inputs and model always give the same file. MODEL_FOLDER defaults to stance/models/default.
"""

import sys
from pathlib import Path

from stance.documents import read_documents
from stance.model import load_model
from stance.report import build_report
from stance.report.render import write_report
from stance.scoring import score_sentences
from stance.paths import RESULTS, SEEDS

OUTPUT = RESULTS / "seed_report.html"


def main() -> None:
    model = load_model(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    report = build_report(score_sentences(read_documents([str(SEEDS)]), model), model.config)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    write_report(report, OUTPUT, "html")
    print(f"Wrote {OUTPUT}: {report.articles} articles, {report.sentences} sentences, model {report.model['name']}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
