"""Who speaks in each sentence and whom it targets, as tokens for a word block to read.

Word n-grams see "accuse" but not who accuses whom, and lose the speaker of a quotation that runs
on into the next sentence. Here, in each sentence:

- the side named last before its first speech or accusation verb is the speaker, and the side
  named first after it the target ("OpenAI accuse Elon Musk");
- a passive accusation ("est accusée de") makes the side named before it a target instead;
- "selon X" or "d'après X" names a speaker, and so does a verb right after a closing quotation
  mark ("», a répondu Sam Altman");
- "il" or "elle" before the verb is the previous speaker, or else the side named first in the last
  sentence that named one (the subject, as a rule);
- a quotation left open carries its speaker into the following sentences until it closes.

Each sentence becomes a few tokens: ``speaker_musk``, ``speaker_openai`` or ``speaker_none``;
``target_musk`` or ``target_openai``; ``quote_open`` (it opens a quotation it does not close);
``quoted_musk`` or ``quoted_openai`` (it continues one).
"""

from __future__ import annotations

import re

from stance.features import mentions

VERB = re.compile(
    r"\b(?:d[ée]clar|affirm|estim|d[ée]non[cç]|accus|reproch|critiqu|qualifi|assur|soulign|martel|martèl|"
    r"rappel|r[ée]pon|r[ée]pliqu|ripost|ironis|fustig|attaqu|argu|argument|soutien|soutenu|plaid|pr[ée]vien|"
    r"pr[ée]venu|menac|prom|jug|consid[èée]r|[ée]cri|tweet|raill|moqu|tacl|all[èée]gu|pourfend|contest|"
    r"r[ée]fut|insist|exig|r[ée]clam|poursui|plainte|dit|lanc)\w*")
PASSIVE = re.compile(r"\b(?:est|sont|été|serait|seraient|se voit|se voient)\s+(?:\w+\s+)?"
                     r"(?:accusée?s?|visée?s?|poursuivie?s?|attaquée?s?|critiquée?s?|dénoncée?s?|mise?s? en cause)\b")
SOURCE = re.compile(r"\b(?:selon|d['’]après)\s+(?:(?:les|l['’]|son|ses|leur)\s*\w+\s+(?:de\s+|d['’]\s*)?)?$")
PRONOUN = re.compile(r"\b(?:il|elle)\s+(?:\S+\s+){0,2}$")
AFTER_QUOTE = re.compile(r"[»”\"]\s*,?\s*(?:a|ont|avait|aurait|avaient)?\s*$")
OPENING, CLOSING = ("«", "“"), ("»", "”")
A_PRONOUN = re.compile(r"\b(?:il|elle)\s")
REACH = 80  # characters before a name or verb that the patterns ending there look at (bounds work on long text)


def quote_balance(text: str, open_already: bool) -> int:
    """Quotations opened minus closed; an odd number of straight double quotes closes the quotation
    already open, or opens one."""
    balance = sum(text.count(mark) for mark in OPENING) - sum(text.count(mark) for mark in CLOSING)
    if text.count('"') % 2:
        balance += -1 if open_already else 1
    return balance


def _before(text: str, end: int) -> str:
    """The REACH characters of ``text`` that end at ``end``."""
    return text[max(0, end - REACH):end]


def speaker_and_target(text: str, named: list[tuple[int, int, str]], last_side: str | None) -> tuple[str | None, str | None]:
    """The sentence's speaker and target sides (None when not found)."""
    speaker = target = None
    if not named and not (last_side and A_PRONOUN.search(text)):
        return None, None  # no side to name: skip the verb search (most of the work)
    verb = VERB.search(text)
    if verb:
        before = [side for start, end, side in named if end <= verb.start()]
        after = [side for start, end, side in named if start >= verb.end()]
        passive = PASSIVE.search(text) if before else None
        if passive and passive.start() < verb.end():
            target = before[-1]
        elif before:
            speaker, target = before[-1], (after[0] if after else None)
        elif after and AFTER_QUOTE.search(_before(text, verb.start())):
            speaker = after[0]
        elif last_side and PRONOUN.search(_before(text, verb.start())):
            speaker = last_side
    for start, _, side in named:
        if SOURCE.search(_before(text, start)):
            speaker = side
    return speaker, target


def speaker_tokens(texts: list[str], articles: list[str], named: list | None = None) -> list[str]:
    """Each sentence's speaker, target and quotation tokens, for sentences listed in article order
    (``named``: each sentence's side names, stance.features.mentions of it lowercased, if known)."""
    out: list[str] = []
    last_side: str | None = None  # whom "il" or "elle" stands for
    quoting: str | None = None  # the speaker of a quotation still open, or "" when its speaker is unknown
    for i, (text, article) in enumerate(zip(texts, articles)):
        if i == 0 or articles[i - 1] != article:
            last_side, quoting = None, None
        low = text.lower()
        found = mentions(low) if named is None else named[i]
        speaker, target = speaker_and_target(low, found, last_side)
        tokens = [f"quoted_{quoting}"] if quoting else []
        tokens.append(f"speaker_{speaker or 'none'}")
        tokens += [f"target_{target}"] if target else []
        balance = quote_balance(low, quoting is not None)
        if balance > 0:
            tokens.append("quote_open")
            quoting = speaker or quoting or ""
        elif balance < 0:
            quoting = None
        if speaker or found:
            last_side = speaker or found[0][2]
        out.append(" ".join(tokens))
    return out
