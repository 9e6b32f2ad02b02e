import pandas as pd
import pytest

from stance.compare import DIFFERENCE_COLUMNS, MEASURES, differences
from stance.profile import profiles
from tests.test_profile import random_sentences


def leaning(article: str, n: int, toward: str, frame: str) -> pd.DataFrame:
    """n sentences that all lean toward one side with one frame, with a little noise."""
    table = random_sentences(n, seed=len(article), article=article)
    stance_noise = table[[c for c in table if c.startswith("p_stance_")]] * 0.2
    frame_noise = table[[c for c in table if c.startswith("p_frame_")]] * 0.2
    table[stance_noise.columns] = stance_noise
    table[frame_noise.columns] = frame_noise
    table[f"p_stance_{toward}"] += 0.8
    table[f"p_frame_{frame}"] += 0.8
    return table


def test_a_group_against_itself_is_never_flagged():
    same = random_sentences(40, seed=5)
    table = pd.concat([same.assign(article="a"), same.assign(article="b")])
    result = differences(table)
    assert list(result.columns) == list(DIFFERENCE_COLUMNS)
    assert result["measure"].tolist() == list(MEASURES)
    assert result["difference"].tolist() == pytest.approx([0] * len(MEASURES))
    assert ((result["low"] < 0) & (result["high"] > 0)).all()
    assert not result["flagged"].any()


def test_clearly_different_groups_are_flagged_with_the_sign_of_a_minus_b():
    table = pd.concat([leaning("musk", 30, "pro_musk", "ideology"), leaning("openai", 30, "pro_openai", "money")])
    result = differences(table).set_index("measure")
    assert result.loc["net_lean", "difference"] < -0.5 and result.loc["net_lean", "flagged"]
    assert result.loc["frame_ideology", "low"] > 0 and result.loc["frame_ideology", "flagged"]
    assert result.loc["frame_money", "high"] < 0 and result.loc["frame_money", "flagged"]
    lean = profiles(table).set_index("article")["net_lean"]
    assert result.loc["net_lean", "difference"] == pytest.approx(lean["musk"] - lean["openai"])


def test_every_pair_once_in_order_and_reproducible():
    table = pd.concat([random_sentences(8, seed=i, article=name) for i, name in enumerate("cab")])
    result = differences(table, seed=3)
    pairs = list(dict.fromkeys(zip(result["group_a"], result["group_b"])))
    assert pairs == [("c", "a"), ("c", "b"), ("a", "b")]
    assert result.equals(differences(table, seed=3))
    assert not result.equals(differences(table, seed=4))


def test_groups_can_be_any_column():
    table = pd.concat([leaning("x", 20, "pro_musk", "law"), leaning("y", 20, "pro_musk", "law"),
                       leaning("z", 20, "pro_openai", "law")])
    table["camp"] = table["article"].map({"x": "one", "y": "one", "z": "two"})
    result = differences(table, by="camp")
    assert set(zip(result["group_a"], result["group_b"])) == {("one", "two")}
    assert result.set_index("measure").loc["net_lean", "flagged"]


def test_a_single_group_has_no_pairs_but_typed_columns():
    result = differences(random_sentences(6))
    assert result.empty and list(result.columns) == list(DIFFERENCE_COLUMNS)
    assert result["flagged"].dtype == bool and result["difference"].dtype == float
