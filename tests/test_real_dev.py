"""experiments/real_dev.py: the ladder of candidates starts from the first pass alone and ends at the shipped settings."""

import sys

from stance.model import Settings
from stance.paths import ROOT

sys.path.append(str(ROOT / "experiments"))  # after the installed packages: its scripts are plain module names
import real_dev  # noqa: E402


def candidate_settings(name: str) -> Settings:
    """The settings the named candidate trains with."""
    return real_dev.candidate_settings(real_dev.CANDIDATES[name][1])


def test_the_last_candidate_is_the_shipped_model_on_its_data():
    last = list(real_dev.CANDIDATES)[-1]
    assert real_dev.CANDIDATES[last][0] == real_dev.ALL_DATA
    assert candidate_settings(last) == Settings().with_changes(quantifier="pcc")  # the quantifier moves no F1


def test_the_baseline_reads_words_and_characters_alone():
    first = candidate_settings(list(real_dev.CANDIDATES)[0])
    assert not (first.actors or first.sided or first.speakers or first.collective) and first.neutral_weight == 1.0
