"""The framing comparison report: the data it shows, gathered from scored sentences.

``build_report`` returns a ``Report`` (tables, evidence, model facts); ``stance.report.charts``
draws it and ``stance.report.render`` writes it as HTML, Markdown or CSV.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from stance.schema import FRAMES, PROBA_COLUMNS, SHARE_COLUMNS

if TYPE_CHECKING:
    import pandas as pd

EVIDENCE_QUOTES = 3
PROFILE_TABLE = ("sentences",) + SHARE_COLUMNS + ("net_lean", "net_lean_low", "net_lean_high", "dominant_frame")
REPORT_COLUMNS = ("article", "sentence", "stance", "frame") + PROBA_COLUMNS
MEASURE_WORDS = {f"frame_{frame}": f"the {frame} frame" for frame in FRAMES}


@dataclass
class Report:
    """Everything a framing comparison report shows."""

    by: str                 # "article", or the meta column whose values name the groups
    table: pd.DataFrame     # one row per article or group: counts, shares, net lean and interval, dominant frame
    crosstab: pd.DataFrame  # the corpus's stance × frame shares (rows: stances, columns: frames)
    differences: pd.DataFrame  # pairs of groups: differences with 90% intervals, and a reading in words
    evidence: list[dict]    # per article: its group and, per frame, its most confident sentences
    model: dict             # the model's name, training-data hash and evaluation figures
    articles: int
    sentences: int
    missing: list[str] = field(default_factory=list)  # articles that the meta file does not list

    @property
    def grouped(self) -> bool:
        return self.by != "article"


def report_on(paths: Iterable[str], model_dir: Path, meta: Path | None = None, by: str | None = None, jobs: int = 1,
              notify: Callable[[str], None] = lambda message: None) -> Report:
    """Read the articles of ``paths`` (and the meta file), score them with the model, and build the report.

    Documents that cannot be read, and articles the meta file does not list, are named to ``notify``
    in ``Warning:`` lines.
    """
    from stance.documents import readable_documents
    from stance.report.meta import check_by, missing_label, read_meta
    from stance.scoring import cached_model

    table = read_meta(meta) if meta else None
    check_by(table, by or "article")
    model = cached_model(str(model_dir))  # refuse a bad model before reading anything
    sentences, quotes = score_for_report(readable_documents(paths, notify), model_dir, jobs=jobs)
    built = build_report(sentences, model.config, table, by, quotes=quotes, rates=model.rates)
    if built.missing:
        group = f"; they form the group '{missing_label(built.by)}'" if built.grouped else ""
        notify(f"Warning: {len(built.missing)} article(s) not in {meta}: {', '.join(built.missing)}{group}")
    return built


def build_report(sentences, model_config: dict, meta=None, by: str | None = None,
                 quotes: dict[str, dict] | None = None, rates=None) -> Report:
    """The report on scored sentences, per article or per group of the meta column ``by``.

    ``quotes`` holds each article's evidence (article_evidence) when the sentences came without
    their text (score_for_report); otherwise it is taken from the sentences' ``text``. ``rates`` are
    the model's error rates (``Model.rates``), which correct the shares and widen the intervals.
    """
    from stance.compare import differences
    from stance.documents import InputError
    from stance.profile import crosstab, profiles
    from stance.report.meta import GROUP, assign_groups

    if sentences.empty:
        raise InputError("no sentences to report on: the inputs hold no readable text")
    by = by or "article"
    if by != "article" and by in PROFILE_TABLE + ("articles",):
        raise InputError(f"--by {by}: the report uses that name itself; rename the meta column")
    grouped, missing = assign_groups(sentences, meta, by)
    table = profiles(grouped, by=GROUP, rates=rates)[["article", *PROFILE_TABLE]].rename(columns={"article": by})
    if by != "article":
        articles = grouped.groupby(GROUP, sort=False)["article"].nunique()
        table.insert(1, "articles", table[by].map(articles).to_numpy())
    elif meta is not None:
        extra = [c for c in meta.columns if c not in table.columns]
        table = table.merge(meta[["article", *extra]], on="article", how="left").fillna({c: "" for c in extra})
    return Report(
        by=by,
        table=table,
        crosstab=crosstab(sentences),
        differences=read_differences(differences(grouped, by=GROUP, rates=rates)),
        evidence=evidence(grouped) if quotes is None else _with_groups(quotes, grouped),
        model=model_facts(model_config),
        articles=int(sentences["article"].nunique()),
        sentences=len(sentences),
        missing=missing,
    )


def read_differences(table):
    """The differences with a column that says each one in words (a − b)."""
    def words(row) -> str:
        if row["measure"] == "net_lean":
            side = "pro-OpenAI" if row["difference"] > 0 else "pro-Musk"
            return f"{row['group_a']} leans more {side} than {row['group_b']}"
        more = "more" if row["difference"] > 0 else "less"
        return f"{row['group_a']} uses {MEASURE_WORDS[row['measure']]} {more} than {row['group_b']}"

    return table.assign(reading=[words(row) for _, row in table.iterrows()])


def evidence(sentences, quotes: int = EVIDENCE_QUOTES) -> list[dict]:
    """Per article (with its group), per frame, the sentences predicted as that frame with the highest probability for it."""
    from stance.report.meta import GROUP

    return [{**article_evidence(str(article), rows, quotes), "group": str(rows[GROUP].iloc[0])}
            for article, rows in sentences.groupby("article", sort=False)]


def article_evidence(article: str, rows, quotes: int = EVIDENCE_QUOTES) -> dict:
    """One article's evidence: per frame, its share and its most confident sentences predicted as that frame.

    ``rows`` maps the sentence columns (sentence, text, stance, frame, p_…) to one value per
    sentence: a DataFrame, or the columns of a scored document.
    """
    column = {name: np.asarray(rows[name], dtype=object) for name in ("sentence", "text", "stance", "frame")}
    frames = []
    for frame in FRAMES:
        p_frame = np.asarray(rows[f"p_frame_{frame}"], dtype=float)
        chosen = np.flatnonzero(column["frame"] == frame)
        chosen = chosen[np.argsort(-p_frame[chosen], kind="stable")]
        frames.append({
            "frame": frame,
            "share": float(p_frame.mean()),
            "predicted": len(chosen),
            "quotes": [{"sentence": int(column["sentence"][i]), "text": str(column["text"][i]).strip(),
                        "stance": column["stance"][i],
                        "p_stance": float(np.asarray(rows[f"p_stance_{column['stance'][i]}"], dtype=float)[i]),
                        "frame": frame, "p_frame": float(p_frame[i])}
                       for i in chosen[:quotes]],
        })
    return {"article": article, "sentences": len(column["frame"]), "frames": frames}


def _with_groups(quotes: dict[str, dict], grouped) -> list[dict]:
    """Articles' evidence in the order of the sentences, each with its group."""
    from stance.report.meta import GROUP

    group_of = dict(zip(grouped["article"], grouped[GROUP]))
    return [{**quotes[article], "group": str(group_of[article])} for article in dict.fromkeys(grouped["article"])]


def score_for_report(documents, model_dir, jobs: int = 1):
    """Score documents for a report, keeping only what it shows: (sentences without text, evidence per article).

    Each sentence keeps its article, index, labels and probabilities; the text is kept only in
    each article's evidence quotes, so a large corpus fits in memory. Runs in ``jobs`` processes.
    """
    import pandas as pd

    from stance.scoring import score_stream

    numbers: dict[str, list] = {name: [] for name in REPORT_COLUMNS}
    quotes = {}
    for batch in score_stream(documents, model_dir, jobs=jobs, then=_report_part):
        for document, part in batch:
            if part is not None:
                for name, values in part[0].items():
                    numbers[name].append(values)
                quotes[document.id] = part[1]
    columns: dict[str, Any] = {name: np.concatenate(parts) if parts else [] for name, parts in numbers.items()}
    return pd.DataFrame(columns, columns=list(REPORT_COLUMNS)), quotes


def _report_part(document, scored):
    """In a worker: a scored document's numbers and its evidence (None for a document with an error)."""
    if scored is None:
        return None
    columns = scored.columns()
    numbers = {name: np.asarray(columns[name], dtype=float if name.startswith("p_") else object) for name in REPORT_COLUMNS}
    return numbers, article_evidence(document.id, columns)


def model_facts(config: dict) -> dict:
    """What the report says about the model: its name, training-data hash and macro-F1 figures."""
    training = config.get("training", {})
    metrics = [{"name": name, "protocol": result["protocol"], "sentences": result["sentences"],
                "macro_f1": {task: figures["macro_f1"] for task, figures in result["tasks"].items()}}
               for name, result in config.get("metrics", {}).items()]
    return {"name": config.get("name", "unnamed model"), "labels_hash": training.get("labels_hash", "unknown"),
            "training_sentences": training.get("sentences"), "training_articles": training.get("articles"),
            "metrics": metrics}
