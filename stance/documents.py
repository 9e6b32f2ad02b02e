"""Reading inputs into documents: files, folders of articles, or standard input."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ARTICLE_SUFFIXES = (".txt", ".md")
STDIN = "-"


class InputError(ValueError):
    """An input that cannot be read as articles."""


@dataclass(frozen=True)
class Document:
    """One article: its id (the file name without extension, or ``stdin``) and its text."""

    id: str
    text: str


def article_paths(path: Path) -> list[Path]:
    """The article files of a folder, sorted by name."""
    return sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)


def read_documents(paths: Iterable[str]) -> Iterator[Document]:
    """Documents from files, folders (their .txt and .md files) and ``-`` for standard input."""
    for name in paths:
        if name == STDIN:
            yield Document("stdin", sys.stdin.read())
            continue
        path = Path(name)
        if path.is_dir():
            files = article_paths(path)
            if not files:
                raise InputError(f"{path}: no articles (.txt or .md files) in this folder")
            yield from (_read_file(f) for f in files)
        elif path.is_file():
            yield _read_file(path)
        else:
            raise InputError(f"{path}: no such file or folder")


def _read_file(path: Path) -> Document:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    return Document(path.stem, text)
