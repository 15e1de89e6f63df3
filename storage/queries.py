"""Reads used by the command line and the scheduler: due articles, an article's history, recent changes."""
from __future__ import annotations

import json

import sqlite_utils


def due_articles(db: sqlite_utils.Database, now: str, limit: int = 500) -> list[dict]:
    """Active articles whose next check is due, most overdue first."""
    return list(db.query(
        "SELECT id, url, etag, last_modified, site_id FROM articles WHERE status = 'active'"
        " AND next_check_at <= ? ORDER BY next_check_at LIMIT ?", [now, limit]))


def article_by_url(db: sqlite_utils.Database, url: str) -> dict | None:
    rows = list(db.query("SELECT * FROM articles WHERE url = ? OR canonical_url = ?", [url, url]))
    return rows[0] if rows else None


def history(db: sqlite_utils.Database, url: str) -> dict | None:
    """An article with its versions (no raw HTML) and, per version, the changes that led to it."""
    art = article_by_url(db, url)
    if not art:
        return None
    versions = list(db.query(
        "SELECT id, n, fetched_at, content_hash, title, byline, published_at, updated_at, lang, summary,"
        " summary_ar, figures FROM versions WHERE article_id = ? ORDER BY n", [art["id"]]))
    changes = list(db.query("SELECT * FROM changes WHERE article_id = ? ORDER BY id", [art["id"]]))
    for v in versions:
        v["figures"] = json.loads(v["figures"] or "[]")
        v["changes"] = [_change_row(c) for c in changes if c["to_version"] == v["id"]]
    removed = [_change_row(c) for c in changes if c["kind"] == "removed"]
    checks = list(db.query("SELECT at, http_status, outcome, error FROM checks WHERE article_id = ? ORDER BY id",
                           [art["id"]]))
    return {"article": art, "versions": versions, "removed": removed, "checks": checks}


def _change_row(c: dict) -> dict:
    c = dict(c)
    c["detail"] = json.loads(c["detail"] or "{}")
    return c


def recent_changes(db: sqlite_utils.Database, limit: int = 50, since: str | None = None,
                   min_severity: str | None = None) -> list[dict]:
    from detector import SEVERITIES
    sql = ("SELECT c.*, a.url, v.title FROM changes c JOIN articles a ON a.id = c.article_id"
           " LEFT JOIN versions v ON v.id = c.to_version WHERE 1=1")
    params: list = []
    if since:
        sql += " AND c.at >= ?"
        params.append(since)
    if min_severity:
        sql += " AND c.severity IN (%s)" % ",".join("?" for _ in SEVERITIES[SEVERITIES.index(min_severity):])
        params += list(SEVERITIES[SEVERITIES.index(min_severity):])
    sql += " ORDER BY c.id DESC LIMIT ?"
    params.append(limit)
    return [_change_row(c) for c in db.query(sql, params)]


def version_html(db: sqlite_utils.Database, version_id: int) -> bytes | None:
    import zlib
    row = db.execute("SELECT raw_html FROM versions WHERE id = ?", [version_id]).fetchone()
    return zlib.decompress(row[0]) if row and row[0] else None
