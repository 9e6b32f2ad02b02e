from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from stance.vectorize import FeatureSpace, TfidfBlock

TRAIN = [
    "Elon Musk propose 97,4 milliards de dollars pour OpenAI.",
    "« Not for sale », répond le conseil d'administration — à l'unanimité.",
    "Le procès s'ouvre au printemps 2026 ; Altman témoigne.",
    "L'Europe répond : 109 milliards d'euros, Mistral et la souveraineté.",
    "a b c dd eee",
]


def numpy_block(vectorizer: TfidfVectorizer, analyzer: str, ngram_range) -> TfidfBlock:
    return TfidfBlock("b", "text", analyzer, ngram_range, list(vectorizer.get_feature_names_out()), vectorizer.idf_, 0.5)


@pytest.mark.parametrize("analyzer, ngram_range", [("word", (1, 1)), ("word", (1, 3)), ("char_wb", (2, 5)), ("char_wb", (1, 3))])
def test_blocks_compute_what_scikit_learn_computes(analyzer, ngram_range):
    vectorizer = TfidfVectorizer(analyzer=analyzer, ngram_range=ngram_range, sublinear_tf=True).fit(TRAIN)
    texts = TRAIN + ["", "   ", "OpenAI OpenAI OpenAI", "x", "Musk\u00a0et\tAltman\n\nau tribunal", "Ünïcödé ÉCRIT"]
    space = FeatureSpace([numpy_block(vectorizer, analyzer, ngram_range)])
    assert np.allclose(space.transform({"text": texts}).toarray(), 0.5 * vectorizer.transform(texts).toarray(), atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("abé É.,'’ \u00a0\t\nMusk"), max_size=40), min_size=1, max_size=6))
def test_any_text_gets_the_same_char_and_word_features(texts):
    for analyzer, ngram_range in (("word", (1, 2)), ("char_wb", (2, 5))):
        vectorizer = TfidfVectorizer(analyzer=analyzer, ngram_range=ngram_range, sublinear_tf=True).fit(TRAIN + texts)
        space = FeatureSpace([numpy_block(vectorizer, analyzer, ngram_range)])
        assert np.allclose(space.transform({"text": texts}).toarray(), 0.5 * vectorizer.transform(texts).toarray(), atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("abcé d.'’ \n"), max_size=30), min_size=1, max_size=8),
       st.sampled_from([{}, {"min_df": 2}, {"max_features": 12}, {"ngram_range": (2, 3)}]))
def test_word_ngrams_of_unseen_texts_match_with_full_and_pruned_vocabularies(texts, options):
    """Batch n-grams are looked up as numbers when every n-gram's words are unigrams of the vocabulary, as strings otherwise."""
    ngram_range = options.get("ngram_range", (1, 3))
    options = {"ngram_range": ngram_range, **options}
    vectorizer = TfidfVectorizer(sublinear_tf=True, **options).fit(TRAIN + ["ab cd ab", "cd ab ab cd"])
    for numbered_after in (0, float("inf")):  # numbers from the first text, or strings throughout
        with mock.patch("stance.vectorize.NUMBERED_AFTER", numbered_after):
            space = FeatureSpace([numpy_block(vectorizer, "word", ngram_range)])
            assert np.allclose(space.transform({"text": texts}).toarray(), 0.5 * vectorizer.transform(texts).toarray(),
                               atol=1e-12)


def test_a_word_block_numbers_its_ngrams_once_it_has_read_as_many_tokens_as_it_has_terms():
    """A single short article is looked up as strings (numbering a large vocabulary would cost more than
    it saves); once the block has read as many tokens as its vocabulary has terms, it numbers them."""
    vectorizer = TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True).fit(TRAIN)
    block = numpy_block(vectorizer, "word", (1, 3))
    space, expected = FeatureSpace([block]), 0.5 * vectorizer.transform(TRAIN).toarray()
    assert np.allclose(space.transform({"text": TRAIN[:1]}).toarray(), expected[:1], atol=1e-12)
    assert "_grams" not in vars(block)  # nine tokens read, fewer than its terms
    while block._read < block.width:
        assert np.allclose(space.transform({"text": TRAIN}).toarray(), expected, atol=1e-12)
    assert np.allclose(space.transform({"text": TRAIN}).toarray(), expected, atol=1e-12)
    assert vars(block)["_grams"] is not None


def test_char_features_survive_the_word_cache_filling_up_within_a_batch(monkeypatch):
    """Words repeated across a batch share one list of ids; the cache is cleared when full, mid-batch."""
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True).fit(TRAIN)
    texts = TRAIN + ["Musk Musk OpenAI", "", "OpenAI dd Musk eee dd"] + TRAIN[::-1]
    monkeypatch.setattr("stance.vectorize.WORD_CACHE", 3)
    space = FeatureSpace([numpy_block(vectorizer, "char_wb", (2, 5))])
    assert np.allclose(space.transform({"text": texts}).toarray(), 0.5 * vectorizer.transform(texts).toarray(), atol=1e-12)
    assert len(space.blocks[0]._words) <= 3


def test_a_repeated_term_scores_under_its_last_id_as_strings_do():
    block = TfidfBlock("b", "text", "word", (1, 2), ["ab", "cd", "ab cd", "ab"], np.ones(4))
    cells = FeatureSpace([block]).transform({"text": ["ab cd", "xx ab"]})
    assert set(zip(cells.rows.tolist(), cells.columns.tolist())) == {(0, 1), (0, 2), (0, 3), (1, 3)}


def test_scores_are_the_matrix_product():
    vectorizer = TfidfVectorizer(sublinear_tf=True).fit(TRAIN)
    cells = FeatureSpace([numpy_block(vectorizer, "word", (1, 1))]).transform({"text": TRAIN})
    coef = np.random.default_rng(0).normal(size=(3, cells.shape[1]))
    assert np.allclose(cells.scores(coef), cells.toarray() @ coef.T)


def test_a_space_switches_to_scipys_product_after_enough_cells_and_it_gives_the_same_bits(monkeypatch):
    """Both products add a row's cells in the order they are listed, so scores do not change when a
    long run of scoring switches from numpy's to scipy's (the shipped model's scores on the seeds)."""
    from stance.model import load_model
    from stance.paths import SEEDS
    from stance.sentences import split_many

    model = load_model()
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    spans = list(split_many(texts, model.settings.splitter))
    inputs = model.input_for([t[s:e] for t, doc in zip(texts, spans) for s, e in doc],
                             [str(i) for i, doc in enumerate(spans) for _ in doc])
    space = model.tasks["stance"].space
    cells = len(FeatureSpace(space.blocks).transform(inputs).values)  # a space of its own counts this one
    monkeypatch.setattr("stance.vectorize.SPARSE_AFTER", 2 * cells + 1)
    first, second, third = (space.transform(inputs) for _ in range(3))
    assert not first.sparse_product and not second.sparse_product and third.sparse_product
    for task in ("stance", "frame"):
        coef = model.tasks[task].coef
        assert np.array_equal(first.scores(coef), third.scores(coef))
        assert np.allclose(third.scores(coef), first.toarray() @ coef.T)


def test_a_block_refuses_idf_of_the_wrong_length():
    with pytest.raises(ValueError, match="idf values"):
        TfidfBlock("b", "text", "word", (1, 1), ["a", "b"], np.ones(3))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="aΣσς'é- .«»ΑΒ1", max_size=20), st.sampled_from("ab")), min_size=5, max_size=9),
       st.integers(0, 3))
def test_the_context_tokens_read_off_the_neighbours_are_those_of_the_context_text(rows, cut):
    """Scoring reads the context block's tokens off the sentences' own; a batch whose context reaches
    rows cut away (a chunk's edge) is tokenized from its text, and both give what the text gives."""
    from stance.features import sentence_inputs

    vectorizer = TfidfVectorizer(sublinear_tf=True).fit(TRAIN + ["aa σας ΑΣ éé"])
    space = FeatureSpace([numpy_block(vectorizer, "word", (1, 1)),
                          TfidfBlock("c", "context", "word", (1, 1), list(vectorizer.get_feature_names_out()),
                                     vectorizer.idf_, 0.5)])
    inputs = sentence_inputs([text for text, _ in rows], [article for _, article in rows])
    for part in (inputs, {column: values[cut:] for column, values in inputs.items()}):
        expected = 0.5 * vectorizer.transform(part["context"]).toarray()
        assert np.allclose(space.transform(part).toarray()[:, vectorizer.idf_.size:], expected, atol=1e-12)
        without = {column: values for column, values in part.items() if column != "article"}
        read_off, tokenized = space.transform(part), space.transform(without)
        assert all(np.array_equal(a, b) for a, b in zip((read_off.rows, read_off.columns, read_off.values),
                                                        (tokenized.rows, tokenized.columns, tokenized.values)))
