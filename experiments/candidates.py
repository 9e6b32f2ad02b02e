"""The models the experiments compare, behind one interface: fit(X, y) then predict_proba(X).

X is the model input table of stance.features (columns text, context, lemmas); y holds one task's
labels; predict_proba returns one column per label of that task, in the schema's order.
"""

from __future__ import annotations

import os
import random
import tempfile

import numpy as np

from stance.model import Settings, build_pipeline

# Cue words for the keyword-lexicon baseline: the words of the codebook's label-definition tables
# (labels/CODEBOOK.md), in French, and nothing taken from the seed sentences or the corpus. A
# sentence goes to the label whose cues it hits most, or to the default label when it hits none.
LEXICON = {
    "stance": {
        "pro_musk": ["trahi", "mission fondatrice", "open source", "but non lucratif", "fermé", "machine commerciale",
                     "microsoft", "fort", "audacieu", "légitime", "crédible", "cupide", "lent", "pas fiable"],
        "pro_openai": ["pas à vendre", "justifié", "coup de com", "harcèlement", "hypocrite", "freiner",
                       "concurrent", "faible", "en retard", "erratique", "jaloux", "leader", "responsable"],
    },
    "frame": {
        "ideology": ["valeur", "mission", "vision", "open source", "fermé", "non lucratif", "humanité", "bien commun",
                     "sécurité", "transparence", "trahi", "philosophie", "ego", "pouvoir", "principe"],
        "money": ["offre", "montant", "milliard", "valorisation", "investisseur", "consortium", "levée de fonds",
                  "profit", "revenu", "part de marché", "rivalité commerciale", "bourse", "rachat"],
        "law": ["procès", "plainte", "juge", "tribunal", "judiciaire", "fraude", "antitrust", "contrat",
                "manipulation", "régulateur", "procureur", "juridique", "justice"],
        "geopolitics": ["souveraineté", "nation", "europ", "états-unis", "chine", "américain", "gouvernement",
                        "plan d'investissement", "stargate", "sommet"],
    },
}
DEFAULT_LABEL = {"stance": "neutral", "frame": "none"}
SEED = 0
# The ablation's base: words and characters of the sentence alone; each candidate adds one thing.
BASE_SETTINGS = Settings().with_changes(context_weight=0.0, lemmas=False, actors=False)


class Pipeline:
    """A stance pipeline (stance.model.build_pipeline): the ablation base with some settings changed."""

    def __init__(self, **changes):
        self.settings = BASE_SETTINGS.with_changes(**changes)

    def fit(self, X, y):
        self.pipeline_ = build_pipeline(self.settings, "stance").fit(X, y)
        return self

    def predict_proba(self, X, labels):
        return _reorder(self.pipeline_.predict_proba(X), self.pipeline_.classes_, labels)


class Majority:
    """Always the most frequent label, with the training shares as probabilities."""

    def fit(self, X, y):
        values, counts = np.unique(np.asarray(y), return_counts=True)
        self.shares_ = dict(zip(values, counts / counts.sum()))
        return self

    def predict_proba(self, X, labels):
        return np.tile([self.shares_.get(label, 0.0) for label in labels], (len(X), 1))


class Lexicon:
    """The label whose cue words a sentence hits most; the default label when it hits none."""

    def __init__(self, task):
        self.task = task

    def fit(self, X, y):
        return self

    def predict_proba(self, X, labels):
        cues = LEXICON[self.task]
        out = np.zeros((len(X), len(labels)))
        for row, text in enumerate(X["text"].str.lower()):
            hits = {label: sum(text.count(cue) for cue in words) for label, words in cues.items()}
            best = max(hits, key=hits.get)
            out[row, labels.index(best if hits[best] else DEFAULT_LABEL[self.task])] = 1.0
        return out


class FastText:
    """fastText supervised (word n-grams and subwords), trained on the sentences alone."""

    def __init__(self, epoch=50, word_ngrams=2):
        self.epoch, self.word_ngrams = epoch, word_ngrams

    def fit(self, X, y):
        import fasttext

        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as handle:
            for text, label in zip(X["text"], y):
                handle.write(f"__label__{label} {_one_line(text)}\n")
        try:
            self.model_ = fasttext.train_supervised(handle.name, epoch=self.epoch, wordNgrams=self.word_ngrams,
                                                    minn=2, maxn=5, seed=SEED, thread=1, verbose=0)
        finally:
            os.unlink(handle.name)
        return self

    def predict_proba(self, X, labels):
        out = np.zeros((len(X), len(labels)))
        for row, text in enumerate(X["text"]):
            # The C++ binding directly: fastText's Python wrapper breaks under NumPy 2.
            for prob, name in self.model_.f.predict(_one_line(text) + "\n", -1, 0.0, "strict"):
                label = name.removeprefix("__label__")
                if label in labels:
                    out[row, labels.index(label)] = prob
        return out


class SpacyBow:
    """spaCy's bag-of-words text classifier (TextCatBOW) on a blank French pipeline."""

    def __init__(self, epochs=20):
        self.epochs = epochs

    def fit(self, X, y):
        import spacy
        from spacy.training import Example
        from spacy.util import fix_random_seed, minibatch

        fix_random_seed(SEED)
        random.seed(SEED)
        nlp = spacy.blank("fr")
        textcat = nlp.add_pipe("textcat", config={"model": {
            "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 2,
            "no_output_layer": False, "length": 262144}})
        labels = sorted(set(y))
        for label in labels:
            textcat.add_label(label)
        examples = [Example.from_dict(nlp.make_doc(text), {"cats": {name: float(name == gold) for name in labels}})
                    for text, gold in zip(X["text"], y)]
        optimizer = nlp.initialize(lambda: examples)
        for _ in range(self.epochs):
            random.shuffle(examples)
            for batch in minibatch(examples, size=16):
                nlp.update(batch, sgd=optimizer)
        self.nlp_ = nlp
        return self

    def predict_proba(self, X, labels):
        out = np.zeros((len(X), len(labels)))
        for row, doc in enumerate(self.nlp_.pipe(X["text"])):
            for label, prob in doc.cats.items():
                out[row, labels.index(label)] = prob
        return out


def _reorder(proba, classes, labels):
    out = np.zeros((proba.shape[0], len(labels)))
    for column, label in enumerate(classes):
        out[:, labels.index(label)] = proba[:, column]
    return out


def _one_line(text: str) -> str:
    return " ".join(text.lower().split())


def candidates(task: str) -> dict:
    """Every candidate for one task, by name, in the order of the results table."""
    return {
        "majority": Majority(),
        "keyword lexicon": Lexicon(task),
        "tfidf words": Pipeline(char_ngrams=None),
        "+ char n-grams": Pipeline(),
        "+ lemmas": Pipeline(lemmas=True),
        "+ actors": Pipeline(actors=True),
        "+ context": Pipeline(context_weight=0.5),
        "+ actors + context": Pipeline(actors=True, context_weight=0.5),
        "no class weighting": Pipeline(class_weight=None),
        "peer: fastText": FastText(),
        "peer: spaCy textcat BOW": SpacyBow(),
    }
