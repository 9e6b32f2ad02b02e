import csv
import io
import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from stance.cli import app
from stance.report import build_report, evidence, model_facts
from stance.report.meta import GROUP
from stance.report.render import NO_METRICS, accuracy_note
from stance.schema import FRAMES
from tests.conftest import ROOT, TINY_ARTICLES
from tests.test_profile import random_sentences

runner = CliRunner()
HOSTILE = "Musk écrit <script>alert('x')</script> & *rit* | OpenAI répond [ici](http://x)."


def invoke(*args, **kwargs):
    return runner.invoke(app, [str(a) for a in args], **kwargs)


@pytest.fixture
def articles(tmp_path):
    """The three tiny training articles, and one whose sentence holds markup to be escaped."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, (text, _) in TINY_ARTICLES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / "t4_markup.txt").write_text(HOSTILE, encoding="utf-8")
    return folder


@pytest.fixture
def meta(tmp_path):
    path = tmp_path / "meta.csv"
    path.write_text("article,outlet,date\nt1_pro_musk,Le Camp Musk,2025-02-11\nt2_pro_openai,Le Camp OpenAI,2025-02-12\n"
                    "t3_neutral,Le Camp Musk,2025-03-01\nt4_markup,Le Camp OpenAI,2025-03-02\n", encoding="utf-8")
    return path


def read_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_html_report_is_one_self_contained_escaped_page(articles, tiny_model, tmp_path):
    out = tmp_path / "report.html"
    result = invoke("report", articles, "-o", out, "--model", tiny_model)
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.stderr
    page = out.read_text(encoding="utf-8")
    assert page.count("<svg") == 4 and page.count("<table") >= 3
    assert "<script" not in page and "<link" not in page and "src=" not in page and "@import" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "tiny-test-model" in page and "not evaluated" in page
    assert json.loads((tiny_model / "config.json").read_text())["training"]["labels_hash"] in page
    for name in TINY_ARTICLES:
        assert name in page
    assert "Net lean = mean P(pro-OpenAI) − mean P(pro-Musk)" in page and "Not the author&#39;s intent" in page


@pytest.mark.parametrize("name", ["report.html", "report.md"])
def test_the_model_figures_are_said_to_come_from_its_own_articles_and_to_read_lower_on_real_coverage(
        articles, tmp_path, name):
    out = tmp_path / "out" / name
    out.parent.mkdir()
    result = invoke("report", articles, "-o", out)  # the shipped model, which carries evaluation figures
    assert result.exit_code == 0, result.output
    text = " ".join(out.read_text(encoding="utf-8").split())
    grouped = json.loads((ROOT / "stance" / "models" / "default" / "config.json").read_text())["metrics"]["grouped_cv"]
    stance = grouped["tasks"]["stance"]["macro_f1"]
    assert f"own articles (macro-F1, 1 = perfect; lower on real coverage): grouped cv: stance {stance:.2f}" in text
    assert "on real coverage it reads lower" in text


def test_the_accuracy_note_lists_every_figure_or_warns_when_the_model_has_none():
    metrics = [{"name": "grouped_cv", "macro_f1": {"stance": 0.754, "frame": 0.8165}},
               {"name": "seeds", "macro_f1": {"stance": 0.5, "frame": 0.6}}]
    assert accuracy_note(metrics).endswith(
        "lower on real coverage): grouped cv: stance 0.75, frame 0.82; seeds: stance 0.50, frame 0.60.")
    assert accuracy_note([]) == NO_METRICS


def test_a_single_article_has_nothing_to_compare(articles, tiny_model, tmp_path):
    out = tmp_path / "one.html"
    result = invoke("report", articles / "t1_pro_musk.txt", "-o", out, "-m", tiny_model)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "Only one article: there is nothing to compare." in page and page.count("<svg") == 4


def test_the_same_inputs_give_the_same_html(articles, tiny_model, tmp_path):
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    assert invoke("report", articles, "-o", first, "-m", tiny_model).exit_code == 0
    assert invoke("report", articles, "-o", second, "-m", tiny_model).exit_code == 0
    assert first.read_bytes() == second.read_bytes()


def test_markdown_report_writes_its_svg_figures_beside_it(articles, tiny_model, tmp_path):
    out = tmp_path / "out" / "report.md"
    out.parent.mkdir()
    result = invoke("report", articles, "-o", out, "-m", tiny_model)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    figures = sorted(p.name for p in out.parent.glob("*.svg"))
    assert figures == ["report-crosstab.svg", "report-frame-shares.svg", "report-net-lean.svg",
                       "report-stance-shares.svg"]
    for figure in figures:
        assert f"]({figure})" in text
        assert (out.parent / figure).read_text().startswith("<svg")
    assert "\\<script\\>" in text and "<script>" not in text and "\\*rit\\*" in text
    assert "| article | sentences |" in text and "t1\\_pro\\_musk" in text


def test_markdown_needs_an_output_file(articles, tiny_model):
    result = invoke("report", articles, "-f", "md", "-m", tiny_model)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "-o" in result.stderr


def test_csv_is_the_comparison_table_alone(articles, tiny_model, tmp_path):
    out = tmp_path / "table.csv"
    assert invoke("report", articles, "-o", out, "-m", tiny_model).exit_code == 0
    rows = read_csv(out.read_text(encoding="utf-8"))
    assert [r["article"] for r in rows] == [*TINY_ARTICLES, "t4_markup"]
    assert {"sentences", "stance_pro_musk", "net_lean", "net_lean_low", "net_lean_high", "frame_law",
            "dominant_frame"} <= set(rows[0])
    assert int(rows[0]["sentences"]) == 4
    printed = invoke("report", articles, "--format", "csv", "-m", tiny_model)
    assert read_csv(printed.stdout) == rows


def test_groups_by_a_meta_column(articles, meta, tiny_model):
    result = invoke("report", articles, "--meta", meta, "--by", "outlet", "-f", "csv", "-m", tiny_model)
    assert result.exit_code == 0, result.output
    rows = read_csv(result.stdout)
    assert [r["outlet"] for r in rows] == ["Le Camp Musk", "Le Camp OpenAI"]
    assert [int(r["articles"]) for r in rows] == [2, 2]
    assert sum(int(r["sentences"]) for r in rows) == 4 + 4 + 4 + 1
    assert "Warning" not in result.stderr


def test_meta_without_by_adds_its_columns_to_each_article(articles, meta, tiny_model):
    rows = read_csv(invoke("report", articles, "--meta", meta, "-f", "csv", "-m", tiny_model).stdout)
    assert [r["outlet"] for r in rows] == ["Le Camp Musk", "Le Camp OpenAI", "Le Camp Musk", "Le Camp OpenAI"]
    assert rows[2]["date"] == "2025-03-01"


def test_jsonl_meta_and_articles_it_lacks_form_their_own_group(articles, tiny_model, tmp_path):
    path = tmp_path / "meta.jsonl"
    path.write_text('{"article": "t1_pro_musk", "year": 2024}\n{"article": "t2_pro_openai", "year": 2025}\n')
    out = tmp_path / "report.html"
    result = invoke("report", articles, "--meta", path, "--by", "year", "-o", out, "-m", tiny_model)
    assert result.exit_code == 0, result.output
    warning = [line for line in result.stderr.splitlines() if line.startswith("Warning: ")]
    assert len(warning) == 1 and "t3_neutral" in warning[0] and "t4_markup" in warning[0]
    assert "(no year)" in warning[0]
    page = out.read_text(encoding="utf-8")
    assert "(no year)" in page and "2024" in page and "compared in 3 groups by <b>year</b>" in page


@pytest.mark.parametrize("content, options, message", [
    ("outlet,date\nLe Monde,2025\n", ["--by", "outlet"], "no 'article' column"),
    ("article,outlet\nt1_pro_musk,A\n", ["--by", "author"], "--by author: no such column"),
    ("article,outlet\nt1_pro_musk,A\nt1_pro_musk,B\n", [], "listed more than once"),
    ("", [], "not a readable CSV"),
    (None, ["--by", "outlet"], "needs a meta file"),
])
def test_bad_meta_is_one_error_line(articles, tiny_model, tmp_path, content, options, message):
    meta = []
    if content is not None:
        (tmp_path / "meta.csv").write_text(content, encoding="utf-8")
        meta = ["--meta", tmp_path / "meta.csv"]
    result = invoke("report", articles, *meta, *options, "-o", tmp_path / "r.html", "-m", tiny_model)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "r.html").exists()


def test_a_missing_meta_file_is_one_error_line(articles, tiny_model, tmp_path):
    result = invoke("report", articles, "--meta", tmp_path / "nope.csv", "-m", tiny_model)
    assert result.exit_code == 1 and result.stderr == f"Error: {tmp_path / 'nope.csv'}: no such meta file\n"


def scored(n: int, article: str, seed: int) -> pd.DataFrame:
    """Random sentences with the labels a model would predict from their probabilities."""
    table = random_sentences(n, seed=seed, article=article)
    table["text"] = [f"{article} phrase {i}" for i in range(n)]
    for task, labels in (("stance", ("pro_musk", "pro_openai", "neutral")), ("frame", FRAMES)):
        table[task] = table[[f"p_{task}_{label}" for label in labels]].to_numpy().argmax(axis=1)
        table[task] = [labels[i] for i in table[task]]
    return table


def test_evidence_quotes_the_most_confident_sentences_of_each_frame():
    table = scored(60, "a", 1).assign(**{GROUP: "g"})
    (article,) = evidence(table)
    assert [f["frame"] for f in article["frames"]] == list(FRAMES)
    for frame in article["frames"]:
        predicted = table[table["frame"] == frame["frame"]]
        best = predicted[f"p_frame_{frame['frame']}"].sort_values(ascending=False).head(3).tolist()
        assert [q["p_frame"] for q in frame["quotes"]] == best
        assert frame["predicted"] == len(predicted)
        assert all(q["text"] in set(predicted["text"]) for q in frame["quotes"])


def test_no_sentences_is_an_input_error():
    from stance.documents import InputError

    with pytest.raises(InputError, match="no sentences"):
        build_report(scored(0, "a", 1), {})


def test_report_tables_and_model_facts():
    table = pd.concat([scored(20, "a", 1), scored(30, "b", 2), scored(10, "c", 3)])
    config = {"name": "m", "training": {"labels_hash": "abc", "sentences": 9, "articles": 2},
              "metrics": {"grouped_cv": {"protocol": "5-fold", "sentences": 9,
                                         "tasks": {"stance": {"macro_f1": 0.5}, "frame": {"macro_f1": 0.4}}}}}
    meta = pd.DataFrame({"article": ["a", "b", "c"], "camp": ["x", "y", "x"]})
    report = build_report(table, config, meta, by="camp")
    assert report.table["camp"].tolist() == ["x", "y"] and report.table["articles"].tolist() == [2, 1]
    assert report.table["sentences"].tolist() == [30, 30]
    assert set(zip(report.differences["group_a"], report.differences["group_b"])) == {("x", "y")}
    assert report.crosstab.to_numpy().sum() == pytest.approx(1)
    assert model_facts(config)["metrics"] == [{"name": "grouped_cv", "protocol": "5-fold", "sentences": 9,
                                                "macro_f1": {"stance": 0.5, "frame": 0.4}}]
    assert report.articles == 3 and report.sentences == 60 and report.grouped


def test_meta_from_a_spreadsheet_csv_and_jsonl_with_gaps(tmp_path):
    from stance.report.meta import read_meta

    spreadsheet = tmp_path / "meta.csv"
    spreadsheet.write_bytes("\ufeffarticle,outlet\na,Le Monde\nb,\n".encode("utf-8"))
    assert read_meta(spreadsheet).to_dict(orient="records") == [{"article": "a", "outlet": "Le Monde"},
                                                                {"article": "b", "outlet": ""}]
    lines = tmp_path / "meta.jsonl"
    lines.write_text('{"article": "a", "year": 2024}\n{"article": "b", "year": null}\n')
    assert read_meta(lines)["year"].tolist() == ["2024", ""]


def test_a_document_that_cannot_be_read_is_named_and_left_out_of_the_report(tmp_path, tiny_model):
    from typer.testing import CliRunner

    from stance.cli import app

    (tmp_path / "good.txt").write_text("Musk propose 97,4 milliards pour OpenAI. Le conseil refuse.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("  ", encoding="utf-8")
    result = CliRunner().invoke(app, ["report", str(tmp_path), "-m", str(tiny_model), "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert "Warning: " in result.stderr and "empty.txt" in result.stderr and "left out" in result.stderr
    assert "good" in result.stdout and "empty" not in result.stdout


def test_a_report_made_in_two_processes_is_the_one_made_in_one(articles, meta, tmp_path, tiny_model):
    pages = []
    for jobs in ("1", "2"):
        out = tmp_path / f"report{jobs}.html"
        result = invoke("report", articles, "--meta", meta, "--by", "outlet", "-m", tiny_model, "-o", out, "--jobs", jobs)
        assert result.exit_code == 0, result.output
        pages.append(out.read_text(encoding="utf-8"))
    assert pages[0] == pages[1] and "Le Camp Musk" in pages[0]


def test_streamed_evidence_is_the_evidence_of_the_full_sentence_table(articles, tiny_model):
    from stance.documents import read_documents
    from stance.model import load_model
    from stance.report import score_for_report
    from stance.scoring import score_sentences

    table = score_sentences(read_documents([str(articles)]), load_model(tiny_model)).assign(**{GROUP: "g"})
    numbers, quotes = score_for_report(read_documents([str(articles)]), tiny_model)
    assert [{**quotes[a["article"]], "group": "g"} for a in evidence(table)] == evidence(table)
    assert "text" not in numbers and len(numbers) == len(table)
