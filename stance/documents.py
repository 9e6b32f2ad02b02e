"""Reading inputs into documents: article files, folders, standard input and corpus files (stance.corpus).

Problems that stop the command (a missing path, a folder without articles, an input that is not a
regular file, a corpus file without its ``id`` or ``text`` column) raise InputError before
anything is scored. Problems of one document (unreadable, empty, binary, undecodable, too large, a
malformed corpus row, a duplicate id) make a Document with an ``error`` and the run goes on; what
can be carried past (a guessed encoding, text extracted from HTML, text that does not look French)
is a ``warning`` on a scored document. Standard input that is closed, empty or only whitespace
holds no document. UTF-8 (with or without a BOM) and UTF-16 with a BOM are read
as they are. In a folder, a FIFO, device, broken link or link loop with an article's suffix is
named in a ``Warning:`` line (``notify``) and skipped.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
CORPUS_SUFFIXES = (".jsonl", ".csv", ".parquet")
HTML_SUFFIXES = (".html", ".htm")
STDIN = "-"
MAX_DOCUMENT_BYTES = 32 * 1024 * 1024
FRENCH_WORDS = frozenset(
    "le la les un une des du de et est en que qui dans pour par sur pas au aux ce cette son sa ses il elle "
    "ils ont a avec plus ne se qu été être mais ou comme leur tout aussi entre après".split())
FRENCH_MIN_SHARE = 0.08
FRENCH_MIN_WORDS = 30
FRENCH_LETTERS = "a-zàâçéèêëîïôûùüÿœ"  # a character class's contents
FRENCH_WORD = re.compile(f"[{FRENCH_LETTERS}]+")
OTHER_LETTERS = re.compile(rf"[^\W\d_{FRENCH_LETTERS}]+")  # letters outside French's alphabet
WESTERN_ENCODINGS = ["cp1252", "latin_1", "iso8859_15"]  # the encodings of older French web pages
MAX_CHAOS = 0.1  # charset-normalizer's mess ratio above which a decoding is not trusted


def no_notice(message: str) -> None:
    """The default ``notify``: file-level warnings are dropped (the CLI prints them)."""


class InputError(ValueError):
    """An input that stops the command before anything is scored."""


class DocumentError(ValueError):
    """A problem of one document: it is reported in the output, and the run goes on."""


@dataclass(frozen=True)
class Document:
    """One article: its id, its text, where it came from, and what was noticed on reading it."""

    id: str
    text: str
    source: str = ""
    meta: dict = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    error: str | None = None


def article_paths(path: Path, notify: Callable[[str], None] = no_notice) -> list[Path]:
    """The article and corpus files of a folder, sorted by name.

    A name with an article suffix that is not a regular file (a FIFO, a device, a link loop or a
    broken link) is named in a ``Warning:`` line and skipped.
    """
    found = []
    for entry in sorted(path.iterdir()):
        if entry.suffix.lower() not in ARTICLE_SUFFIXES + CORPUS_SUFFIXES:
            continue
        problem = not_a_file(entry)
        if problem:
            notify(f"Warning: {entry}: {problem}; skipped")
        else:
            found.append(entry)
    return found


def not_a_file(path: Path) -> str | None:
    """What keeps ``path`` (followed if it is a link) from being read as a regular file, or None."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "a symbolic link loop"
        return "a broken symbolic link" if path.is_symlink() else (error.strerror or str(error))
    if stat.S_ISREG(mode):
        return None
    return "a folder" if stat.S_ISDIR(mode) else "not a regular file (a FIFO, device or socket)"


def input_files(paths: Iterable[str], notify: Callable[[str], None] = no_notice) -> list[str | Path]:
    """Every file the inputs name (``-`` stays as is); raises InputError on a missing path or empty folder."""
    files: list[str | Path] = []
    for name in paths:
        path: Path = Path(name)
        if name == STDIN:
            files.append(STDIN)
        elif path.is_dir():
            found = article_paths(path, notify)
            if not found:
                looked = ", ".join(ARTICLE_SUFFIXES + CORPUS_SUFFIXES)
                raise InputError(f"{path}: no articles in this folder (looked for {looked})")
            files.extend(found)
        elif not os.path.lexists(path):
            raise InputError(f"{path}: no such file or folder")
        elif not_a_file(path):
            raise InputError(f"{path}: {not_a_file(path)}")
        else:
            files.append(path)
    from stance.corpus import check_corpus_columns

    for file in files:
        if isinstance(file, Path) and file.suffix.lower() in CORPUS_SUFFIXES:
            check_corpus_columns(file)
    return files


def read_documents(paths: Iterable[str], skip: frozenset[str] = frozenset(),
                   notify: Callable[[str], None] = no_notice) -> Iterator[Document]:
    """Documents from files, folders, ``-`` and corpus files, in order; ids in ``skip`` are passed over.

    Problems of a whole file that do not stop the command go to ``notify`` as ``Warning:`` lines.
    """
    return read_files(input_files(paths, notify), skip, notify)


def readable_documents(paths: Iterable[str], notify: Callable[[str], None] = no_notice) -> Iterator[Document]:
    """The documents of ``paths`` that can be read; each problem of a document goes to ``notify``
    as a ``Warning:`` line, and a document with an error is left out."""
    for document in read_documents(paths, notify=notify):
        for problem in document.warnings + ((f"{document.error} (left out)",) if document.error else ()):
            notify(f"Warning: {document.source or document.id}: {problem}")
        if document.error is None:
            yield document


def read_files(files: list[str | Path], skip: frozenset[str] = frozenset(),
               notify: Callable[[str], None] = no_notice) -> Iterator[Document]:
    """The documents of the files ``input_files`` gave, in order; ids in ``skip`` are passed over."""
    seen: dict[str, int] = {}  # each id and the index of the file it first came from (small: a corpus can be huge)
    for index, path in enumerate(files):
        for document in _documents_of(path, notify):
            if document.id in seen:
                first = "standard input" if files[seen[document.id]] == STDIN else files[seen[document.id]]
                document = Document(document.id, "", document.source, document.meta,
                                    error=f"duplicate id {document.id!r} (first in {first})")
            else:
                seen[document.id] = index
            if document.id not in skip:
                yield document


def _documents_of(path: str | Path, notify: Callable[[str], None]) -> Iterator[Document]:
    if path == STDIN or not isinstance(path, Path):
        data = standard_input()
        if data.strip():  # empty (or closed) standard input holds no document
            yield _from_bytes("stdin", "stdin", data, html=False)
        return
    suffix = path.suffix.lower()
    if suffix in CORPUS_SUFFIXES:
        from stance.corpus import corpus_documents

        yield from corpus_documents(path, notify)
    else:
        try:
            data = file_bytes(path)
        except OSError as error:
            yield Document(path.stem, "", str(path), error=f"could not be read ({error.strerror or error})")
            return
        yield _from_bytes(path.stem, str(path), data, html=suffix in HTML_SUFFIXES)


def standard_input() -> bytes:
    """Standard input's bytes, one past the size limit at most; none when standard input is closed."""
    stream = getattr(sys.stdin, "buffer", None)
    return stream.read(MAX_DOCUMENT_BYTES + 1) if stream is not None else b""


def file_bytes(path: Path) -> bytes:
    """An article file's bytes, one past the size limit at most."""
    with open(path, "rb") as handle:
        return handle.read(MAX_DOCUMENT_BYTES + 1)


def _from_bytes(doc_id: str, source: str, data: bytes, html: bool, meta: dict | None = None) -> Document:
    try:
        text, warnings = decoded_text(data, html)
    except DocumentError as error:
        return Document(doc_id, "", source, meta or {}, error=str(error))
    return Document(doc_id, text, source, meta or {}, tuple(warnings))


def check_size(size: int) -> None:
    """Raise DocumentError for a document over the size limit, naming the limit."""
    if size > MAX_DOCUMENT_BYTES:
        raise DocumentError(f"larger than the {MAX_DOCUMENT_BYTES // 2**20} MB limit for one article")


def decoded_text(data: bytes, html: bool = False) -> tuple[str, list[str]]:
    """The article text of raw bytes, and the warnings met on the way; raises DocumentError."""
    check_size(len(data))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return checked_text(_utf16_text(data), html)
    if b"\x00" in data[:8192]:
        raise DocumentError("a binary file, not text")
    warnings = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text, encoding = _guess_encoding(data)
        warnings.append(f"not UTF-8: decoded as {encoding}")
    return checked_text(text, html, warnings)


def _utf16_text(data: bytes) -> str:
    """The text of bytes that start with a UTF-16 byte order mark; DocumentError when they are not UTF-16 text."""
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError:
        raise DocumentError("starts like UTF-16 text, but is not") from None
    if "\x00" in text[:8192]:
        raise DocumentError("a binary file, not text")
    return text


def checked_text(text: str, html: bool = False, warnings: list[str] | None = None) -> tuple[str, list[str]]:
    """Text ready to score: extracted from HTML when it is a page, non-empty, French-looking."""
    warnings = list(warnings or [])
    if html or _looks_like_html(text):
        text = _html_text(text)
        warnings.append("HTML page: scored the article text extracted from it")
    if not text.strip():
        raise DocumentError("empty, or only whitespace")
    if not looks_french(text):
        warnings.append("does not look like French: the model was trained on French text")
    return text, warnings


def _guess_encoding(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=WESTERN_ENCODINGS).best()
    if best is None or best.chaos > MAX_CHAOS:
        raise DocumentError("not UTF-8 text, and not confidently cp1252 or latin-1 either")
    return str(best), best.encoding


def _looks_like_html(text: str) -> bool:
    head = text[:1024].lstrip().lower()
    return head.startswith(("<!doctype html", "<html"))


def _html_text(page: str) -> str:
    import trafilatura

    text = trafilatura.extract(page, include_comments=False, include_tables=False)
    if not text:
        raise DocumentError("an HTML page with no article text that could be extracted")
    return text


def looks_french(text: str) -> bool:
    """Whether enough of the words are common French function words; a text too short to tell passes if
    most of its letters are French ones (not Cyrillic, CJK, or bytes read as UTF-16)."""
    sample = text[:20000].lower()
    words = FRENCH_WORD.findall(sample)
    if len(words) < FRENCH_MIN_WORDS:  # too few to count function words: are most letters French ones?
        return sum(map(len, OTHER_LETTERS.findall(sample))) <= sum(map(len, words))
    return sum(map(FRENCH_WORDS.__contains__, words)) / len(words) >= FRENCH_MIN_SHARE

