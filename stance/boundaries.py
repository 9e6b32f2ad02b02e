"""Where the sentences of one line of French news text end, by rule.

A sentence ends after a run of ``.``, ``!`` or ``?`` (with the closing quotes and brackets that
follow it) when whitespace and more text come next, except:
- after a single full stop that closes an abbreviation (M., Mme., etc., janv.), an initial or
  dotted initials (J., J.-C., U.S.), or the number that opens a numbered line (1.);
- after an ellipsis (``...``; the ``…`` character is not a sentence end either);
- after ``!`` or ``?`` followed by a lowercase word (« Pas à vendre ! » a tranché Altman).
An opening quote or bracket always belongs to the sentence it opens. These rules cut the five
seeds exactly as spaCy's sentencizer over its French tokenizer does (experiments/splitter.py),
without loading spaCy's French data, which takes seconds.
"""

from __future__ import annotations

import re

ENDS = re.compile(r"[.!?‼⁇⁈⁉]+")
CLOSERS = "»”’)]}"
OPENERS = "«“‘([{\"'"
ABBREVIATIONS = frozenset("""
    M MM Mme Mmes Mlle Mlles Dr Pr Me Mgr St Ste Mr Mrs Ms Prof Gén Cie Inc Corp Ltd Co Jr Sr No n°
    etc cf av apr env ex vs p pp vol chap art al éd coll tél janv févr avr juil juill sept oct nov déc
""".split())
INITIALS = re.compile(r"[^\W\d_](?:\.-?[^\W\d_])*")


def line_sentences(line: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of the sentences of one line (untrimmed: the caller trims)."""
    spans, start = [], 0
    for run in ENDS.finditer(line):
        if run.group().startswith(".."):
            continue
        end = _after_closers(line, run.end())
        following = end
        while following < len(line) and line[following].isspace():
            following += 1
        if following == end or following == len(line):
            continue  # no space after the mark (3.5, openai.com), or nothing after it
        if run.group() == "." and _abbreviation(line, start, run.start()):
            continue
        if run.group()[0] in "!?" and line[following].islower():
            continue
        spans.append((start, end))
        start = following
    spans.append((start, len(line)))
    return spans


def _after_closers(line: str, end: int) -> int:
    """The end of a sentence mark with the closing quotes and brackets after it (« … ! »)."""
    while True:
        k = end
        while k < len(line) and line[k] == " ":
            k += 1
        if k < len(line) and (line[k] in CLOSERS or line[k] == '"' and (k + 1 == len(line) or line[k + 1].isspace())):
            end = k + 1
        else:
            return end


def _abbreviation(line: str, sentence_start: int, stop: int) -> bool:
    """Whether the word before the full stop at ``stop`` is an abbreviation, an initial or a list number."""
    begin = stop
    while begin > sentence_start and not line[begin - 1].isspace():
        begin -= 1
    word = line[begin:stop].lstrip(OPENERS)
    return word in ABBREVIATIONS or bool(INITIALS.fullmatch(word)) or (word.isdigit() and begin == sentence_start)
