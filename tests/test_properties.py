"""Properties that hold for any input: splitting loses no text, scoring never crashes, shares sum to 1."""

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stance.documents import Document
from stance.model import load_model
from stance.profile import profiles
from stance.schema import FRAMES, STANCES
from stance.scoring import score_sentences
from stance.sentences import split

SENTENCEISH = st.text(alphabet=st.sampled_from(list("abcdé Z.!?«»\n\t\r,:;-•’0123456789 ")), max_size=300)


@given(st.one_of(SENTENCEISH, st.text(max_size=300)))
@settings(max_examples=300, deadline=None)
def test_spans_and_the_whitespace_between_them_rebuild_the_input(text):
    pieces, position = [], 0
    for start, end in split(text):
        assert position <= start < end
        assert text[position:start].strip() == ""
        assert text[start:end] == text[start:end].strip()
        pieces += [text[position:start], text[start:end]]
        position = end
    assert text[position:].strip() == ""
    assert "".join(pieces) + text[position:] == text


@given(st.lists(st.text(max_size=200), min_size=1, max_size=4))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_scoring_never_crashes_on_arbitrary_unicode(tiny_model, texts):
    model = load_model(tiny_model)
    table = score_sentences([Document(f"d{i}", t) for i, t in enumerate(texts)], model)
    for task, labels in (("stance", STANCES), ("frame", FRAMES)):
        proba = table[[f"p_{task}_{label}" for label in labels]].to_numpy()
        assert np.allclose(proba.sum(axis=1), 1) if len(table) else True
    for row in table.itertuples():
        assert texts[int(row.article[1:])][row.start:row.end] == row.text


@given(st.integers(1, 60), st.integers(0, 2**32 - 1))
@settings(max_examples=60, deadline=None)
def test_profile_shares_always_sum_to_one(n, seed):
    rng = np.random.default_rng(seed)
    stance, frame = rng.dirichlet(np.ones(3) * 0.3, n), rng.dirichlet(np.ones(5) * 0.3, n)
    table = pd.DataFrame({f"p_stance_{s}": stance[:, i] for i, s in enumerate(STANCES)}
                         | {f"p_frame_{f}": frame[:, i] for i, f in enumerate(FRAMES)})
    table["article"] = "a"
    row = profiles(table).iloc[0]
    assert np.isclose(sum(row[f"stance_{s}"] for s in STANCES), 1)
    assert np.isclose(sum(row[f"frame_{f}"] for f in FRAMES), 1)
    assert -1 <= row["net_lean_low"] <= row["net_lean"] <= row["net_lean_high"] <= 1
