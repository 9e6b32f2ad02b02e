"""The project's folders, anchored to the project root (the folder that holds ``stance/``), not to
the working directory, so experiments and tools run the same from anywhere."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "labels"
SEEDS = ROOT / "seeds"
RESULTS = ROOT / "experiments" / "results"
CACHE = ROOT / ".cache"
