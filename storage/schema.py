"""The database schema, as numbered migrations applied once each (recorded in `_migrations`).

A migration is a function of the database; append new ones, never edit an applied one.
"""
from __future__ import annotations

from datetime import datetime, timezone

import sqlite_utils


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


MIGRATIONS = [(1, "core tables", _m1_core), (2, "versions.live", _m2_live), (3, "daemon bookkeeping", _m3_daemon),
              (4, "alert channels", _m4_channels), (5, "views and Arabic full-text search", _m5_datasette),
              (6, "fetch health, alert leases, daemon state", _m6_fetch_health)]


def migrate(db: sqlite_utils.Database) -> list[int]:
    """Apply the migrations this database has not seen; returns the numbers applied."""
    if "_migrations" not in db.table_names():
        db["_migrations"].create({"version": int, "name": str, "applied_at": str}, pk="version")
    done = {r["version"] for r in db["_migrations"].rows}
    applied = []
    for version, name, fn in MIGRATIONS:
        if version in done:
            continue
        with db.conn:
            fn(db)
            db["_migrations"].insert({"version": version, "name": name,
                                      "applied_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")})
        applied.append(version)
    return applied


def schema_version(db: sqlite_utils.Database) -> int:
    if "_migrations" not in db.table_names():
        return 0
    return max((r["version"] for r in db["_migrations"].rows), default=0)
