"""Where outputs go: only regular files (or new names) in existing folders, checked before any work.

A device node, a FIFO, a socket, a folder, a symbolic link (to anything) or an input file is never
written to, and never replaced by a rename: the command stops with one ``Error:`` line before
anything is scored. Streamed outputs are written to a locked partial file first (Partial).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

MAX_RECORD_BYTES = 64 * 1024
TEMPORARY_PREFIX = ".stance-"  # short, so that a temporary file beside a long (legal) file name is legal too


class OutputError(ValueError):
    """An output that cannot be written as asked."""


def check_destination(output: Path, inputs: Iterable[Path] = ()) -> None:
    """Raise OutputError unless ``output`` is a regular file or a new name in an existing folder, and no input."""
    output = Path(output)
    if not output.parent.is_dir():
        raise OutputError(f"{output}: the folder {output.parent} does not exist")
    try:
        mode = os.lstat(output).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISLNK(mode):
        raise OutputError(f"{output}: a symbolic link; refusing to write through it (give the file itself, or a new name)")
    if stat.S_ISDIR(mode):
        raise OutputError(f"{output}: a folder; give a file name")
    if not stat.S_ISREG(mode):
        raise OutputError(f"{output}: not a regular file (a device, FIFO or socket); refusing to write to it")
    _check_not_an_input(output, inputs)


def _check_not_an_input(output: Path, inputs: Iterable[Path]) -> None:
    place = os.stat(output)
    for path in inputs:
        with contextlib.suppress(OSError):  # an input that cannot be looked at is not this file
            there = os.stat(path)
            if (there.st_dev, there.st_ino) == (place.st_dev, place.st_ino):
                raise OutputError(f"{output}: this is also an input ({path}); write the output elsewhere")


def replace_file(content: bytes, output: Path) -> None:
    """Replace ``output`` by ``content`` atomically: a temporary file beside it, then a rename."""
    output = Path(output)
    try:
        handle, temporary = tempfile.mkstemp(dir=output.parent, prefix=TEMPORARY_PREFIX, suffix=".tmp")
    except OSError as error:
        raise OutputError(f"{output}: cannot write in {output.parent} ({error.strerror or error})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600 files; give the usual mode
        os.replace(temporary, output)
    except OSError as error:
        raise OutputError(f"{output}: cannot write it ({error.strerror or error}); nothing was replaced") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def partial_path(output: Path) -> Path:
    """The file ``output`` is written to until it is complete: beside it, under a short hidden name.

    The name is fixed by the output's name (so that --resume finds it) and short (so that any legal
    output name has a legal partial file): ``.stance-`` and 16 hex digits of the name's SHA-256.
    """
    output = Path(output)
    return output.with_name(f"{TEMPORARY_PREFIX}{_digest(output.name)}.partial")


def record_path(output: Path) -> Path:
    """The small JSON file beside the partial file that records what the run writes (for --resume)."""
    output = Path(output)
    return output.with_name(f"{TEMPORARY_PREFIX}{_digest(output.name)}.json")


def _digest(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:16]


class Partial:
    """The partial file of an output: beside it, locked for this run alone, renamed onto it at the end.

    Two runs into the same output cannot both hold the lock: the second stops with OutputError. A
    partial file that is removed or replaced while the run writes it makes ``finish`` fail rather
    than rename nothing into place.
    """

    def __init__(self, output: Path):
        self.output, self.path, self.record_path = Path(output), partial_path(output), record_path(output)
        try:
            self.file = open(os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o666), "r+b")
        except OSError as error:
            raise OutputError(f"{self.output}: cannot write its partial file {self.path.name} in {self.path.parent} "
                              f"({error.strerror or error})") from None
        if not stat.S_ISREG(os.fstat(self.file.fileno()).st_mode):
            self.file.close()
            raise OutputError(f"{self.path}: not a regular file; remove it to write {self.output}")
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.file.close()
            raise OutputError(f"{self.output}: another run is writing this output; wait for it, or choose another -o") from None

    def read(self) -> bytes:
        """Everything in the partial file."""
        self.file.seek(0)
        return self.file.read()

    def restart(self, content: bytes = b"") -> None:
        """Make ``content`` the whole partial file, and write on after it."""
        self.file.seek(0)
        self.file.truncate()
        self.file.write(content)

    def keep(self, size: int) -> None:
        """Keep the first ``size`` bytes of the partial file, and write on after them."""
        self.file.truncate(size)
        self.file.seek(size)

    def record(self, facts: dict) -> None:
        """Record what this run writes (its mode, format and model), for a later --resume to compare."""
        replace_file(json.dumps(facts, sort_keys=True).encode("utf-8"), self.record_path)

    def recorded(self) -> dict | None:
        """What the run that wrote the partial file recorded, if it did (None for a finished output)."""
        try:
            status = os.lstat(self.record_path)
        except FileNotFoundError:
            return None
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_RECORD_BYTES:
            raise OutputError(f"{self.record_path}: not a record this program wrote; remove it, or write elsewhere")
        try:
            facts = json.loads(self.record_path.read_bytes())
        except (ValueError, RecursionError):
            facts = None
        if not isinstance(facts, dict):
            raise OutputError(f"{self.record_path}: not a record this program wrote; remove it, or write elsewhere")
        return facts

    def finish(self) -> None:
        """Put the complete partial file in place of the output; OutputError if it is no longer ours."""
        self.file.flush()
        os.fsync(self.file.fileno())
        if not self._ours():
            raise OutputError(f"{self.path} was removed or replaced during the run; {self.output} not written (run again)")
        check_destination(self.output)  # nothing unwritable may have taken the output's name meanwhile
        os.replace(self.path, self.output)
        self._forget_record()
        self.file.close()

    def abort(self, keep: bool) -> None:
        """Stop writing: the partial file stays for --resume if ``keep`` and it holds something, else it goes."""
        if not self.file.closed:
            if self._ours() and not (keep and os.fstat(self.file.fileno()).st_size):
                os.unlink(self.path)
                self._forget_record()
            self.file.close()

    def _forget_record(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.record_path)

    def _ours(self) -> bool:
        try:
            there = os.lstat(self.path)
        except FileNotFoundError:
            return False
        mine = os.fstat(self.file.fileno())
        return (there.st_dev, there.st_ino) == (mine.st_dev, mine.st_ino)
