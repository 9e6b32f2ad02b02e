"""`stance label gold`: gold from pass A and the adjudication, never dropping an imported label."""

import csv
import json
import shutil

import pytest
from typer.testing import CliRunner

from stance.annotation.gold import build_gold
from stance.annotation.labels import LabelError, read_rows, write_rows
from stance.cli import app
from stance.paths import LABELS, ROOT
from stance.schema import SENTENCE_KEYS

runner = CliRunner()
GAMMA = "Dépêche\nMusk relance son offre. OpenAI refuse encore."


def invoke(*args, **kwargs):
    return runner.invoke(app, ["label", *map(str, args)], **kwargs)


def snapshot(directory):
    return {p.relative_to(directory): p.read_bytes() for p in directory.rglob("*") if p.is_file()}


def write_csv(path, rows, columns):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def passes(label_dir):
    """Pass A = gold, but without t1's last sentence (gold too); pass B differs from A on one sentence
    of t2, which the adjudication settles."""
    shutil.copytree(label_dir / "gold", label_dir / "passes" / "a")
    for folder in ("gold", "passes/a"):
        write_rows(label_dir / folder / "t1_pro_musk.csv", read_rows(label_dir / folder / "t1_pro_musk.csv")[:3])
    second = read_rows(label_dir / "gold" / "t2_pro_openai.csv")
    second[1]["stance"] = "neutral"
    write_rows(label_dir / "passes" / "b" / "t2_pro_openai.csv", second)
    write_csv(label_dir / "adjudication.csv", [dict(article="t2_pro_openai", sentence=1, stance="neutral", frame="money",
                                                    note="reported speech")], ["article", "sentence", "stance", "frame", "note"])
    return label_dir


def import_labels(label_dir, tmp_path, rows, texts=None, name="ann.csv"):
    path = tmp_path / name
    write_csv(path, rows, SENTENCE_KEYS + ("stance", "frame"))
    if texts:
        (tmp_path / f"{path.stem}.articles.jsonl").write_text(
            "".join(json.dumps({"article": a, "text": t}) + "\n" for a, t in texts.items()), encoding="utf-8")
    result = invoke("import", path, "--labels", label_dir, "--annotator", "ann")
    assert result.exit_code == 0, result.output


@pytest.fixture
def imported(passes, tmp_path):
    """t1's last sentence and a new article, gamma, merged by `stance label import`."""
    text = (passes / "written" / "t1_pro_musk.txt").read_text(encoding="utf-8")
    start = text.index("Bravo")
    import_labels(passes, tmp_path, [dict(article="t1_pro_musk", sentence=3, start=start, end=len(text), text=text[start:],
                                          stance="pro_musk", frame="none")])
    cut = GAMMA.index("Musk")
    import_labels(passes, tmp_path, [
        dict(article="gamma", sentence=0, start=0, end=7, text="Dépêche", stance="neutral", frame="none"),
        dict(article="gamma", sentence=1, start=cut, end=cut + 23, text="Musk relance son offre.", stance="neutral",
             frame="money"),
    ], {"gamma": GAMMA}, name="gamma.csv")
    return passes


def test_gold_is_pass_a_with_the_adjudicated_sentences(passes):
    result = invoke("gold", "--labels", passes)
    assert result.exit_code == 0, result.output
    assert "11 sentences in 3 articles from the passes (1 adjudicated, 0 imported labels kept); 1 files changed" in result.stderr
    row = read_rows(passes / "gold" / "t2_pro_openai.csv")[1]
    assert (row["stance"], row["frame"], row["annotator"]) == ("neutral", "money", "adjudicated")
    again = invoke("gold", "--labels", passes)
    assert "0 files changed" in again.stderr


def test_an_undecided_disagreement_is_one_error_and_nothing_is_written(passes):
    (passes / "adjudication.csv").write_text("article,sentence,stance,frame,note\n", encoding="utf-8")
    before = snapshot(passes)
    result = invoke("gold", "--labels", passes)
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("Error: 1 disagreements between the passes are not adjudicated")
    assert "t2_pro_openai sentence 1" in result.stderr
    assert snapshot(passes) == before


def test_the_gold_step_keeps_every_imported_label(imported):
    gamma, manifest = (imported / "gold" / "gamma.csv").read_bytes(), (imported / "articles.csv").read_bytes()
    result = invoke("gold", "--labels", imported)
    assert result.exit_code == 0, result.output
    assert "1 imported labels kept" in result.stderr and "Conflict" not in result.stderr
    rows = read_rows(imported / "gold" / "t1_pro_musk.csv")
    assert [r["provenance"] for r in rows] == ["written"] * 3 + ["imported"]
    assert (imported / "gold" / "gamma.csv").read_bytes() == gamma
    assert (imported / "articles.csv").read_bytes() == manifest


def test_an_imported_label_wins_over_pass_a_and_the_difference_is_reported(imported):
    first = read_rows(imported / "gold" / "t1_pro_musk.csv")
    write_rows(imported / "passes" / "a" / "t1_pro_musk.csv",
               [dict(row, provenance="written", stance="neutral") if row["provenance"] == "imported" else row for row in first])
    result = invoke("gold", "--labels", imported)
    assert result.exit_code == 0, result.output
    assert "Conflict: " in result.stderr
    assert "sentence 3: kept the imported pro_musk/none, pass A says neutral/none" in result.stderr
    assert read_rows(imported / "gold" / "t1_pro_musk.csv")[3]["stance"] == "pro_musk"


def test_a_bad_adjudication_row_and_missing_passes_are_errors(passes):
    bad = "article,sentence,stance,frame\nt2_pro_openai,1,pro_macron,money\n"
    (passes / "adjudication.csv").write_text(bad, encoding="utf-8")
    with pytest.raises(LabelError, match="adjudication.csv, row 2"):
        build_gold(passes)
    shutil.rmtree(passes / "passes")
    (passes / "adjudication.csv").unlink()
    with pytest.raises(LabelError, match="no pass-A label files"):
        build_gold(passes)


def test_the_repository_gold_is_what_its_passes_and_adjudication_build(tmp_path):
    """Every gold file, the label review's decisions included, is rebuilt byte for byte by `stance label gold`."""
    shutil.copytree(LABELS, tmp_path / "labels")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    report = build_gold(tmp_path / "labels")
    assert report.changed == [] and report.articles == len(list(LABELS.glob("gold/*.csv")))
    with open(LABELS / "adjudication.csv", encoding="utf-8", newline="") as handle:
        decisions = list(csv.DictReader(handle))
    assert report.adjudicated == len(decisions)
    assert sum(row["note"].startswith("label review r1: ") for row in decisions) == 23
