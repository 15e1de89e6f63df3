"""Reads used by the command line and the scheduler: due articles, an article's history, recent changes."""
from __future__ import annotations

import json

import sqlite_utils


DUE_COLUMNS = "id, url, etag, last_modified, raw_hash, fingerprint, site_id, next_check_at"


def due_articles(db: sqlite_utils.Database, now: str, limit: int = 500, per_site: int | None = None) -> list[dict]:
    """Active articles whose next check is due, most overdue first; with `per_site`, no site takes more
    than that many places in the batch (a backlog on one site cannot starve the others). Each query
    walks an index ((next_check_at) or (site_id, next_check_at)), so the cost follows the batch size,
    not the number of tracked articles."""
    if not per_site:
        return list(db.query(f"SELECT {DUE_COLUMNS} FROM articles WHERE next_check_at <= ? AND status = 'active'"
                             " ORDER BY next_check_at LIMIT ?", [now, limit]))
    sites = [r[0] for r in db.execute("SELECT DISTINCT site_id FROM articles INDEXED BY idx_articles_site_id_next_check_at")]
    rows: list[dict] = []
    for site_id in sites:
        rows += db.query(f"SELECT {DUE_COLUMNS} FROM articles WHERE site_id IS ? AND next_check_at <= ?"
                         " AND status = 'active' ORDER BY next_check_at LIMIT ?", [site_id, now, min(per_site, limit)])
    rows.sort(key=lambda r: r["next_check_at"])
    return rows[:limit]


def status(db: sqlite_utils.Database, now: str) -> dict:
    """What `marsad status` prints: articles by state, due now, backlog age, the last cycles."""
    by_state = dict(db.execute("SELECT status, count(*) FROM articles GROUP BY status").fetchall())
    due, oldest = db.execute("SELECT count(*), min(next_check_at) FROM articles WHERE status = 'active'"
                             " AND next_check_at <= ?", [now]).fetchone()
    last = {}
    for kind in ("revisit", "discovery", "once"):
        rows = list(db.query("SELECT * FROM cycles WHERE kind = ? ORDER BY id DESC LIMIT 1", [kind]))
        if rows:
            last[kind] = rows[0]
    totals = dict(zip(("versions", "changes", "checks"), db.execute(
        "SELECT (SELECT count(*) FROM versions), (SELECT count(*) FROM changes), (SELECT count(*) FROM checks)"
    ).fetchone()))
    from .db import get_state
    hosts = list(db.query("SELECT host, failures, last_error, last_error_at, backoff_until FROM hosts"
                          " WHERE failures > 0 ORDER BY failures DESC, host LIMIT 20"))
    failing = list(db.query("SELECT url, error_streak, last_error, last_checked_at FROM articles"
                            " WHERE error_streak > 0 AND status = 'active' ORDER BY error_streak DESC, id LIMIT 20"))
    return {"articles": by_state, "due_now": due, "oldest_due": oldest, "last_cycles": last, **totals,
            "state": get_state(db), "failing_hosts": hosts, "failing_articles": failing}


def latest_version(db: sqlite_utils.Database, url: str):
    """(content_hash, Article) of the last version of the article at `url`, or None."""
    from .record import _latest
    row = db.execute("SELECT id FROM articles WHERE url = ?", [url]).fetchone()
    latest = _latest(db.conn, row[0]) if row else None
    return (latest[2], latest[3]) if latest else None


def url_candidates(url: str) -> list[str]:
    """The stored URLs a URL as a person pastes it may stand for, best first: itself, then without its
    fragment, then without its query, each with and without a trailing slash, the scheme and host in
    lower case (they are case-insensitive; the path is not). `marsad history` is given URLs copied from
    a browser bar, a mail or a feed reader, which add or drop these parts; the stored one is canonical."""
    from urllib.parse import urlsplit, urlunsplit
    url = url.strip()
    out = [url]
    try:
        parts = urlsplit(url)
    except ValueError:
        return out
    if not parts.scheme or not parts.netloc:
        return out
    base = (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/")
    for query in dict.fromkeys((parts.query, "")):
        path = base[2]
        for p in dict.fromkeys((path, path.rstrip("/") or "/", path if path.endswith("/") else path + "/")):
            out.append(urlunsplit((base[0], base[1], p, query, "")))
    if not parts.path:                                   # "https://x.example" stands for "https://x.example/"
        out.append(urlunsplit((base[0], base[1], "", "", "")))
    return list(dict.fromkeys(out))


def article_by_url(db: sqlite_utils.Database, url: str) -> dict | None:
    """The tracked article at `url` (its URL or where it now redirects), forgiving a trailing slash, a
    query or a fragment that the stored URL does not have (url_candidates): the first candidate that
    is stored wins, so an exact match always beats a looser one."""
    for candidate in url_candidates(url):
        rows = list(db.query("SELECT * FROM articles WHERE url = ? OR canonical_url = ? ORDER BY url = ? DESC"
                             " LIMIT 1", [candidate, candidate, candidate]))
        if rows:
            return rows[0]
    return None


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
    """The page as fetched for a version (zstd, or zlib in rows written before schema v7)."""
    from .blobs import unpack
    row = db.execute("SELECT raw_html FROM versions WHERE id = ?", [version_id]).fetchone()
    return unpack(row[0]) if row and row[0] else None
