"""The database schema, as numbered migrations applied once each (recorded in `_migrations`).

A migration is a function of the database; append new ones, never edit an applied one. Each runs in ONE
transaction with its `_migrations` row and the header's `user_version` (sqlite-utils calls inside it join
through savepoints), so a migration that fails leaves the database as it was. Before the first pending
migration of a database that holds data, a copy is made with `VACUUM INTO '<db>.bak-before-v<N>'`; only
the latest such copy is kept.
"""
from __future__ import annotations

import os
import re
import secrets
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

APPLICATION_ID = 0x6D727364           # 'mrsd' in the SQLite header: this file is marsad's


def _m1_core(db: sqlite_utils.Database) -> None:
    db["sites"].create({"id": int, "name": str, "domain": str, "profile": str}, pk="id", not_null={"name"})
    db["sites"].create_index(["name"], unique=True)
    db["articles"].create({
        "id": int, "url": str, "site_id": int, "first_seen_at": str, "last_checked_at": str,
        "next_check_at": str, "last_changed_at": str, "etag": str, "last_modified": str,
        "status": str, "version_count": int, "canonical_url": str,
    }, pk="id", foreign_keys=[("site_id", "sites", "id")], not_null={"url", "first_seen_at", "status"},
        defaults={"status": "active", "version_count": 0})
    db["articles"].create_index(["url"], unique=True)
    db["articles"].create_index(["next_check_at"])
    db["versions"].create({
        "id": int, "article_id": int, "n": int, "fetched_at": str, "content_hash": str, "title": str,
        "byline": str, "published_at": str, "updated_at": str, "lang": str, "text": str, "figures": str,
        "summary": str, "summary_ar": str, "raw_html": bytes,
    }, pk="id", foreign_keys=[("article_id", "articles", "id")], not_null={"article_id", "n", "content_hash"})
    db["versions"].create_index(["article_id", "n"], unique=True)
    db["checks"].create({
        "id": int, "article_id": int, "at": str, "http_status": int, "outcome": str, "version_id": int,
        "bytes": int, "ms": int, "error": str,
    }, pk="id", foreign_keys=[("article_id", "articles", "id"), ("version_id", "versions", "id")],
        not_null={"article_id", "at", "outcome"})
    db["checks"].create_index(["article_id", "at"])
    db["changes"].create({
        "id": int, "article_id": int, "from_version": int, "to_version": int, "at": str, "kind": str,
        "field": str, "old": str, "new": str, "severity": str, "detail": str,
    }, pk="id", foreign_keys=[("article_id", "articles", "id"), ("from_version", "versions", "id"),
                              ("to_version", "versions", "id")], not_null={"article_id", "kind", "at"})
    db["changes"].create_index(["article_id"])
    db["changes"].create_index(["at"])
    db["alerts"].create({
        "id": int, "rule": str, "recipient": str, "article_id": int, "version_id": int, "change_ids": str,
        "created_at": str, "status": str, "attempts": int, "next_attempt_at": str, "sent_at": str,
        "message_id": str, "last_error": str,
    }, pk="id", foreign_keys=[("article_id", "articles", "id")], not_null={"recipient", "status", "created_at"},
        defaults={"status": "pending", "attempts": 0})
    db["alerts"].create_index(["status", "next_attempt_at"])


def _m2_live(db: sqlite_utils.Database) -> None:
    """Live blogs: remembered per version, since compare() folds their appended entries into one change."""
    db["versions"].add_column("live", int, not_null_default=0)


def _m3_daemon(db: sqlite_utils.Database) -> None:
    """The daemon's bookkeeping: one row per cycle (for `marsad status`), where a fetch ended up after
    redirects, and an index for per-site due batches."""
    db["cycles"].create({
        "id": int, "kind": str, "started_at": str, "finished_at": str, "discovered": int, "checked": int,
        "new": int, "changed": int, "unchanged": int, "not_modified": int, "removed": int, "errors": int,
        "seconds": float,
    }, pk="id", not_null={"kind", "started_at"})
    db["cycles"].create_index(["started_at"])
    db["checks"].add_column("final_url", str)
    db["articles"].create_index(["site_id", "next_check_at"])


def _m4_channels(db: sqlite_utils.Database) -> None:
    """Alerts go by e-mail or webhook; a row remembers which."""
    db["alerts"].add_column("channel", str, not_null_default="email")


def _m5_datasette(db: sqlite_utils.Database) -> None:
    """Datasette: the reading views, and an FTS5 trigram index of every version (rowid = versions.id) over
    the text as shown and its normalized copy, so Arabic search finds "المرصد" for "مرصد" and ignores
    hamza/yaa/taa-marbuta variants typed either way."""
    from .search import backfill
    from .views import create_views
    db.execute("CREATE VIRTUAL TABLE versions_fts USING fts5(title, text, title_normalized, text_normalized,"
               " tokenize = 'trigram')")
    backfill(db)
    create_views(db)


def _m6_fetch_health(db: sqlite_utils.Database) -> None:
    """What a safe, continuous fetcher must remember between checks (docs/architecture.md):
    the hash of the last fetched body (an identical body is `unchanged` without being parsed), an article's
    run of failed checks, each host's failures and back-off, leases on alert rows (so two senders never send
    one alert twice), and the daemon's own state (writes paused by a full disk) for `marsad status`."""
    db["articles"].add_column("raw_hash", str)
    db["articles"].add_column("error_streak", int, not_null_default=0)
    db["articles"].add_column("last_error", str)
    db["hosts"].create({"host": str, "failures": int, "last_error": str, "last_error_at": str, "backoff_until": str,
                        "last_ok_at": str}, pk="host", defaults={"failures": 0})
    db["alerts"].add_column("lease_owner", str)
    db["alerts"].add_column("lease_until", str)
    db["state"].create({"key": str, "value": str, "updated_at": str}, pk="key")


def _m7_lean_search(db: sqlite_utils.Database) -> None:
    """Search indexes only the normalized copies, and keeps no copy of its own (a contentless FTS5 table:
    the text is in `versions`): 14 KB a version instead of 36 (README.md, "Size"). Queries are
    normalized the same way (storage/search.py; Datasette's search box through the plugin)."""
    from .search import CREATE, backfill
    db.execute("DROP TABLE IF EXISTS versions_fts")
    db.execute(CREATE)
    backfill(db)


def _m8_fingerprints(db: sqlite_utils.Database) -> None:
    """The article fingerprint of the last good fetch (crawler/fingerprint.py: a page whose bytes moved
    only in its furniture is `unchanged` without extraction), and how precise a version's updated stamp
    is (a stamp resolved from "3 min ago" is good to a minute; docs/architecture.md); the views again,
    since `figure_history` now follows the story's own toll."""
    from .views import create_views
    db["articles"].add_column("fingerprint", str)
    db["versions"].add_column("updated_precision_s", int)
    create_views(db)


def _m9_fetch_headers(db: sqlite_utils.Database) -> None:
    """The status line and headers of the response that made a version (`Last-Modified`, `ETag`, caching
    headers are part of the evidence; `marsad export warc` replays them), compressed like raw_html
    (storage/blobs.py). Versions only: an unchanged check stores no headers."""
    db["versions"].add_column("raw_headers", bytes)


def _m10_evidence(db: sqlite_utils.Database) -> None:
    """Take-down evidence (detector/takedown.py): where the last good fetch asked not to be indexed
    (`articles.noindex`: "meta", "header", "" none, NULL never looked), and what each feed or sitemap
    listed (`listings`: an article's place in it and whether it is still listed), so an article that
    drops out of its feed while its neighbours stay is told from one that rolled off the end; the views
    again, with the silent-edit, re-stamp, take-down and headline-test columns, and an index of changes by
    the version they lead to (those columns, the article page and the outbox look changes up by it)."""
    from .views import create_views
    db["articles"].add_column("noindex", str)
    db["listings"].create({"source": str, "article_id": int, "position": int, "listed": int,
                           "first_listed_at": str, "dropped_at": str}, pk=("source", "article_id"),
                          foreign_keys=[("article_id", "articles", "id")], defaults={"listed": 1})
    db["listings"].create_index(["article_id"])
    db["changes"].create_index(["to_version"])      # the views' evidence columns, the pages and the outbox read by it
    create_views(db)



def _m11_applied_results(db: sqlite_utils.Database) -> None:
    """The idempotency keys of results recorded from Redis workers ("<article id>:<dispatch token>",
    storage/writer.py): a result delivered twice is recorded once, because its key is written in the
    same transaction as its check. Pruned after a week by the coordinator's retention."""
    db.execute("CREATE TABLE applied_results (key TEXT PRIMARY KEY, at TEXT NOT NULL) WITHOUT ROWID")


MIGRATIONS = [(1, "core tables", _m1_core), (2, "versions.live", _m2_live), (3, "daemon bookkeeping", _m3_daemon),
              (4, "alert channels", _m4_channels), (5, "views and Arabic full-text search", _m5_datasette),
              (6, "fetch health, alert leases, daemon state", _m6_fetch_health),
              (7, "search indexes the normalized text only", _m7_lean_search),
              (8, "article fingerprints, stamp precision, views", _m8_fingerprints),
              (9, "fetch headers kept with versions", _m9_fetch_headers),
              (10, "take-down evidence: noindex, feed listings; views with silent edits", _m10_evidence),
              (11, "idempotency keys of results from Redis workers", _m11_applied_results)]


def known_version() -> int:
    """The schema version this marsad writes (read at call time: tests extend MIGRATIONS)."""
    return max(v for v, _, _ in MIGRATIONS)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def migrate(db: sqlite_utils.Database, backup: bool = True) -> list[int]:
    """Apply the migrations this database has not seen, each in its own transaction; returns the numbers
    applied. With `backup`, a database holding data is first copied to `<db>.bak-before-v<N>`."""
    from .db import StorageError
    done = _done(db)
    pending = [m for m in MIGRATIONS if m[0] not in done]
    if not pending:
        if db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            with db.atomic():                                  # an older marsad's database, adopted
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute(f"PRAGMA user_version = {max(done, default=0)}")
        return []
    if backup and _has_data(db):
        backup_copy(db, pending[0][0])
    applied = []
    for version, name, fn in pending:
        conn = db.conn
        conn.execute("BEGIN IMMEDIATE")
        if version in _done(db):                       # another connection applied it while we waited
            conn.execute("COMMIT")
            continue
        try:
            if "_migrations" not in db.table_names():
                db["_migrations"].create({"version": int, "name": str, "applied_at": str}, pk="version")
            fn(db)
            db.execute("INSERT INTO _migrations (version, name, applied_at) VALUES (?, ?, ?)",
                       [version, name, _now()])
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException as e:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(e, Exception):
                raise StorageError(f"migration {version} ({name}) failed and was rolled back: {e}; the database "
                                   f"is as it was (schema v{max(_done(db), default=0)})") from e
            raise
        applied.append(version)
    return applied


def _done(db: sqlite_utils.Database) -> set[int]:
    if "_migrations" not in db.table_names():
        return set()
    return {r[0] for r in db.execute("SELECT version FROM _migrations")}


def _has_data(db: sqlite_utils.Database) -> bool:
    for t in db.table_names():
        if t == "_migrations" or t.startswith("versions_fts"):
            continue
        if db.execute(f"SELECT 1 FROM [{t}] LIMIT 1").fetchone():
            return True
    return False


def backup_copy(db: sqlite_utils.Database, version: int) -> Path | None:
    """`VACUUM INTO '<db>.bak-before-v<version>'` (a consistent copy, made while others may read), then
    the older `.bak-before-v*` copies are removed; None for a database without a file."""
    from .db import StorageError
    main = next((r[2] for r in db.execute("PRAGMA database_list") if r[1] == "main"), "")
    if not main:
        return None
    target = Path(f"{main}.bak-before-v{version}")
    partial = Path(f"{target}.partial-{os.getpid()}-{secrets.token_hex(4)}")
    partial.unlink(missing_ok=True)
    try:
        db.execute("VACUUM INTO ?", [str(partial)])
        os.replace(partial, target)
    except Exception as e:
        partial.unlink(missing_ok=True)
        raise StorageError(f"cannot back up {main} before migration {version} ({e}); nothing was migrated") from e
    for old in target.parent.glob(f"{Path(main).name}.bak-before-v*"):
        if old != target and re.fullmatch(r"\d+", old.name.rsplit(".bak-before-v", 1)[1]):
            old.unlink(missing_ok=True)                        # not another process's partial copy
    return target


def schema_version(db: sqlite_utils.Database) -> int:
    return max(_done(db), default=0)
