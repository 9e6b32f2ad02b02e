"""One article seen sentence by sentence: each sentence marked with its stance and frame, its
probabilities and the terms that pushed it, under the article's profile with its intervals."""

from __future__ import annotations

from stance.schema import FRAMES, STANCES

STANCE_WORDS = {"pro_musk": "pro-Musk", "pro_openai": "pro-OpenAI", "neutral": "neutral"}


def article_view(document, model) -> dict:
    """Everything the article page shows: the profile and, per sentence, labels, probabilities, terms."""
    from stance.explain import sentence_terms
    from stance.profile import profile_row
    from stance.scoring import score_batch

    (_, scored), = score_batch([document], model)
    if scored is None or not len(scored):
        from stance.documents import InputError

        raise InputError(f"{document.source or document.id}: {document.error or 'no sentences to show'}")
    columns = scored.columns()
    terms = sentence_terms(model, scored.texts, [document.id] * len(scored),
                           {"stance": columns["stance"], "frame": columns["frame"]})
    sentences = [{
        "index": i, "text": scored.texts[i], "stance": columns["stance"][i], "frame": columns["frame"][i],
        "stance_proba": [(STANCE_WORDS[s], float(columns[f"p_stance_{s}"][i])) for s in STANCES],
        "frame_proba": [(f, float(columns[f"p_frame_{f}"][i])) for f in FRAMES],
        "terms": terms[i],
        "new_paragraph": i > 0 and "\n" in document.text[scored.spans[i - 1][1]:scored.spans[i][0]],
    } for i in range(len(scored))]
    return {"article": document.id, "profile": profile_row(document.id, columns, model.rates),
            "sentences": sentences, "stances": [(s, STANCE_WORDS[s]) for s in STANCES], "frames": FRAMES,
            "quantifier": model.rates.method, "model": model.config.get("name", "unnamed model")}


def render_article(view: dict) -> str:
    """The article page as one self-contained HTML document (no script, nothing fetched)."""
    from stance.report.render import _template

    return _template("article.html").render(**view)


def pick_document(documents, article: str | None):
    """The one document to show: the only readable one, or the one whose id is ``article``."""
    from stance.documents import InputError

    readable = [d for d in documents if d.error is None]
    chosen = [d for d in readable if article is None or d.id == article]
    if article is not None and not chosen:
        raise InputError(f"no readable article with id {article!r} in the inputs")
    if len(chosen) > 1:
        raise InputError(f"the inputs hold {len(chosen)} articles: choose one with --id (e.g. --id {chosen[0].id})")
    if not chosen:
        raise InputError("the inputs hold no readable article")
    return chosen[0]
