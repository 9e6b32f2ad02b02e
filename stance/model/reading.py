"""Reading a model folder's files with limits, before anything in them is trusted.

Every file must be a regular file (a FIFO, a device or a link to one is refused without being
opened for reading, so ``/dev/urandom`` behind a file name cannot hang a load) and smaller than
its limit, checked with ``os.stat`` before a byte is read. JSON is refused when nested deeper than
MAX_DEPTH (counted by scanning brackets, never by recursing), when it holds a number of more than
MAX_DIGITS characters, NaN or infinities. Arrays are read with ``allow_pickle=False`` and must be
finite real numbers.
"""

from __future__ import annotations

import io
import json
import os
import stat
import zipfile
import zlib
from pathlib import Path

import numpy as np

MAX_JSON_BYTES = 256 * 2**20
MAX_ARRAY_BYTES = 1024 * 2**20
MAX_DEPTH = 64
MAX_DIGITS = 100
OPENING, CLOSING = np.frombuffer(b"[{", np.uint8), np.frombuffer(b"]}", np.uint8)
QUOTE, BACKSLASH = ord('"'), ord("\\")
SYNTAX = np.isin(np.arange(256), np.frombuffer(b'"\\[]{}', np.uint8))  # the bytes nesting_depth reads


class ModelError(ValueError):
    """A model folder that cannot be loaded safely; the message names the file and what is wrong."""


def read_bytes(path: Path, limit: int) -> bytes:
    """The bytes of a regular file no larger than ``limit``."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        raise ModelError(f"{path}: missing model file") from None
    except OSError as error:
        raise ModelError(f"{path}: cannot be read ({error.strerror or error})") from None
    _check_regular(path, found, limit)
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as error:
        raise ModelError(f"{path}: cannot be read ({error.strerror or error})") from None
    with os.fdopen(descriptor, "rb") as handle:
        _check_regular(path, os.fstat(handle.fileno()), limit)  # the file opened is the file checked
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ModelError(f"{path}: larger than the limit of {limit:,} bytes")
    return data


def _check_regular(path: Path, found: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(found.st_mode):
        raise ModelError(f"{path}: not a regular file (a model file cannot be a device, a FIFO or a folder)")
    if found.st_size > limit:
        raise ModelError(f"{path}: {found.st_size:,} bytes, larger than the limit of {limit:,} bytes")


def read_json(path: Path, limit: int = MAX_JSON_BYTES):
    """A JSON file's value, refused if too large, too deep, or holding huge or non-finite numbers."""
    try:
        text = read_bytes(path, limit).decode("utf-8")
    except UnicodeDecodeError as error:
        raise ModelError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    if text.count("[") + text.count("{") > MAX_DEPTH:  # (fewer opening brackets cannot nest deeper than that)
        depth = nesting_depth(text)
        if depth > MAX_DEPTH:
            raise ModelError(f"{path}: JSON nested {depth} levels deep, more than the limit of {MAX_DEPTH}")
    try:
        return json.loads(text, parse_int=lambda s: _number(s, int), parse_float=lambda s: _number(s, float),
                          parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise ModelError(f"{path}: not valid JSON ({error})") from None
    except ValueError as error:
        raise ModelError(f"{path}: {error}") from None


def nesting_depth(text: str) -> int:
    """How deeply the arrays and objects of a JSON text nest, brackets inside strings left out.

    Read as a JSON parser reads it: a quotation mark not escaped (not after an odd run of
    backslashes) opens or closes a string. Works on the UTF-8 bytes, where no byte of a multi-byte
    character is a quotation mark, a backslash or a bracket, and only on those bytes.
    """
    data = np.frombuffer(text.encode("utf-8"), np.uint8)
    at = np.flatnonzero(SYNTAX[data])  # positions of quotation marks, backslashes and brackets
    kind = data[at]
    backslash = kind == BACKSLASH
    follows = np.zeros(len(at), dtype=bool)  # a backslash right before, in the text
    follows[1:] = backslash[:-1] & (at[1:] == at[:-1] + 1)
    run_start = np.maximum.accumulate(np.where(backslash & ~follows, at, -1))
    odd_run = np.zeros(len(at), dtype=bool)  # an odd run of backslashes ends right before
    odd_run[1:] = follows[1:] & ((at[:-1] - run_start[:-1]) % 2 == 0)
    inside = np.cumsum((kind == QUOTE) & ~odd_run) % 2 == 1  # (the quotation marks themselves are no brackets)
    steps = np.isin(kind, OPENING).astype(np.int64) - np.isin(kind, CLOSING)
    return int(np.cumsum(np.where(inside, 0, steps)).max(initial=0))


def _number(text: str, kind: type):
    if len(text) > MAX_DIGITS:
        raise ValueError(f"a number of {len(text):,} characters (the limit is {MAX_DIGITS})")
    value = kind(text)
    if kind is float and not np.isfinite(value):
        raise ValueError(f"the number {text} is too large to be finite")
    return value


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number a model may hold")


def read_arrays(path: Path, limit: int = MAX_ARRAY_BYTES) -> dict[str, np.ndarray]:
    """The arrays of an npz file, refusing pickles, non-archives, oversized members and non-finite or non-real values."""
    data = read_bytes(path, limit)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
            if unpacked > limit:
                raise ModelError(f"{path}: its arrays unpack to {unpacked:,} bytes, more than the limit of {limit:,}")
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
    except ModelError:
        raise
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error) as error:
        raise ModelError(f"{path}: refused, not a plain array file ({error})") from None
    for name, array in arrays.items():
        if not isinstance(array, np.ndarray) or array.dtype.kind not in "fiu":
            raise ModelError(f"{path}: array {name!r} is not real numbers (it holds {getattr(array, 'dtype', 'bytes')})")
        if not np.isfinite(array).all():
            raise ModelError(f"{path}: array {name!r} holds NaN or infinite values")
    return arrays
