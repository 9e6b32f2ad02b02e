"""The real development set for an experiment script, or one ``Skipped:`` line when its texts are absent."""

from __future__ import annotations

import sys

from stance.devset import DevSet, DevSetMissing, load_dev


def dev_set_or_skip() -> DevSet:
    """The development set, labels matched to the rebuilt texts; stops the script with ``Skipped: …`` without them."""
    try:
        return load_dev()
    except DevSetMissing as missing:
        sys.exit(f"Skipped: {missing}")
