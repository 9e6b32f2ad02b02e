"""experiments/label_review.py: the reviewed labels put into the training labels, and the agreement it reports."""

import sys

import pandas as pd
import pytest

from stance.annotation.labels import LabelError
from stance.devset import DevSetMissing
from stance.paths import LABELS, ROOT

sys.path.append(str(ROOT / "experiments"))  # after the installed packages: its scripts are plain module names
import dev_set  # noqa: E402
import label_review  # noqa: E402


def gold() -> pd.DataFrame:
    return pd.DataFrame({"article": ["a", "a", "b"], "sentence": [0, 1, 0], "text": ["x", "y", "z"],
                         "stance": ["neutral", "neutral", "pro_musk"], "frame": ["law", "none", "money"]})


def review(**changes) -> pd.DataFrame:
    row = {"article": "a", "sentence": 1, "near": "error", "before_stance": "neutral", "before_frame": "none",
           "review_stance": "pro_openai", "review_frame": "law", "stance": "pro_openai", "frame": "none",
           "reason": "a ruling reported as his loss"}
    return pd.DataFrame([{**row, **changes}])


def test_relabelled_takes_the_decided_or_the_earlier_labels_of_the_reviewed_sentences_only():
    decided = label_review.relabelled(gold(), review())
    assert decided["stance"].tolist() == ["neutral", "pro_openai", "pro_musk"]
    assert decided["frame"].tolist() == ["law", "none", "money"]
    before = label_review.relabelled(decided, review(), "before_")
    pd.testing.assert_frame_equal(before, gold())


def test_relabelled_refuses_a_reviewed_sentence_that_is_not_in_the_labels():
    with pytest.raises(LabelError, match="1 reviewed sentences are not in the training labels"):
        label_review.relabelled(gold(), review(sentence=7))


def test_read_review_refuses_an_unknown_label(tmp_path):
    path = tmp_path / "r1.csv"
    review(review_frame="politics").to_csv(path, index=False)
    with pytest.raises(LabelError, match="unknown review_frame 'politics'"):
        label_review.read_review(path)


def test_agreement_rows_count_kappa_agreement_and_changes_per_neighbourhood():
    rows = pd.concat([review(sentence=s, near=near) for s, near in enumerate(["error", "error", "correct"])])
    rows.loc[rows["near"] == "correct", ["review_stance", "stance"]] = "neutral"  # the reviewer agreed
    lines = label_review.agreement_rows(rows.reset_index(drop=True))
    assert lines[0] == "| all | 3 | 0.000 | 0.333 | 2 | 0.000 | 0.000 | 0 |"
    assert lines[1] == "| correct | 1 | nan | 1.000 | 0 | 0.000 | 0.000 | 0 |"
    assert lines[2] == "| error | 2 | 0.000 | 0.000 | 2 | 0.000 | 0.000 | 0 |"


def test_the_recorded_review_names_training_sentences_with_known_labels():
    recorded = label_review.read_review()
    assert len(recorded) > 0 and set(recorded["near"]) <= {"error", "correct"}
    assert (recorded["reason"].str.len() > 0).equals((recorded["stance"] != recorded["review_stance"])
                                                     | (recorded["frame"] != recorded["review_frame"])
                                                     | (recorded["stance"] != recorded["before_stance"])
                                                     | (recorded["frame"] != recorded["before_frame"]))
    from stance.annotation.labels import load_gold

    label_review.relabelled(load_gold(LABELS), recorded)  # raises if a reviewed sentence is not labelled


def test_main_stops_with_one_skipped_line_without_the_development_texts(monkeypatch):
    def missing(labels_dir, texts_dir):
        raise DevSetMissing("no development texts in /nowhere")

    monkeypatch.setattr(dev_set, "load_dev", missing)
    with pytest.raises(SystemExit, match="^Skipped: no development texts in /nowhere$"):
        label_review.main(jobs=1)


def test_the_review_decisions_are_the_gold_labels():
    """Decided by judgment, they entered the gold (labels/adjudication.csv) whatever a model made of them."""
    from stance.annotation.labels import load_gold

    recorded, gold = label_review.read_review(), load_gold(LABELS)
    decided = label_review.relabelled(gold, recorded)
    pd.testing.assert_frame_equal(decided, gold)
    changed = (recorded["stance"] != recorded["before_stance"]) | (recorded["frame"] != recorded["before_frame"])
    assert int(changed.sum()) == 23
