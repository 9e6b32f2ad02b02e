import numpy as np
import pandas as pd
import pytest

from stance.profile import crosstab, profiles
from stance.schema import FRAMES, LENSES, STANCES


def random_sentences(n: int, seed: int = 0, article: str = "a") -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    stance = rng.dirichlet(np.ones(3), n)
    frame = rng.dirichlet(np.ones(5), n)
    table = pd.DataFrame({"article": article, "sentence": range(n)})
    for i, label in enumerate(STANCES):
        table[f"p_stance_{label}"] = stance[:, i]
    for i, label in enumerate(FRAMES):
        table[f"p_frame_{label}"] = frame[:, i]
    return table


@pytest.mark.parametrize("n", [1, 2, 17, 300])
def test_shares_sum_to_one_and_lean_stays_in_range(n):
    row = profiles(random_sentences(n, seed=n)).iloc[0]
    assert sum(row[f"stance_{s}"] for s in STANCES) == pytest.approx(1)
    assert sum(row[f"frame_{f}"] for f in FRAMES) == pytest.approx(1)
    assert -1 <= row["net_lean_low"] <= row["net_lean"] <= row["net_lean_high"] <= 1
    assert row["dominant_frame"] in LENSES
    assert sum(row[f"cross_{s}_{f}"] for s in STANCES for f in FRAMES) == pytest.approx(1)


def test_net_lean_is_the_mean_of_openai_minus_musk():
    table = random_sentences(3)
    table["p_stance_pro_openai"], table["p_stance_pro_musk"], table["p_stance_neutral"] = [1, 0, 0], [0, 1, 0], [0, 0, 1]
    row = profiles(table).iloc[0]
    assert row["net_lean"] == pytest.approx(0)
    assert row["stance_neutral"] == pytest.approx(1 / 3)


def test_dominant_frame_ignores_none():
    table = random_sentences(4)
    for label in FRAMES:
        table[f"p_frame_{label}"] = 0.0
    table["p_frame_none"], table["p_frame_law"] = 0.8, 0.2
    row = profiles(table).iloc[0]
    assert row["frame_none"] == pytest.approx(0.8)
    assert row["dominant_frame"] == "law"


def test_bootstrap_is_reproducible_and_narrows_with_more_sentences():
    small, large = random_sentences(20, seed=1), random_sentences(2000, seed=1)
    assert profiles(small, seed=3).equals(profiles(small, seed=3))
    width = lambda row: row["net_lean_high"] - row["net_lean_low"]  # noqa: E731
    assert width(profiles(large).iloc[0]) < width(profiles(small).iloc[0])
    for share in ("stance_pro_musk", "frame_law"):
        row = profiles(small).iloc[0]
        assert row[f"{share}_low"] <= row[share] <= row[f"{share}_high"]


def test_profiles_keep_article_order_and_crosstab_has_every_label():
    table = pd.concat([random_sentences(5, article="b"), random_sentences(4, article="a")])
    assert profiles(table)["article"].tolist() == ["b", "a"]
    cross = crosstab(table)
    assert list(cross.index) == list(STANCES) and list(cross.columns) == list(FRAMES)
    assert cross.to_numpy().sum() == pytest.approx(1)
