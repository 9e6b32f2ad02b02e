import pytest

from stance.annotation.labels import LabelError, check_rows, labels_hash, load_gold, read_rows, write_rows

TEXT = "Titre\nMusk propose. OpenAI refuse."


def rows():
    return [
        dict(article="a", sentence=0, start=0, end=5, text="Titre", stance="neutral", frame="none",
             provenance="written", annotator="x"),
        dict(article="a", sentence=1, start=6, end=19, text="Musk propose.", stance="neutral", frame="money",
             provenance="written", annotator="x"),
    ]


def test_valid_rows_pass():
    check_rows(rows(), TEXT, "a.csv")


@pytest.mark.parametrize("change, message", [
    ({"stance": "pro_macron"}, "unknown stance"),
    ({"frame": ""}, "unknown frame"),
    ({"end": 18}, "do not match"),
    ({"provenance": "web"}, "unknown provenance"),
    ({"sentence": 0}, "duplicate sentence"),
])
def test_bad_rows_are_named_by_row(change, message):
    bad = rows()
    bad[1].update(change)
    with pytest.raises(LabelError, match=f"row 3: .*{message}"):
        check_rows(bad, TEXT, "a.csv")


def test_missing_columns_are_named(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("article,sentence\na,0\n")
    with pytest.raises(LabelError, match="missing columns"):
        read_rows(path)


def test_round_trip_and_gold_loading(label_dir, tmp_path):
    write_rows(tmp_path / "x.csv", rows())
    assert read_rows(tmp_path / "x.csv") == rows()
    gold = load_gold(label_dir)
    assert gold["article"].nunique() == 3
    assert gold.groupby("article")["sentence"].apply(lambda s: list(s) == list(range(len(s)))).all()
    assert labels_hash(gold) == labels_hash(gold.copy())
    changed = gold.copy()
    changed.loc[0, "stance"] = "pro_musk"
    assert labels_hash(changed) != labels_hash(gold)
