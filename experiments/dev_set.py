"""A real labelled set for an experiment script, or one ``Skipped:`` line when its texts are absent."""

from __future__ import annotations

import sys
from pathlib import Path

from stance.devset import DEV_LABELS, DEV_TEXTS, DevSet, DevSetMissing, load_dev


def dev_set_or_skip(labels_dir: Path = DEV_LABELS, texts_dir: Path = DEV_TEXTS) -> DevSet:
    """The development set (or another real set), labels matched to the rebuilt texts; stops the script
    with ``Skipped: …`` without them."""
    try:
        return load_dev(labels_dir, texts_dir)
    except DevSetMissing as missing:
        sys.exit(f"Skipped: {missing}")
