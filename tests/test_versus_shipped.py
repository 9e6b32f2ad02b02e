"""experiments/versus_shipped.py: a candidate's changes read from JSON, and the results file they name."""

import sys

import pytest

from stance.model import Settings
from stance.paths import ROOT

sys.path.append(str(ROOT / "experiments"))  # after the installed packages: its scripts are plain module names
import versus_shipped  # noqa: E402


def test_each_comparison_gets_its_own_file_named_by_the_settings_it_changes():
    assert versus_shipped.results_name([{"speakers": True}]) == "versus_shipped_speakers.md"
    assert versus_shipped.results_name([{"C": 8.0}, {"C": 2.0, "context_weight": 1.0}]) == \
        "versus_shipped_context_weight_C.md"  # in the order Settings lists them


def test_changes_apply_to_the_shipped_settings_and_a_bad_argument_is_one_error_line():
    data, settings = versus_shipped.changes('{"C": 2.0}', Settings())
    assert data == {"C": 2.0} and settings.C == 2.0 and settings.speakers == Settings().speakers
    for bad in ('{"C": -1}', "[1]", "{}", "not json", '{"nope": 1}'):
        with pytest.raises(SystemExit) as stop:
            versus_shipped.changes(bad, Settings())
        assert str(stop.value).startswith("Error: ") and "\n" not in str(stop.value)


def test_a_comparison_can_start_from_another_shipped_model_and_is_named_by_it():
    assert versus_shipped.arguments(['{"C": 2.0}']) == ("default", ['{"C": 2.0}'])
    assert versus_shipped.arguments(["--model", "embeddings", '{"C": 2.0}']) == ("embeddings", ['{"C": 2.0}'])
    assert versus_shipped.results_name([{"speakers": True}], "embeddings") == "versus_embeddings_speakers.md"
    assert versus_shipped.against("default") == ("versus_shipped_", "", [])
    assert versus_shipped.against("embeddings") == ("versus_embeddings_", " (the embeddings model's)",
                                                    ["--model", "embeddings"])
    for bad in (["--model", "nope", "{}"], ["--model"], ["--model", "embeddings"], []):
        with pytest.raises(SystemExit) as stop:
            versus_shipped.arguments(bad)
        assert str(stop.value).startswith("Error: ") and "\n" not in str(stop.value)
