"""Speaker, target and quotation tokens (stance.speakers)."""

import pytest

from stance.speakers import quote_balance, speaker_tokens


def tokens(*texts: str) -> list[set[str]]:
    """The tokens of sentences of one article, as sets."""
    return [set(row.split()) for row in speaker_tokens(list(texts), ["a"] * len(texts))]


@pytest.mark.parametrize("text, expected", [
    ("Elon Musk accuse OpenAI de trahison.", {"speaker_musk", "target_openai"}),
    ("OpenAI accuse Elon Musk de harcèlement.", {"speaker_openai", "target_musk"}),
    ("« Non merci », a répondu Sam Altman.", {"speaker_openai"}),
    ("Selon les avocats de Musk, la fondation a été trahie.", {"speaker_musk"}),
    ("L'entreprise de Sam Altman est accusée d'avoir menti.", {"speaker_none", "target_openai"}),
    ("Le tribunal siège mardi.", {"speaker_none"}),
])
def test_speaker_and_target_of_one_sentence(text, expected):
    assert tokens(text) == [expected]


def test_a_pronoun_speaks_for_the_last_speaker():
    first, second = tokens("Elon Musk critique OpenAI.", "Il a aussi dénoncé sa structure.")
    assert "speaker_musk" in second


def test_an_open_quotation_carries_its_speaker_until_it_closes():
    rows = tokens("Sam Altman a déclaré : « Nous ne sommes pas à vendre.", "Notre mission passe avant tout ».",
                  "La séance reprend.")
    assert {"speaker_openai", "quote_open"} <= rows[0]
    assert "quoted_openai" in rows[1]
    assert not any(token.startswith("quoted_") for token in rows[2])


def test_nothing_carries_over_into_another_article():
    rows = speaker_tokens(["Elon Musk a déclaré : « Ils ont trahi.", "Il a répondu."], ["a", "b"])
    assert rows[1] == "speaker_none"


@pytest.mark.parametrize("text, open_already, expected", [
    ("« Oui", False, 1), ("non »", True, -1), ("« oui »", False, 0), ('"oui', False, 1), ('non"', True, -1),
])
def test_quote_balance(text, open_already, expected):
    assert quote_balance(text, open_already) == expected
