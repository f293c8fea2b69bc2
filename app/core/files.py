"""Private files: what Parcours writes under instance/ (mails, SQLite databases, keys) is readable by
its own user only — files 0600, directories 0700 — from the moment it exists, never chmod-ed after.
"""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: str | Path, *, narrow: bool = False) -> Path:
    """Create the directory (and missing parents) as 0700. An existing directory is narrowed to 0700
    only when asked (instance/, mail/): a database may live in a shared directory we do not own."""
    path = Path(path)
    if not path.exists():
        path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        path.chmod(DIR_MODE)  # mkdir's mode goes through the umask
    elif narrow and path.stat().st_mode & 0o777 != DIR_MODE:
        path.chmod(DIR_MODE)
    return path


def write_private(path: str | Path, content: bytes | str, *, exclusive: bool = False) -> Path:
    """Write a file that is 0600 from its creation (umask cannot widen it)."""
    path = Path(path)
    private_dir(path.parent, narrow=True)
    data = content.encode() if isinstance(content, str) else content
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    descriptor = os.open(path, flags, FILE_MODE)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    os.chmod(path, FILE_MODE)  # an existing file keeps its mode on open(): narrow it too
    return path


def private_sqlite_file(url: str) -> None:
    """Create a SQLite database file as 0600 before SQLite does (it would use the umask, often 0644).
    SQLite gives its -wal and -shm files the database file's mode."""
    parsed = make_url(url)
    database = parsed.database
    if not parsed.drivername.startswith("sqlite") or not database or database == ":memory:" \
            or database.startswith("file:"):
        return
    path = Path(database)
    private_dir(path.parent)
    if not path.exists():
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
        except FileExistsError:
            pass
    if path.stat().st_mode & 0o777 != FILE_MODE:
        path.chmod(FILE_MODE)
