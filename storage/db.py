"""Opening marsad's SQLite database, and only marsad's: WAL (readers never block the writer), foreign
keys, a busy timeout; what a refused write means (disk full, read-only, I/O error, locked); the daemon's
own state rows.

A marsad database carries `PRAGMA application_id` = APPLICATION_ID ('mrsd') and `PRAGMA user_version` =
its schema version. Before anything is written, a file is looked at through a read-only connection:

- no file, an empty file, or an SQLite file without tables: a new marsad database (write mode only);
- marsad's application_id: migrated if this marsad knows newer migrations;
- no application_id but `_migrations` with marsad's migration names and an `articles` table: made by a
  marsad from before the id existed; adopted (the id set) and migrated;
- anything else (another program's tables, even one named `articles`; another application_id; bytes
  that are not SQLite): refused with a StorageError, and the file is left exactly as it was.

Modes: "write" (the default) creates and migrates; "read" (history, changes, status, feed, serve...)
needs an existing marsad database at this marsad's schema version, opens it `?mode=ro` and never writes.
"""
from __future__ import annotations

import errno
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from . import schema
from .schema import APPLICATION_ID, known_version, migrate

MODES = ("write", "read")
SHOWN_TABLES = 8                      # how many of a foreign database's tables the refusal names


class StorageError(RuntimeError):
    """The database cannot be opened or is not a marsad database; the message says which and why."""


def open_db(path: str | Path, create: bool = True, readonly: bool = False, *, mode: str | None = None,
            busy_timeout_ms: int = 10000) -> sqlite_utils.Database:
    """Open marsad's database. `mode="write"` (default) creates a missing file (unless `create=False`) and
    applies pending migrations; `mode="read"` (or the older `readonly=True`) never creates, migrates or
    writes. `busy_timeout_ms`: how long a statement waits for another connection's lock."""
    mode = mode or ("read" if readonly else "write")
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    path = Path(path)
    if not path.exists():
        if mode == "read" or not create:
            raise StorageError(f"no database at {path} (run `marsad crawl` or `marsad demo` first)")
        kind, version = "empty", 0
    else:
        kind, version = _inspect(path)
    if version > known_version():
        raise StorageError(f"{path} was written by a newer marsad (schema v{version}; this marsad knows up to "
                           f"v{known_version()}): upgrade marsad; nothing was changed")
    if mode == "read":
        if kind == "empty":
            raise StorageError(f"{path} is empty: not a marsad database yet (run `marsad crawl` or `marsad demo`)")
        if version < known_version():
            raise StorageError(f"{path} has schema v{version} and this marsad reads v{known_version()}: run a "
                               "command that writes (`marsad crawl`, `marsad daemon`, `marsad alerts send`) once "
                               "to upgrade it (a backup copy is kept beside it)")
        conn = _connect(f"{path.resolve().as_uri()}?mode=ro", path, busy_timeout_ms, uri=True)
        return sqlite_utils.Database(conn)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = _connect(str(path), path, busy_timeout_ms)
    db = sqlite_utils.Database(conn)
    try:
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.enable_wal()
        migrate(db)
    except sqlite3.Error as e:
        conn.close()
        raise StorageError(f"cannot open {path} for writing: {e}") from e
    except StorageError:
        conn.close()
        raise
    return db


def _connect(target: str, path: Path, busy_timeout_ms: int, uri: bool = False) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(target, uri=uri, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute("PRAGMA foreign_keys = ON")
        return conn
    except sqlite3.Error as e:
        raise StorageError(f"cannot open {path}: {e}") from e


def _inspect(path: Path) -> tuple[str, int]:
    """("empty" | "marsad" | "legacy", schema version) of an existing file, read through a read-only
    connection; StorageError for anything that is not marsad's."""
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as e:
        raise StorageError(f"cannot open {path}: {e}") from e
    try:
        app_id = con.execute("PRAGMA application_id").fetchone()[0]
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                            " AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        migrations = (dict(con.execute("SELECT version, name FROM _migrations").fetchall())
                      if "_migrations" in tables else {})
    except sqlite3.DatabaseError as e:
        if "not a database" in str(e) or "malformed" in str(e):
            raise StorageError(f"cannot open {path}: it is not an SQLite database ({e}); marsad leaves it "
                               "as it is") from e
        raise StorageError(f"cannot open {path}: {e}") from e
    finally:
        con.close()
    version = max(migrations, default=0)
    if app_id == APPLICATION_ID:
        return "marsad", version
    if app_id == 0 and not tables:
        return "empty", 0
    known = {v: name for v, name, _ in schema.MIGRATIONS}
    if (app_id == 0 and "articles" in tables and migrations.get(1) == known.get(1)
            and all(known.get(v, name) == name for v, name in migrations.items())):
        return "legacy", version
    if tables:
        shown = ", ".join(tables[:SHOWN_TABLES]) + (f" and {len(tables) - SHOWN_TABLES} more"
                                                    if len(tables) > SHOWN_TABLES else "")
        what = f"it has tables: {shown}"
    else:
        what = f"it carries another program's application_id 0x{app_id & 0xFFFFFFFF:08x}"
    raise StorageError(f"{path} is not a marsad database ({what}); marsad never changes another program's database")


def upgrade(path: str | Path) -> list[int]:
    """Migrate the database at `path` to this marsad's schema (for a `marsad migrate`); the numbers applied."""
    before = _inspect(Path(path))[1] if Path(path).exists() else 0
    db = open_db(path, create=False)
    try:
        return [v for v, _, _ in schema.MIGRATIONS if v > before]
    finally:
        db.conn.close()


# -- refused writes --------------------------------------------------------------------------------

# (SQLite primary result code, message fragment, reason): what a refused write means, as data.
WRITE_ERRORS = (
    (13, "database or disk is full", "disk full"),
    (8, "attempt to write a readonly database", "database is read-only"),
    (10, "disk i/o error", "disk I/O error"),
    (5, "database is locked", "database is locked"),
    (6, "database table is locked", "database is locked"),
)
OS_ERRORS = {errno.ENOSPC: "disk full", errno.EDQUOT: "disk full", errno.EFBIG: "file too large",
             errno.EROFS: "database is read-only", errno.EIO: "disk I/O error"}


def classify_write_error(exc: BaseException) -> str | None:
    """A short reason when `exc` (or what caused it) says the disk or the lock refused a write (worth
    pausing and retrying); None for anything else (a bug, a constraint: retrying would not help)."""
    seen = 0
    while exc is not None and seen < 8:
        code = getattr(exc, "sqlite_errorcode", None)
        message = str(exc).lower()
        for primary, fragment, reason in WRITE_ERRORS:
            if (code is not None and code & 0xFF == primary) or fragment in message:
                return reason
        if isinstance(exc, OSError) and exc.errno in OS_ERRORS:
            return OS_ERRORS[exc.errno]
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return None


# -- the daemon's state ----------------------------------------------------------------------------

def set_state(db: sqlite_utils.Database, key: str, value: str | None) -> None:
    """Record one line of the daemon's state ("writes" → "paused: disk full"); an empty value clears it.
    Commits by itself, or joins a transaction already open."""
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    with db.atomic():
        if value:
            db.execute("INSERT INTO state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE"
                       " SET value = excluded.value, updated_at = excluded.updated_at"
                       " WHERE value IS NOT excluded.value", [key, value, now])
        else:
            db.execute("DELETE FROM state WHERE key = ?", [key])


def get_state(db: sqlite_utils.Database) -> dict[str, dict]:
    """{key: {"value": ..., "since": updated_at}} for `marsad status`."""
    if "state" not in db.table_names():
        return {}
    return {k: {"value": v, "since": t} for k, v, t in db.execute("SELECT key, value, updated_at FROM state"
                                                                   " ORDER BY key")}
