"""The framing comparison report: the data it shows, gathered from scored sentences.

``build_report`` returns a ``Report`` (tables, evidence, model facts); ``stance.report.charts``
draws it and ``stance.report.render`` writes it as HTML, Markdown or CSV.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stance.schema import FRAMES, SHARE_COLUMNS

EVIDENCE_QUOTES = 3
PROFILE_TABLE = ("sentences",) + SHARE_COLUMNS + ("net_lean", "net_lean_low", "net_lean_high", "dominant_frame")
MEASURE_WORDS = {f"frame_{frame}": f"the {frame} frame" for frame in FRAMES}


@dataclass
class Report:
    """Everything a framing comparison report shows."""

    by: str                 # "article", or the meta column whose values name the groups
    table: "pd.DataFrame"   # one row per article or group: counts, shares, net lean and interval, dominant frame
    crosstab: "pd.DataFrame"  # the corpus's stance × frame shares (rows: stances, columns: frames)
    differences: "pd.DataFrame"  # pairs of groups: differences with 90% intervals, and a reading in words
    evidence: list[dict]    # per article: its group and, per frame, its most confident sentences
    model: dict             # the model's name, training-data hash and evaluation figures
    articles: int
    sentences: int
    missing: list[str] = field(default_factory=list)  # articles that the meta file does not list

    @property
    def grouped(self) -> bool:
        return self.by != "article"


def build_report(sentences, model_config: dict, meta=None, by: str | None = None) -> Report:
    """The report on scored sentences, per article or per group of the meta column ``by``."""
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
    table = profiles(grouped, by=GROUP)[["article", *PROFILE_TABLE]].rename(columns={"article": by})
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
        differences=read_differences(differences(grouped, by=GROUP)),
        evidence=evidence(grouped),
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
    """Per article and frame, the sentences predicted as that frame with the highest probability for it."""
    from stance.report.meta import GROUP

    result = []
    for article, rows in sentences.groupby("article", sort=False):
        frames = []
        for frame in FRAMES:
            chosen = rows[rows["frame"] == frame].sort_values(f"p_frame_{frame}", ascending=False, kind="stable")
            frames.append({
                "frame": frame,
                "share": float(rows[f"p_frame_{frame}"].mean()),
                "predicted": len(chosen),
                "quotes": [{"sentence": int(row["sentence"]), "text": row["text"].strip(),
                            "stance": row["stance"], "p_stance": float(row[f"p_stance_{row['stance']}"]),
                            "frame": frame, "p_frame": float(row[f"p_frame_{frame}"])}
                           for _, row in chosen.head(quotes).iterrows()],
            })
        result.append({"article": str(article), "group": str(rows[GROUP].iloc[0]), "sentences": len(rows),
                       "frames": frames})
    return result


def model_facts(config: dict) -> dict:
    """What the report says about the model: its name, training-data hash and macro-F1 figures."""
    training = config.get("training", {})
    metrics = [{"name": name, "protocol": result["protocol"], "sentences": result["sentences"],
                "macro_f1": {task: figures["macro_f1"] for task, figures in result["tasks"].items()}}
               for name, result in config.get("metrics", {}).items()]
    return {"name": config.get("name", "unnamed model"), "labels_hash": training.get("labels_hash", "unknown"),
            "training_sentences": training.get("sentences"), "training_articles": training.get("articles"),
            "metrics": metrics}
