"""The annotation loop through `stance label export|suggest|import|agreement`: export, edit, import,
retrain; suggestions; agreement; bad rows named by row."""

import csv
import json
import re
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from stance.annotation.export import export_sentences, most_uncertain, suggestions
from stance.annotation.formats import EXPORT_COLUMNS, read_annotations
from stance.annotation.importing import import_labels
from stance.annotation.labels import LabelError, load_gold, read_manifest, read_rows
from stance.cli import app
from stance.documents import Document
from stance.model import load_model
from stance.schema import SENTENCE_KEYS, TASKS

runner = CliRunner()
SUFFIXES = {"csv": ".csv", "label-studio": ".json", "doccano": ".jsonl"}
NEW_ARTICLES = {
    "alpha": "Tribune\nOpenAI a trahi sa mission, dit Musk. Le procès aura lieu au printemps 2026.",
    "beta": "Dépêche\nLe conseil d'OpenAI refuse l'offre de 97,4 milliards. Altman se moque de Musk.",
}


def invoke(*args, **kwargs):
    return runner.invoke(app, [str(a) for a in args], **kwargs)


def snapshot(directory: Path) -> dict:
    return {p.relative_to(directory): p.read_bytes() for p in directory.rglob("*") if p.is_file()}


@pytest.fixture
def articles(tmp_path) -> Path:
    folder = tmp_path / "new"
    folder.mkdir()
    for name, text in NEW_ARTICLES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def export(articles, tiny_model, tmp_path, fmt, *extra) -> Path:
    out = tmp_path / f"export{SUFFIXES[fmt]}"
    result = invoke("label", "export", articles, "-m", tiny_model, "-o", out, *extra)
    assert result.exit_code == 0, result.output
    return out


# Editing an export as an annotator would in each tool --------------------------------------------


def accept_in_label_studio(tasks: list, email: str = "ann@example.org") -> list:
    """What Label Studio exports after an annotator submits each task with its prediction unchanged."""
    for task in tasks:
        result = [{k: v for k, v in r.items() if k != "score"} for r in task["predictions"][0]["result"]]
        task["annotations"] = [{"completed_by": {"email": email}, "was_cancelled": False, "result": result}]
    return tasks


def other_stance(stance: str) -> str:
    return next(s for s in TASKS["stance"] if s != stance)


def edit(path: Path, fmt: str) -> str:
    """Accept every suggestion but change the first sentence's stance; returns the new stance."""
    if fmt == "csv":
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        rows[0]["stance"] = stance = other_stance(rows[0]["stance"])
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    elif fmt == "label-studio":
        tasks = accept_in_label_studio(json.loads(path.read_text(encoding="utf-8")))
        choices = tasks[0]["annotations"][0]["result"][0]["value"]["choices"]
        choices[0] = stance = other_stance(choices[0])
        path.write_text(json.dumps(tasks), encoding="utf-8")
    else:
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        stance = other_stance(lines[0]["label"][0].removeprefix("stance:"))
        lines[0]["label"] = [f"stance:{stance}", lines[0]["label"][1]]
        path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return stance


# Export ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", SUFFIXES)
def test_every_export_carries_what_rebuilds_the_offsets(articles, tiny_model, tmp_path, fmt):
    out = export(articles, tiny_model, tmp_path, fmt)
    rows = read_annotations(out)
    assert {r["article"] for r in rows} == set(NEW_ARTICLES)
    texts = {r["article"]: r["article_text"] for r in rows}
    assert texts == NEW_ARTICLES
    for row in rows:
        assert texts[row["article"]][int(row["start"]):int(row["end"])] == row["text"]


def test_csv_export_holds_suggestions_probabilities_and_uncertainty(articles, tiny_model, tmp_path):
    out = export(articles, tiny_model, tmp_path, "csv")
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    assert all(0 <= float(r["uncertainty"]) <= 1 and 0 < float(r["stance_probability"]) <= 1 for r in rows)
    sidecar = [json.loads(line) for line in (tmp_path / "export.articles.jsonl").read_text().splitlines()]
    assert sidecar == [{"article": a, "text": t} for a, t in NEW_ARTICLES.items()]


def test_label_studio_export_has_config_data_and_scored_predictions(articles, tiny_model, tmp_path):
    out = export(articles, tiny_model, tmp_path, "label-studio")
    config = ElementTree.fromstring((tmp_path / "export.label_config.xml").read_text())
    choices = {c.get("name"): [x.get("value") for x in c.iter("Choice")] for c in config.iter("Choices")}
    assert choices == {task: list(labels) for task, labels in TASKS.items()}
    assert {c.get("toName") for c in config.iter("Choices")} == {config.find("Text").get("name")}
    task = json.loads(out.read_text())[0]
    assert set(SENTENCE_KEYS) | {"article_text"} <= set(task["data"])
    prediction = task["predictions"][0]
    assert 0 <= prediction["score"] <= 1
    assert [r["from_name"] for r in prediction["result"]] == list(TASKS)
    assert all(r["type"] == "choices" and len(r["value"]["choices"]) == 1 and 0 < r["score"] <= 1
               for r in prediction["result"])


def test_doccano_export_has_prefixed_labels_and_a_label_set(articles, tiny_model, tmp_path):
    out = export(articles, tiny_model, tmp_path, "doccano")
    line = json.loads(out.read_text().splitlines()[0])
    assert line["label"][0].startswith("stance:") and line["label"][1].startswith("frame:")
    assert set(SENTENCE_KEYS) | {"article_text", "uncertainty"} <= set(line)
    label_set = json.loads((tmp_path / "export.labels.json").read_text())
    assert {t["text"] for t in label_set} == {f"{task}:{label}" for task, labels in TASKS.items() for label in labels}
    assert all(t["background_color"].startswith("#") for t in label_set)


def test_standard_input_is_exported_as_the_article_stdin(tiny_model, tmp_path):
    out = tmp_path / "stdin.csv"
    result = invoke("label", "export", "-", "-m", tiny_model, "-o", out, input="Musk propose 97 milliards.")
    assert result.exit_code == 0, result.output
    assert {r["article"] for r in read_annotations(out)} == {"stdin"}
    assert json.loads((tmp_path / "stdin.articles.jsonl").read_text())["text"] == "Musk propose 97 milliards."


def test_format_flag_overrides_the_suffix_and_an_unknown_suffix_is_an_error(articles, tiny_model, tmp_path):
    out = tmp_path / "tasks.txt"
    assert invoke("label", "export", articles, "-m", tiny_model, "-o", out, "-f", "doccano").exit_code == 0
    assert json.loads(out.read_text().splitlines()[0])["label"]
    bad = invoke("label", "export", articles, "-m", tiny_model, "-o", tmp_path / "x.txt")
    assert bad.exit_code == 1 and bad.stderr.startswith("Error: ") and "--format" in bad.stderr


# The whole loop --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", SUFFIXES)
def test_round_trip_export_edit_import_retrain(articles, tiny_model, label_dir, tmp_path, fmt):
    out = export(articles, tiny_model, tmp_path, fmt)
    changed = edit(out, fmt)
    exported = read_annotations(out)
    first = exported[0]
    before = invoke("evaluate", "--labels", label_dir, "--folds", "3", "-f", "json")
    annotator = [] if fmt == "label-studio" else ["--annotator", "ann"]
    result = invoke("label", "import", out, "--labels", label_dir, *annotator)
    assert result.exit_code == 0, result.output
    assert f"Imported {len(exported)} new labels" in result.stderr

    gold = read_rows(label_dir / "gold" / f"{first['article']}.csv")
    assert gold[0]["stance"] == changed
    assert {r["provenance"] for r in gold} == {"imported"}
    assert {r["annotator"] for r in gold} == {"ann@example.org" if fmt == "label-studio" else "ann"}
    entries = {e["article"]: e for e in read_manifest(label_dir)}
    assert entries["alpha"]["path"] == "imported/alpha.txt" and entries["alpha"]["provenance"] == "imported"
    assert (label_dir / "imported" / "beta.txt").read_text(encoding="utf-8") == NEW_ARTICLES["beta"]

    model = tmp_path / "retrained"
    trained = invoke("train", "--labels", label_dir, "--out", model, "--no-evaluate")
    assert trained.exit_code == 0, trained.output
    config = json.loads((model / "config.json").read_text())
    assert config["training"]["articles"] == 5
    assert config["training"]["provenance"]["imported"] == len(exported)
    after = invoke("evaluate", "--labels", label_dir, "--folds", "3", "-f", "json")
    assert before.exit_code == after.exit_code == 0, before.output + after.output
    support = [json.loads(r.stdout)[-1]["support"] for r in (before, after)]
    assert support[1] == support[0] + len(exported)


ARTICLE_IDS = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True)
ARTICLE_TEXTS = st.one_of(
    st.lists(st.sampled_from(["Musk", "OpenAI", "a", "raison", "l'offre", "97,4", "milliards", "« non »", "!", "?",
                              ".", "…", "—", "procès", "Altman.", "\n", "\n\n", " ", "\t", "\u00a0", '"', ",",
                              "M.", "https://x.com/a", "Élan", ";"]), min_size=1, max_size=25).map(" ".join),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), min_size=1, max_size=40),
).filter(lambda text: text.strip())


@pytest.fixture(scope="module")
def loaded_model(tiny_model):
    return load_model(tiny_model)


@pytest.mark.parametrize("fmt", SUFFIXES)
@settings(max_examples=25, deadline=None)
@given(texts=st.dictionaries(ARTICLE_IDS, ARTICLE_TEXTS, min_size=1, max_size=3))
def test_importing_unchanged_suggestions_gives_back_the_exported_rows(loaded_model, fmt, texts):
    table, _ = suggestions([Document(k, v) for k, v in texts.items()], loaded_model)
    assume(len(table))
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / f"export{SUFFIXES[fmt]}"
        export_sentences(table, texts, out, None, "tiny")
        if fmt == "label-studio":
            out.write_text(json.dumps(accept_in_label_studio(json.loads(out.read_text(encoding="utf-8")))),
                           encoding="utf-8")
        report = import_labels(out, Path(folder) / "labels", annotator="prop")
        gold = load_gold(Path(folder) / "labels")
    keys = ["article", "sentence", "start", "end", "text", "stance", "frame"]
    expected = table.sort_values(["article", "sentence"])[keys].to_dict(orient="records")
    assert gold[keys].to_dict(orient="records") == expected
    assert report.added == len(table) and not report.warnings and not report.conflicts


# Bad rows --------------------------------------------------------------------------------------


@pytest.fixture
def csv_export(articles, tiny_model, tmp_path):
    out = export(articles, tiny_model, tmp_path, "csv")
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return out, rows


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize("change, message", [
    ({"stance": "pro_macron"}, "unknown stance 'pro_macron'"),
    ({"frame": "sport"}, "unknown frame 'sport'"),
    ({"text": "Tribune modifiée"}, "no longer matches article alpha"),
    ({"end": "3"}, "no longer matches article alpha"),
    ({"start": "x"}, "must be integers"),
    ({"article": "../etc"}, "cannot name a file"),
    ({"article": "gamma"}, "no text for article gamma"),
])
def test_each_bad_row_is_named_in_one_error_line(csv_export, label_dir, change, message):
    out, rows = csv_export
    rows[1].update(change)
    write_csv(out, rows)
    before = snapshot(label_dir)
    result = invoke("label", "import", out, "--labels", label_dir, "--annotator", "ann")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and len(result.stderr.strip().splitlines()) == 1
    assert re.search(f"1 bad row: row 3: [^;]*{re.escape(message)}", result.stderr), result.stderr
    assert snapshot(label_dir) == before


def test_every_bad_row_is_listed_and_nothing_is_written(csv_export, label_dir):
    out, rows = csv_export
    rows[0]["stance"] = "pro_macron"
    rows[2]["text"] = "autre chose"
    rows.append(dict(rows[1], frame="law" if rows[1]["frame"] != "law" else "money"))
    write_csv(out, rows)
    before = snapshot(label_dir)
    result = invoke("label", "import", out, "--labels", label_dir, "--annotator", "ann")
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1
    error = result.stderr
    assert "3 bad rows" in error and "row 2: unknown stance" in error and "row 4: the sentence no longer" in error
    assert f"row {len(rows) + 1}: sentence 1 of alpha is also on row 3" in error
    assert snapshot(label_dir) == before


def test_rows_without_labels_and_exact_repeats_are_warned_and_left_out(csv_export, label_dir):
    out, rows = csv_export
    rows[0]["stance"] = ""
    rows[1]["frame"] = " "
    rows.append(dict(rows[2]))
    write_csv(out, rows)
    result = invoke("label", "import", out, "--labels", label_dir, "--annotator", "ann")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning: ")]
    assert len(warnings) == 3
    assert "row 2: no stance label; left out" in warnings[0] and "row 3: no frame label" in warnings[1]
    assert f"row {len(rows) + 1}: repeats row 4" in warnings[2]
    assert [r["sentence"] for r in read_rows(label_dir / "gold" / "alpha.csv")] == [2]


def test_label_studio_tasks_skipped_or_disputed_are_left_out_and_bad_choices_are_errors(
        articles, tiny_model, tmp_path, label_dir):
    out = export(articles, tiny_model, tmp_path, "label-studio")
    tasks = accept_in_label_studio(json.loads(out.read_text()))
    tasks[0]["annotations"][0]["was_cancelled"] = True
    tasks[1]["annotations"] = []
    tasks[2]["annotations"].append({"completed_by": 7, "result": []})
    out.write_text(json.dumps(tasks))
    result = invoke("label", "import", out, "--labels", label_dir)
    assert result.exit_code == 0, result.output
    assert "row 1: skipped in Label Studio" in result.stderr and "row 2: no annotation" in result.stderr
    assert "row 3: its 2 annotations disagree" in result.stderr
    tasks[3]["annotations"][0]["result"][1]["value"]["choices"] = ["money", "law"]
    out.write_text(json.dumps(tasks))
    result = invoke("label", "import", out, "--labels", label_dir)
    assert result.exit_code == 1 and "row 4: several frame labels (money, law)" in result.stderr


def test_doccano_unknown_label_and_missing_annotator_are_errors(articles, tiny_model, tmp_path, label_dir):
    out = export(articles, tiny_model, tmp_path, "doccano")
    no_annotator = invoke("label", "import", out, "--labels", label_dir)
    assert no_annotator.exit_code == 1 and "pass --annotator" in no_annotator.stderr
    lines = out.read_text().splitlines()
    first = json.loads(lines[0])
    first["label"].append("sentiment:joy")
    out.write_text("\n".join([json.dumps(first)] + lines[1:]) + "\n")
    result = invoke("label", "import", out, "--labels", label_dir, "--annotator", "ann")
    assert result.exit_code == 1 and "row 1: unknown label 'sentiment:joy'" in result.stderr


def test_an_article_already_in_the_directory_with_another_text_is_refused(csv_export, label_dir):
    out, rows = csv_export
    (label_dir / "imported").mkdir()
    (label_dir / "imported" / "alpha.txt").write_text("Un autre texte.", encoding="utf-8")
    with open(label_dir / "articles.csv", "a", newline="", encoding="utf-8") as handle:
        handle.write("alpha,imported,imported/alpha.txt,,,\r\n")
    result = invoke("label", "import", out, "--labels", label_dir, "--annotator", "ann")
    assert result.exit_code == 1
    assert "row 2: article alpha is already in the label directory with a different text" in result.stderr


def test_unknown_provenance_and_carriage_returns_are_refused(csv_export, label_dir, tmp_path):
    out, _ = csv_export
    with pytest.raises(LabelError, match="unknown provenance 'web'"):
        import_labels(out, label_dir, annotator="ann", provenance="web")
    sidecar = tmp_path / "export.articles.jsonl"
    sidecar.write_text(sidecar.read_text().replace("\\n", "\\r\\n"))
    with pytest.raises(LabelError, match="row 2: the text of article alpha holds carriage returns"):
        import_labels(out, label_dir, annotator="ann")


# Conflicts and atomicity -----------------------------------------------------------------------


def test_a_label_that_differs_from_gold_goes_to_conflicts_and_gold_is_kept(csv_export, label_dir):
    out, rows = csv_export
    assert invoke("label", "import", out, "--labels", label_dir, "--annotator", "ann").exit_code == 0
    gold = snapshot(label_dir / "gold")
    old = rows[1]["stance"]
    rows[1]["stance"] = next(s for s in TASKS["stance"] if s != old)
    write_csv(out, rows)
    for _ in range(2):  # a second identical import records the conflict once
        result = invoke("label", "import", out, "--labels", label_dir, "--annotator", "bob")
        assert result.exit_code == 0, result.output
        assert "Conflict: alpha, sentence 1" in result.stderr and f"gold says {old}/" in result.stderr
        assert "Imported 0 new labels" in result.stderr
    assert snapshot(label_dir / "gold") == gold
    conflicts = read_annotations(label_dir / "conflicts" / "alpha.csv")
    assert len(conflicts) == 1 and conflicts[0]["stance"] == [rows[1]["stance"]] and conflicts[0]["annotator"] == "bob"
    with open(label_dir / "conflicts" / "alpha.csv", newline="", encoding="utf-8") as handle:
        assert next(csv.DictReader(handle))["gold_stance"] == old


def test_labels_for_an_existing_gold_article_are_merged_without_changing_it(label_dir, tmp_path):
    gold = read_rows(label_dir / "gold" / "t1_pro_musk.csv")
    gold[1]["stance"] = "pro_openai"
    path = tmp_path / "mine.csv"
    write_csv(path, gold[:2])  # no sidecar: the text comes from the label directory
    manifest = (label_dir / "articles.csv").read_bytes()
    result = invoke("label", "import", path, "--labels", label_dir)
    assert result.exit_code == 0, result.output
    assert "1 already in gold, 1 conflicts" in result.stderr
    assert read_rows(label_dir / "gold" / "t1_pro_musk.csv")[1]["stance"] == "pro_musk"
    assert (label_dir / "articles.csv").read_bytes() == manifest


def test_a_failed_write_leaves_the_label_directory_as_it_was(csv_export, label_dir, monkeypatch):
    import stance.output

    out, _ = csv_export
    before = snapshot(label_dir)
    real, calls = stance.output.write_text, []

    def fail_on_third(content, path):
        calls.append(path)
        if len(calls) == 3:
            raise OSError("disk full")
        real(content, path)

    monkeypatch.setattr(stance.output, "write_text", fail_on_third)
    result = invoke("label", "import", out, "--labels", label_dir, "--annotator", "ann")
    assert result.exit_code == 1 and "disk full" in result.stderr
    assert len(calls) == 3
    assert snapshot(label_dir) == before
    assert sorted(p.name for p in label_dir.iterdir()) == ["articles.csv", "gold", "written"]


# Suggestions -----------------------------------------------------------------------------------


def test_most_uncertain_skips_near_duplicates():
    import pandas as pd

    table = pd.DataFrame({
        "text": ["Lire aussi : Musk contre OpenAI", "Lire aussi : Musk contre OpenAI !", "Le procès commence.",
                 "Altman refuse l'offre.", "Bravo Elon"],
        "uncertainty": [0.9, 0.8, 0.7, 0.2, 0.5],
    })
    assert most_uncertain(table, 3)["text"].tolist() == [
        "Lire aussi : Musk contre OpenAI", "Le procès commence.", "Bravo Elon"]
    assert most_uncertain(table, 2, similarity=1.0)["uncertainty"].tolist() == [0.9, 0.8]
    assert len(most_uncertain(table, 50)) == 4


def test_suggest_exports_the_n_most_uncertain_sentences(articles, tiny_model, tmp_path):
    out = tmp_path / "next.jsonl"
    result = invoke("label", "suggest", articles, "--n", "3", "-m", tiny_model, "-o", out)
    assert result.exit_code == 0, result.output
    picked = [json.loads(line) for line in out.read_text().splitlines()]
    every = [json.loads(line) for line in export(articles, tiny_model, tmp_path, "doccano").read_text().splitlines()]
    assert len(picked) == 3 and len(every) > 3
    assert all(p in every for p in picked)
    assert [p["uncertainty"] for p in picked] == sorted((p["uncertainty"] for p in picked), reverse=True)
    assert picked[0]["uncertainty"] == max(e["uncertainty"] for e in every)


# Agreement -------------------------------------------------------------------------------------


@pytest.fixture
def two_passes(label_dir, tmp_path):
    first = read_rows(label_dir / "gold" / "t2_pro_openai.csv") + read_rows(label_dir / "gold" / "t3_neutral.csv")
    second = [dict(row) for row in first]
    second[1]["stance"] = "neutral"
    second[5]["frame"] = "ideology"
    write_csv(tmp_path / "a.csv", first)
    write_csv(tmp_path / "b.csv", second)
    return tmp_path / "a.csv", tmp_path / "b.csv", first, second


def test_agreement_reports_kappa_per_label_agreement_confusion_and_disagreements(two_passes):
    from sklearn.metrics import cohen_kappa_score

    a, b, first, second = two_passes
    result = invoke("label", "agreement", a, b, "-f", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    for task, labels in TASKS.items():
        expected = cohen_kappa_score([r[task] for r in first], [r[task] for r in second], labels=list(labels))
        assert report["tasks"][task]["kappa"] == pytest.approx(expected)
    assert report["sentences"] == 8
    assert report["tasks"]["stance"]["per_label"]["pro_openai"]["agreement"] == pytest.approx(2 / 3)
    assert sum(map(sum, report["tasks"]["frame"]["confusion"])) == 8
    assert [(d["article"], d["sentence"]) for d in report["disagreements"]] == [("t2_pro_openai", 1), ("t3_neutral", 1)]
    assert "stance kappa" in result.stderr


def test_agreement_as_csv_lists_the_disagreements_and_as_table_the_whole_report(two_passes, tmp_path):
    a, b, _, _ = two_passes
    out = tmp_path / "to_adjudicate.csv"
    assert invoke("label", "agreement", a, b, "-o", out).exit_code == 0
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["stance_a"], r["stance_b"]) for r in rows] == [("pro_openai", "neutral"), ("neutral", "neutral")]
    table = invoke("label", "agreement", a, b, "-f", "table").stdout
    assert table.count("confusion") == 2 and "disagreements to adjudicate" in table and "kappa" in table


def test_agreement_between_an_export_and_a_gold_csv(articles, tiny_model, tmp_path):
    out = export(articles, tiny_model, tmp_path, "label-studio")
    out.write_text(json.dumps(accept_in_label_studio(json.loads(out.read_text()))))
    gold = [dict(article=r["article"], sentence=r["sentence"], start=r["start"], end=r["end"], text=r["text"],
                 stance=r["stance"][0], frame=r["frame"][0]) for r in read_annotations(out)]
    write_csv(tmp_path / "gold.csv", gold)
    result = invoke("label", "agreement", out, tmp_path / "gold.csv", "-f", "jsonl")
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and f"over {len(gold)} sentences" in result.stderr


def test_agreement_without_common_sentences_is_an_error(two_passes, label_dir, tmp_path):
    a, _, _, _ = two_passes
    write_csv(tmp_path / "c.csv", read_rows(label_dir / "gold" / "t1_pro_musk.csv"))
    result = invoke("label", "agreement", a, tmp_path / "c.csv")
    assert result.exit_code == 1 and "no labelled sentence in common" in result.stderr
