"""Opening marsad's SQLite database: WAL (readers never block the writer), foreign keys, a busy timeout."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from .schema import migrate


class StorageError(RuntimeError):
    """The database cannot be opened or is not a marsad database; the message says which and why."""


def open_db(path: str | Path, create: bool = True, readonly: bool = False) -> sqlite_utils.Database:
    path = Path(path)
    if not create and not path.exists():
        raise StorageError(f"no database at {path} (run `marsad crawl` or `marsad demo` first)")
    try:
        if readonly:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA foreign_keys = ON")
        db = sqlite_utils.Database(conn)
        if not readonly:
            db.enable_wal()
            migrate(db)
        else:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as e:
        raise StorageError(f"cannot open {path} as a marsad database: {e}") from e
    if readonly and "articles" not in db.table_names():
        raise StorageError(f"{path} is not a marsad database (no articles table)")
    return db
