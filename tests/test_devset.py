import csv
import subprocess
import sys
from pathlib import Path

import pytest

from stance.annotation.labels import write_rows
from stance.annotation.tool import template_rows
from stance.devset import (DEV_LABELS, FRESH_LABELS, LABEL_COLUMNS, DevSetMissing, build_gold, freeze_pass, load_dev,
                           read_csv, sentence_hash, write_csv)

ROOT = Path(__file__).resolve().parent.parent
CHECK_SOURCES = ROOT.parent / "shared" / "tools" / "check_sources.py"
TEXT = "Titre d'essai\nMusk accuse OpenAI de trahison. Le conseil refuse l'offre. Un fait neutre."


def labelled(labels):
    rows = template_rows("art", TEXT, "real_dev", "tests")
    for row, (stance, frame) in zip(rows, labels):
        row.update(stance=stance, frame=frame)
    return rows


LABELS = [("neutral", "none"), ("pro_musk", "ideology"), ("pro_openai", "money"), ("neutral", "none")]


def dev_dir(tmp_path, text=TEXT):
    labels_dir, texts = tmp_path / "real_dev", tmp_path / "texts"
    texts.mkdir(parents=True)
    (texts / "art.txt").write_text(text, encoding="utf-8")
    write_csv(labels_dir / "manifest.csv", [{"article": "art", "source_url": "https://example.org/a"}], ["article", "source_url"])
    from stance.devset import hashed_rows
    write_csv(labels_dir / "gold.csv", hashed_rows(labelled(LABELS)), LABEL_COLUMNS)
    return labels_dir, texts


def test_the_repository_keeps_hashes_never_sentences(tmp_path):
    labels_dir, _ = dev_dir(tmp_path)
    stored = (labels_dir / "gold.csv").read_text(encoding="utf-8")
    assert "trahison" not in stored and sentence_hash("Le conseil refuse l'offre.") in stored


def test_hashes_ignore_white_space_and_unicode_form():
    assert sentence_hash("Un  fait\u00a0neutre. ") == sentence_hash("Un fait neutre.")
    assert sentence_hash("e\u0301") == sentence_hash("é") != sentence_hash("e")


def test_loading_matches_labels_to_the_rebuilt_text(tmp_path):
    labels_dir, texts = dev_dir(tmp_path)
    dev = load_dev(labels_dir, texts)
    assert dev.gold["stance"].tolist() == [s for s, _ in LABELS] and dev.unmatched_sentences == 0
    assert all(TEXT[r.start:r.end] == r.text for r in dev.gold.itertuples())


def test_a_rebuilt_text_that_differs_loses_only_the_changed_sentence(tmp_path):
    labels_dir, texts = dev_dir(tmp_path)
    (texts / "art.txt").write_text(TEXT.replace("refuse", "rejette"), encoding="utf-8")
    dev = load_dev(labels_dir, texts)
    assert dev.unmatched_sentences == 1 and "pro_openai" not in dev.gold["stance"].tolist()


def test_absent_texts_are_said_clearly(tmp_path):
    labels_dir, texts = dev_dir(tmp_path)
    (texts / "art.txt").unlink()
    with pytest.raises(DevSetMissing, match="rebuild them"):
        load_dev(labels_dir, texts)


def test_gold_needs_every_disagreement_adjudicated(tmp_path):
    labels_dir = tmp_path / "real_dev"
    for name, labels in (("a", LABELS), ("b", LABELS[:2] + [("neutral", "money")] + LABELS[3:])):
        write_rows(tmp_path / name / "art.csv", labelled(labels))
        freeze_pass(tmp_path / name, labels_dir / "passes" / f"{name}.csv")
    write_csv(labels_dir / "adjudication.csv", [], ["article", "sentence", "stance", "frame"])
    with pytest.raises(ValueError, match="1 disagreements not adjudicated"):
        build_gold(labels_dir)
    write_csv(labels_dir / "adjudication.csv", [{"article": "art", "sentence": 2, "stance": "neutral", "frame": "money"}],
              ["article", "sentence", "stance", "frame"])
    gold = build_gold(labels_dir)
    assert [(r["stance"], r["decided_by"]) for r in gold][2] == ("neutral", "adjudication")
    assert {r["decided_by"] for r in gold} == {"both passes", "adjudication"}


def test_a_pass_still_being_labelled_is_left_out(tmp_path):
    write_rows(tmp_path / "a" / "art.csv", labelled(LABELS[:2]))  # two sentences still unlabelled
    assert freeze_pass(tmp_path / "a", tmp_path / "a.csv") == 0


@pytest.mark.skipif(not CHECK_SOURCES.is_file(), reason="../shared/tools/check_sources.py is not beside the project")
@pytest.mark.parametrize("manifest", ["labels/real_dev/manifest.csv", "labels/real_fresh/manifest.csv",
                                      "labels/articles.csv"])
def test_no_source_is_an_excluded_article(manifest):
    result = subprocess.run([sys.executable, str(CHECK_SOURCES), "--csv", str(ROOT / manifest)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    with open(ROOT / manifest, newline="", encoding="utf-8") as handle:
        assert any(row.get("source_url") for row in csv.DictReader(handle))


def source_urls(manifest: str) -> set[str]:
    with open(ROOT / manifest, newline="", encoding="utf-8") as handle:
        return {row["source_url"].split("://")[-1].removeprefix("www.").rstrip("/").lower()
                for row in csv.DictReader(handle) if row.get("source_url")}


@pytest.mark.parametrize("first, second", [("labels/articles.csv", "labels/real_dev/manifest.csv"),
                                           ("labels/articles.csv", "labels/real_fresh/manifest.csv"),
                                           ("labels/real_dev/manifest.csv", "labels/real_fresh/manifest.csv")])
def test_no_article_has_a_source_of_another_set(first, second):
    assert source_urls(first) and source_urls(second) and not source_urls(first) & source_urls(second)


@pytest.mark.parametrize("labels_dir", [DEV_LABELS, FRESH_LABELS], ids=["real_dev", "real_fresh"])
def test_the_stored_gold_is_what_the_passes_and_adjudication_give(labels_dir):
    stored = read_csv(labels_dir / "gold.csv")
    assert stored and [{k: str(v) for k, v in row.items()} for row in build_gold(labels_dir)] == stored
    articles = {row["article"] for row in read_csv(labels_dir / "manifest.csv")}
    assert {row["article"] for row in stored} == articles
