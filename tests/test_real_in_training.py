"""experiments/real_in_training.py: groups of whole articles, and every row labelled by its own group's model."""

import sys

import numpy as np
import pandas as pd

import stance.model
from stance.annotation.labels import training_gold
from stance.model import Settings, fit_model
from stance.paths import ROOT

sys.path.append(str(ROOT / "experiments"))  # after the installed packages: its scripts are plain module names
import domains  # noqa: E402
import real_in_training  # noqa: E402


def test_each_article_is_labelled_in_one_group_and_trained_on_in_the_others():
    dev = pd.DataFrame({"article": [a for a in "abcdefgh" for _ in range(3)]})
    groups = real_in_training.article_splits(dev["article"], real_in_training.GROUPS)  # as main() cuts them
    labelled = np.concatenate([test_rows for _, test_rows in groups])
    assert sorted(labelled) == list(range(len(dev)))
    for train_rows, test_rows in groups:
        assert not set(dev["article"].iloc[train_rows]) & set(dev["article"].iloc[test_rows])
        assert len(train_rows) + len(test_rows) == len(dev)


def test_pooled_labels_go_back_to_their_rows():
    parts = [(np.array([2, 0]), {"stance": ["neutral", "pro_musk"], "frame": ["law", "money"]}),
             (np.array([1]), {"stance": ["pro_openai"], "frame": ["none"]})]
    labels = real_in_training.pooled(3, parts)
    assert labels["stance"].tolist() == ["pro_musk", "pro_openai", "neutral"]
    assert labels["frame"].tolist() == ["money", "none", "law"]


def test_a_group_is_labelled_by_a_weighted_model_trained_on_the_others(label_dir, monkeypatch):
    gold = training_gold(label_dir)
    dev = gold[gold["article"] != "t3_neutral"].reset_index(drop=True)
    train = gold[gold["article"] == "t3_neutral"]
    seen = {}

    def fake_labels(training, settings, test):
        seen.update(training=set(training["article"]), test=set(test["article"]),
                    weighted=stance.model.fit_model is not fit_model)
        return {task: test[task].to_numpy() for task in ("stance", "frame")}

    monkeypatch.setattr(domains, "held_out_labels", fake_labels)  # real_in_training fits through domains.fitted_labels
    test_rows = np.flatnonzero(dev["article"] == "t1_pro_musk")
    labels = real_in_training.group_labels(train, dev, Settings(), np.flatnonzero(dev["article"] != "t1_pro_musk"),
                                           test_rows, 4.0)
    assert seen == {"training": {"t3_neutral", "t2_pro_openai"}, "test": {"t1_pro_musk"}, "weighted": True}
    assert labels["stance"].tolist() == dev["stance"].iloc[test_rows].tolist()
    assert stance.model.fit_model is fit_model
