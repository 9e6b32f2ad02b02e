"""Where outputs go: only regular files (or new names) in existing folders, checked before any work.

A device node, a FIFO, a socket, a folder or a symbolic link (to anything) is never written to, and
never replaced by a rename: the command stops with one ``Error:`` line before anything is scored.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

TEMPORARY_PREFIX = ".stance-"  # short, so that a temporary file beside a long (legal) file name is legal too


class OutputError(ValueError):
    """An output that cannot be written as asked."""


def check_destination(output: Path) -> None:
    """Raise OutputError unless ``output`` is a regular file or a new name in an existing folder."""
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


def replace_file(content: bytes, output: Path) -> None:
    """Replace ``output`` by ``content`` atomically: a temporary file beside it, then a rename."""
    output = Path(output)
    handle, temporary = tempfile.mkstemp(dir=output.parent, prefix=TEMPORARY_PREFIX, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600 files; give the usual mode
        os.replace(temporary, output)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
