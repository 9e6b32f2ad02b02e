import json

import pytest

from stance.sentences import line_spans, split, split_many
from tests.conftest import ROOT


def test_offsets_slice_the_original_text():
    text = "  Titre\r\nMusk propose 97,4 milliards.  OpenAI refuse !\n\n• Plan B : xAI\n"
    spans = split(text)
    assert [text[s:e] for s, e in spans] == ["Titre", "Musk propose 97,4 milliards.", "OpenAI refuse !", "• Plan B : xAI"]


def test_a_line_break_always_ends_a_sentence():
    text = "Une phrase sans point\nqui continue ici"
    assert [text[s:e] for s, e in split(text)] == ["Une phrase sans point", "qui continue ici"]


def test_blank_text_has_no_sentence():
    assert split("  \n\t\n") == []
    assert list(line_spans("")) == []


def test_split_many_keeps_the_order_of_texts():
    texts = ["Un. Deux.", "", "Trois."]
    assert [len(spans) for spans in split_many(texts, batch_size=2)] == [2, 0, 1]


def test_seeds_match_the_gold_segmentation():
    gold = json.loads((ROOT / "labels/segmentation/seeds.json").read_text())
    found = total = 0
    for article, spans in gold.items():
        text = (ROOT / "seeds" / f"{article}.txt").read_text(encoding="utf-8")
        cut = set(split(text))
        found += len(cut & set(map(tuple, spans)))
        total += len(spans)
    assert found / total >= 0.97


def test_unknown_method_is_refused():
    from stance.sentences import load_pipeline

    with pytest.raises(ValueError, match="unknown splitting method"):
        load_pipeline("regex")


def test_an_opening_quote_goes_with_the_sentence_it_opens():
    text = "Il a conclu. « Cette plainte est une arme », a dit l'avocat. Puis : (rires)."
    assert [text[s:e] for s, e in split(text)] == [
        "Il a conclu.", "« Cette plainte est une arme », a dit l'avocat.", "Puis : (rires)."]


@pytest.mark.parametrize("text, sentences", [
    ("M. Musk et Mme Dupont arrivent. J.-C. Durand aussi.", ["M. Musk et Mme Dupont arrivent.", "J.-C. Durand aussi."]),
    ("Le taux passe à 3.5 %. Voir openai.com pour la lettre.", ["Le taux passe à 3.5 %.", "Voir openai.com pour la lettre."]),
    ("« Pas à vendre ! » a tranché Altman. Musk rit.", ["« Pas à vendre ! » a tranché Altman.", "Musk rit."]),
    ("« OpenAI n'est pas à vendre. » Le conseil a voté.", ["« OpenAI n'est pas à vendre. »", "Le conseil a voté."]),
    ('Il a écrit "non." Puis il a dit "Jamais !" Fin.', ['Il a écrit "non."', 'Puis il a dit "Jamais !"', "Fin."]),
    ("Et puis... rien. Vraiment ?! Oui.", ["Et puis... rien.", "Vraiment ?!", "Oui."]),
    ("1. Le contexte de l'offre", ["1. Le contexte de l'offre"]),
    ("Tesla, SpaceX, etc. Tous ses groupes.", ["Tesla, SpaceX, etc. Tous ses groupes."]),
    ("Une question ? Une réponse.", ["Une question ?", "Une réponse."]),
    ("« Pourquoi ? » demande-t-il. Oui.", ["« Pourquoi ? » demande-t-il.", "Oui."]),
])
def test_french_punctuation_rules(text, sentences):
    assert [text[s:e] for s, e in split(text, "rules")] == sentences


def test_the_rules_cut_the_written_corpus_exactly_as_spacy_does():
    """The 60 original written articles (w001–w060); the later ones hold a tweet where "? vote" stays one
    sentence (a lowercase word after ? or ! carries on the sentence, as in French incises) and a reader's
    handle, "Baptiste.R", that stays whole (w972), where spaCy cuts both."""
    texts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "labels/written").glob("w0*.txt"))]
    assert len(texts) == 60
    assert list(split_many(texts, "rules")) == list(split_many(texts, "sentencizer"))
