"""The writes of one check, all in one transaction: the check, and where the content changed the new
version, its changes and the alert rows for the rules that match. A failure anywhere rolls all of it back.

Plain SQL on the sqlite-utils connection: sqlite-utils' own insert() commits by itself, which would split
the transaction.
"""
from __future__ import annotations

import json
import sqlite3
import zlib
from dataclasses import dataclass
from typing import Callable

import sqlite_utils

from alerts.rules import matching

from .search import index_version
from .times import shift
from detector.models import Fetch
from detector import DEFAULT_POLICY, Article, Change, Policy, compare, removed_change, summarize, version_hash

REMOVED_STATUSES = (404, 410)


CheckResult = Fetch   # what the crawler learnt from one fetch (detector.models.Fetch)


@dataclass
class Recorded:
    outcome: str                # new, unchanged, not_modified, changed, removed, error
    article_id: int
    version: int | None = None
    changes: tuple[Change, ...] = ()
    alert: bool = False


def _insert(conn: sqlite3.Connection, table: str, row: dict) -> int:
    cols = ", ".join(f"[{k}]" for k in row)
    marks = ", ".join("?" for _ in row)
    return conn.execute(f"INSERT INTO [{table}] ({cols}) VALUES ({marks})", list(row.values())).lastrowid


def _scalar(v):
    if v is None or isinstance(v, (str, int, float)):
        return v
    return json.dumps(v, ensure_ascii=False)


def ensure_site(db: sqlite_utils.Database, name: str, domain: str | None = None, profile: str | None = None) -> int:
    row = db.execute("SELECT id FROM sites WHERE name = ?", [name]).fetchone()
    if row:
        return row[0]
    with db.conn:
        return _insert(db.conn, "sites", {"name": name, "domain": domain, "profile": profile})


def track(db: sqlite_utils.Database, urls, now: str, site_id: int | None = None) -> int:
    """Start watching URLs (discovery); already tracked URLs are left as they are. Returns how many are new."""
    with db.conn:
        before = db.conn.total_changes
        db.conn.executemany(
            "INSERT OR IGNORE INTO articles (url, site_id, first_seen_at, next_check_at, status, version_count)"
            " VALUES (?, ?, ?, ?, 'active', 0)", [(u, site_id, now, now) for u in urls])
        return db.conn.total_changes - before


def _latest(conn, article_id: int):
    row = conn.execute("SELECT id, n, content_hash, title, text, published_at, updated_at, byline, lang, figures,"
                       " live FROM versions WHERE article_id = ? ORDER BY n DESC LIMIT 1", [article_id]).fetchone()
    if not row:
        return None
    vid, n, h, title, text, pub, upd, byline, lang, figures, live = row
    art = Article.from_dict({"url": "", "title": title, "text": text or "", "published_at": pub,
                             "updated_at": upd, "byline": byline, "lang": lang, "live": bool(live),
                             "figures": json.loads(figures or "[]")})
    return vid, n, h, art


def _write_changes(conn, article_id, from_v, to_v, at, changes, rules, site, alert_at, article=None, url=None) -> None:
    ids = [_insert(conn, "changes", {"article_id": article_id, "from_version": from_v, "to_version": to_v,
                                     "at": at, "kind": c.kind, "field": c.field, "old": _scalar(c.old),
                                     "new": _scalar(c.new), "severity": c.severity,
                                     "detail": json.dumps(c.detail, ensure_ascii=False)}) for c in changes]
    title, text = (article.title, article.text) if article else (None, None)
    for rule, idx in matching(rules, site, changes, url, title, text):
        due = shift(alert_at, rule.digest_seconds) if rule.digest_seconds else alert_at
        targets = [("email", r) for r in rule.to] + ([("webhook", rule.webhook)] if rule.webhook else [])
        for channel, recipient in targets:
            _insert(conn, "alerts", {"rule": rule.id, "recipient": recipient, "channel": channel,
                                     "article_id": article_id, "version_id": to_v,
                                     "change_ids": json.dumps([ids[i] for i in idx]), "created_at": at,
                                     "status": "pending", "attempts": 0, "next_attempt_at": due})


def record_check(db: sqlite_utils.Database, r: CheckResult, *, policy: Policy = DEFAULT_POLICY,
                 rules=(), revisit: Callable[[str, str | None, str, bool], str | None] | None = None) -> Recorded:
    """Write one check. `revisit(first_seen, last_changed, now, changed)` gives the next check time (None: retire)."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        rec = _record(conn, r, policy, rules)
        art = conn.execute("SELECT first_seen_at, last_changed_at FROM articles WHERE id = ?",
                           [rec.article_id]).fetchone()
        updates = {"last_checked_at": r.fetched_at}
        if r.etag is not None or r.last_modified is not None:
            updates.update(etag=r.etag, last_modified=r.last_modified)
        if rec.outcome in ("new", "changed"):
            updates["last_changed_at"] = r.fetched_at
        if revisit and rec.outcome != "removed":
            nxt = revisit(art[0], updates.get("last_changed_at", art[1]), r.fetched_at, rec.outcome == "changed")
            if nxt is not None and r.retry_after:
                nxt = max(nxt, shift(r.fetched_at, r.retry_after))        # the server asked us to wait
            updates["next_check_at"] = nxt
            if nxt is None:
                updates["status"] = "retired"
        if r.final_url and r.final_url != r.url:
            updates["canonical_url"] = r.final_url                       # where redirects now lead
        sets = ", ".join(f"[{k}] = ?" for k in updates)
        conn.execute(f"UPDATE articles SET {sets} WHERE id = ?", [*updates.values(), rec.article_id])
        conn.execute("COMMIT")
        return rec
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _record(conn, r: CheckResult, policy: Policy, rules) -> Recorded:
    conn.execute("INSERT OR IGNORE INTO articles (url, first_seen_at, next_check_at, status, version_count)"
                 " VALUES (?, ?, ?, 'active', 0)", [r.url, r.fetched_at, r.fetched_at])
    article_id, status, site_id = conn.execute("SELECT id, status, site_id FROM articles WHERE url = ?",
                                               [r.url]).fetchone()
    if r.site and site_id is None:
        conn.execute("INSERT OR IGNORE INTO sites (name) VALUES (?)", [r.site])
        conn.execute("UPDATE articles SET site_id = (SELECT id FROM sites WHERE name = ?) WHERE id = ?",
                     [r.site, article_id])
    check = {"article_id": article_id, "at": r.fetched_at, "http_status": r.status, "bytes": r.bytes, "ms": r.ms,
             "final_url": r.final_url if r.final_url and r.final_url != r.url else None}

    if r.status in REMOVED_STATUSES:
        changes: tuple[Change, ...] = ()
        if status != "removed":
            latest = _latest(conn, article_id)
            changes = (removed_change(r.status, policy),)
            _write_changes(conn, article_id, latest[0] if latest else None, None, r.fetched_at, changes, rules,
                           r.site, r.fetched_at, latest[3] if latest else None, r.url)
            conn.execute("UPDATE articles SET status = 'removed', next_check_at = NULL WHERE id = ?", [article_id])
        _insert(conn, "checks", {**check, "outcome": "removed"})
        return Recorded("removed", article_id, None, changes, policy.alerts(changes))
    if r.status == 304:
        _insert(conn, "checks", {**check, "outcome": "not_modified"})
        return Recorded("not_modified", article_id)
    if r.error or r.article is None:
        _insert(conn, "checks", {**check, "outcome": "error", "error": r.error or "no article extracted"})
        return Recorded("error", article_id)

    a = r.article
    h = version_hash(a)
    latest = _latest(conn, article_id)
    if status == "removed":
        conn.execute("UPDATE articles SET status = 'active' WHERE id = ?", [article_id])
    if latest and latest[2] == h:
        _insert(conn, "checks", {**check, "outcome": "unchanged", "version_id": latest[0]})
        return Recorded("unchanged", article_id, latest[1])

    comparison = compare(latest[3] if latest else None, a, policy)
    n = latest[1] + 1 if latest else 1
    vid = _insert(conn, "versions", {
        "article_id": article_id, "n": n, "fetched_at": r.fetched_at, "content_hash": h, "title": a.title,
        "byline": a.byline, "published_at": a.published_at, "updated_at": a.updated_at, "lang": a.lang,
        "text": a.text, "figures": json.dumps([f.to_dict() for f in a.figures], ensure_ascii=False),
        "summary": summarize(comparison.changes, "en") if latest else None,
        "summary_ar": summarize(comparison.changes, "ar") if latest else None, "live": int(a.live),
        "raw_html": zlib.compress(r.html) if r.html else None})
    index_version(conn, vid, a.title, a.text)
    if latest:
        _write_changes(conn, article_id, latest[0], vid, r.fetched_at, comparison.changes, rules, r.site,
                       r.fetched_at, a, r.url)
    conn.execute("UPDATE articles SET version_count = ? WHERE id = ?", [n, article_id])
    _insert(conn, "checks", {**check, "outcome": "changed" if latest else "new", "version_id": vid})
    return Recorded("changed" if latest else "new", article_id, n, comparison.changes, comparison.alert)


def record_cycle(db: sqlite_utils.Database, kind: str, started_at: str, finished_at: str, seconds: float,
                 counts: dict) -> int:
    """One row per daemon cycle, for `marsad status` and the log."""
    cols = ("discovered", "checked", "new", "changed", "unchanged", "not_modified", "removed", "errors")
    with db.conn:
        return _insert(db.conn, "cycles", {"kind": kind, "started_at": started_at, "finished_at": finished_at,
                                            "seconds": round(seconds, 3), **{c: counts.get(c, 0) for c in cols}})


def prune_checks(db: sqlite_utils.Database, before: str) -> int:
    """Retention: drop the checks that found nothing (unchanged, 304) older than `before`; versions,
    changes and the checks that made them are kept for ever."""
    with db.conn:
        return db.conn.execute("DELETE FROM checks WHERE at < ? AND outcome IN ('unchanged', 'not_modified')",
                               [before]).rowcount
