"""Writing a report: one self-contained HTML file, Markdown with SVG figures beside it, or the CSV table."""

from __future__ import annotations

from pathlib import Path

from stance.documents import InputError
from stance.formats import REPORTS
from stance.schema import FRAMES

DIFFERENCES_SHOWN = 50  # the largest flagged differences listed, net lean first
CHARTS = (
    ("stance_shares", "Stance shares",
     "Each bar splits the sentences' stance probabilities into pro-Musk, neutral and pro-OpenAI; a bar sums to 100%."),
    ("frame_shares", "Frame shares",
     "Each row gives the share of the sentences' probability that goes to each frame; a row sums to 100%."),
    ("net_lean", "Net lean with its 90% interval",
     "Dots are net leans, lines their 90% intervals (sampling and the classifier's error rates); an interval "
     "that crosses the dashed zero line is compatible with a balanced text."),
    ("crosstab", "Stance × frame, whole corpus",
     "How stance and frame combine over all sentences: each cell is the share of all sentences (mean of "
     "P(stance) × P(frame)); the cells sum to 100%."),
)
MEANS = (
    "A share estimates the part of an article's (or group's) sentences that carry that label, computed by the "
    "model's quantifier (see 'Model'): mean probabilities, or counts corrected for the classifier's known "
    "confusions between labels, measured out of fold when it was trained.",
    "Net lean = share of pro-OpenAI sentences − share of pro-Musk sentences, from −1 (all pro-Musk) to +1 (all "
    "pro-OpenAI); 0 means both sides weigh the same, which neutral text also gives.",
    "The 90% interval includes two kinds of doubt: which sentences (for a group, which articles) the text "
    "happens to contain, resampled by bootstrap, and how uncertain the classifier's error rates are, resampled "
    "from the data they were measured on.",
    "The dominant frame is the largest of ideology, money, law and geopolitics ('none' is left out).",
    "A difference between two groups is flagged when its 90% interval, which holds both kinds of doubt above, "
    "excludes zero. At 90%, about one in ten comparisons of groups that do not really differ is flagged by chance.",
)
DOES_NOT_MEAN = (
    "Not the author's intent or the outlet's position: the figures describe the wording of the sentences, "
    "including quotes of people the article reports on.",
    "Not a certainty: the model is a pair of simple classifiers trained on a small labelled corpus, and its "
    "accuracy is limited. The figures under 'Model' are measured on the project's own articles, most of them "
    "written for training; on real coverage it reads lower (the project's README gives the figures measured on "
    "real articles it never saw).",
    "Only valid for French news text about the Musk–OpenAI conflict: on other topics or languages the labels "
    "are unreliable.",
)
NO_METRICS = "This model carries no evaluation figures: treat its labels with extra caution."


def accuracy_note(metrics: list[dict]) -> str:
    """The line under the guide that gives the model card's figures and says where they were measured."""
    if not metrics:
        return NO_METRICS
    figures = "; ".join(
        f"{m['name'].replace('_', ' ')}: " + ", ".join(f"{task} {f1:.2f}" for task, f1 in m["macro_f1"].items())
        for m in metrics)
    return ("Accuracy of this model measured on the project's own articles (macro-F1, 1 = perfect; lower on real "
            f"coverage): {figures}.")


def choose_report_format(requested: str | None, output: Path | None) -> str:
    """The requested format, else the output file's suffix, else HTML; refuses Markdown without an
    output file (its figures go beside it)."""
    fmt = REPORTS.choose(requested, output)
    if fmt == "md" and output is None:
        raise InputError("--format md writes figure files beside the report: give a file with -o")
    return fmt


def write_report(report, output: Path | None, fmt: str) -> list[Path]:
    """Write the report (standard output when ``output`` is None, except Markdown); returns the files written."""
    from stance.output import render, write_text
    from stance.report.charts import charts

    fmt = choose_report_format(fmt, output)
    if fmt == "csv":
        write_text(render(report.table, "csv"), output)
    elif fmt == "html":
        write_text(_template("report.html").render(**_context(report), figures=charts(report)), output)
    else:
        assert output is not None  # choose_report_format refuses Markdown without a file
        drawn = charts(report)
        figures = {name: output.with_name(f"{output.stem}-{name.replace('_', '-')}.svg") for name in drawn}
        for name, path in figures.items():
            write_text(drawn[name], path)
        names = {name: path.name for name, path in figures.items()}
        write_text(_template("report.md").render(**_context(report), figures=names), output)
        return [output, *figures.values()]
    return [output] if output else []


def _context(report) -> dict:
    from stance.compare import MEASURES
    from stance.report import PROFILE_TABLE
    from stance.report.charts import STANCE_NAMES, STANCE_ORDER

    differences = report.differences
    flagged = differences[differences["flagged"]]
    flagged = flagged.assign(frame=flagged["measure"] != "net_lean", size=flagged["difference"].abs()).sort_values(
        ["frame", "size"], ascending=[True, False], kind="stable")
    return {
        "report": report,
        "rows": report.table.to_dict(orient="records"),
        "extra_columns": [c for c in report.table.columns if c not in (report.by, "articles", *PROFILE_TABLE)],
        "stances": [(s, STANCE_NAMES[s]) for s in STANCE_ORDER],
        "stance_names": STANCE_NAMES,
        "frames": FRAMES,
        "charts": CHARTS,
        "means": MEANS,
        "does_not_mean": DOES_NOT_MEAN,
        "accuracy_note": accuracy_note(report.model["metrics"]),
        "flagged": flagged.head(DIFFERENCES_SHOWN).to_dict(orient="records"),
        "flagged_count": len(flagged),
        "compared": len(differences),
        "measures": len(MEASURES),
        "pairs": len(differences.drop_duplicates(["group_a", "group_b"])),
        "crosstab": [(STANCE_NAMES[s], [report.crosstab.loc[s, f] for f in FRAMES]) for s in STANCE_ORDER],
    }


def _template(name: str):
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    environment = Environment(loader=PackageLoader("stance.report"), autoescape=select_autoescape(["html"]),
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    environment.filters.update(pct=_percent, signed=_signed, points=_points, md=_markdown)
    return environment.get_template(name)


def _percent(value: float) -> str:
    return f"{value:.0%}"


def _signed(value: float) -> str:
    return f"{value:+.2f}".replace("-", "−")


def _points(value: float) -> str:
    return f"{value * 100:+.0f} pts".replace("-", "−")


def _markdown(text) -> str:
    """Text made literal in Markdown: its markup characters escaped with a backslash."""
    return "".join("\\" + c if c in "\\`*_[]<>|#&" else c for c in str(text)).replace("\n", " ")
