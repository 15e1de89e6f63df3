"""The alert outbox: the rows `record_check()` queued, and their life until sent or given up.

pending -> sending (Message-ID fixed, attempts + 1, committed before the SMTP conversation starts)
        -> sent (only after the server accepted the message)
        -> pending again with a later next_attempt_at (temporary failure: 4xx, refused, timeout)
        -> failed (permanent 5xx, or too many attempts; the last error is kept)
A row left in `sending` by a crash is sent again with the same Message-ID (at-least-once delivery).
"""
from __future__ import annotations

import json
import sqlite_utils

from detector import Change

from .times import shift

BACKOFF = [60, 300, 900, 3600, 7200, 21600]      # seconds before attempt 2, 3, ...; then the last value


def due_alerts(db: sqlite_utils.Database, now: str) -> list[dict]:
    return list(db.query("SELECT * FROM alerts WHERE status IN ('pending', 'sending') AND next_attempt_at <= ?"
                         " ORDER BY id", [now]))


def pending_alerts(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query(
        "SELECT al.id, al.status, al.channel, al.recipient, al.rule, al.created_at, al.next_attempt_at, al.attempts,"
        " al.last_error, a.url, v.title FROM alerts al JOIN articles a ON a.id = al.article_id"
        " LEFT JOIN versions v ON v.id = al.version_id WHERE al.status IN ('pending', 'sending', 'failed')"
        " ORDER BY al.id"))


def _value(v):
    if isinstance(v, str) and v.isdigit():
        return int(v)
    return v


def alert_items(db: sqlite_utils.Database, rows: list[dict]) -> list[dict]:
    """Per (article, version), what a message needs: site, URL, headline old/new, language, the changes."""
    items: dict[tuple, dict] = {}
    for row in rows:
        key = (row["article_id"], row["version_id"])
        if key not in items:
            art = db.execute("SELECT a.url, s.name FROM articles a LEFT JOIN sites s ON s.id = a.site_id"
                             " WHERE a.id = ?", [row["article_id"]]).fetchone()
            ver = db.execute("SELECT n, title, lang, fetched_at FROM versions WHERE id = ?",
                             [row["version_id"]]).fetchone() if row["version_id"] else None
            prev = db.execute("SELECT title, lang FROM versions WHERE article_id = ? AND n < ? ORDER BY n DESC"
                              " LIMIT 1", [row["article_id"], ver[0] if ver else 1 << 30]).fetchone()
            items[key] = {"alert_ids": [], "change_ids": [], "article_id": row["article_id"],
                          "version_id": row["version_id"], "url": art[0], "site": art[1],
                          "version": ver[0] if ver else None, "title": ver[1] if ver else (prev[0] if prev else None),
                          "old_title": prev[0] if prev else None,
                          "lang": ver[2] if ver else (prev[1] if prev else None),
                          "at": row["created_at"]}
        item = items[key]
        item["alert_ids"].append(row["id"])
        for cid in json.loads(row["change_ids"] or "[]"):
            if cid not in item["change_ids"]:
                item["change_ids"].append(cid)
    for item in items.values():
        if item["version_id"]:      # the whole version, not only what the rule matched: the stamp gives context
            rows_ = db.query("SELECT * FROM changes WHERE to_version = ? ORDER BY id", [item["version_id"]])
        else:
            rows_ = db.query("SELECT * FROM changes WHERE id IN (%s) ORDER BY id"
                             % ",".join("?" * len(item["change_ids"])), item["change_ids"])
        item["changes"] = [Change(c["kind"], c["field"], _value(c["old"]), _value(c["new"]), c["severity"],
                                  json.loads(c["detail"] or "{}")) for c in rows_]
    return list(items.values())


def mark_sending(db: sqlite_utils.Database, ids: list[int], message_id: str) -> None:
    with db.conn:
        db.conn.executemany("UPDATE alerts SET status = 'sending', message_id = ?, attempts = attempts + 1"
                            " WHERE id = ?", [(message_id, i) for i in ids])


def mark_sent(db: sqlite_utils.Database, ids: list[int], now: str) -> None:
    with db.conn:
        db.conn.executemany("UPDATE alerts SET status = 'sent', sent_at = ?, last_error = NULL WHERE id = ?",
                            [(now, i) for i in ids])


def mark_retry(db: sqlite_utils.Database, ids: list[int], now: str, error: str, max_attempts: int) -> str:
    """A temporary failure: try again later, or give up after max_attempts. Returns the new status."""
    status = "pending"
    with db.conn:
        for i in ids:
            attempts = db.conn.execute("SELECT attempts FROM alerts WHERE id = ?", [i]).fetchone()[0]
            if attempts >= max_attempts:
                status = "failed"
                db.conn.execute("UPDATE alerts SET status = 'failed', last_error = ? WHERE id = ?",
                                [f"gave up after {attempts} attempts: {error}", i])
            else:
                wait = BACKOFF[min(attempts - 1, len(BACKOFF) - 1)]
                db.conn.execute("UPDATE alerts SET status = 'pending', last_error = ?, next_attempt_at = ?"
                                " WHERE id = ?", [error, shift(now, wait), i])
    return status


def mark_failed(db: sqlite_utils.Database, ids: list[int], error: str) -> None:
    with db.conn:
        db.conn.executemany("UPDATE alerts SET status = 'failed', last_error = ? WHERE id = ?",
                            [(error, i) for i in ids])


def sent_since(db: sqlite_utils.Database, channel: str, recipient: str, since: str) -> int:
    """Messages (distinct Message-IDs) sent to a recipient since a time: the per-recipient rate limit."""
    return db.execute("SELECT count(DISTINCT message_id) FROM alerts WHERE channel = ? AND recipient = ?"
                      " AND status = 'sent' AND sent_at >= ?", [channel, recipient, since]).fetchone()[0]


def feed_entries(db: sqlite_utils.Database, limit: int = 50) -> list[dict]:
    """The latest changed versions and take-downs, newest first, with their changes (for `marsad feed`)."""
    heads = list(db.query(
        "SELECT c.article_id, c.to_version, max(c.at) AS at, min(c.id) AS first_id FROM changes c"
        " GROUP BY c.article_id, coalesce(c.to_version, -c.id) ORDER BY at DESC, first_id DESC LIMIT ?", [limit]))
    out = []
    for h in heads:
        rows = [{"id": h["first_id"], "article_id": h["article_id"], "version_id": h["to_version"],
                 "created_at": h["at"], "change_ids": json.dumps([h["first_id"]])}]
        item = alert_items(db, rows)[0]
        out.append({"id": f"{'version' if h['to_version'] else 'change'}:{h['to_version'] or h['first_id']}",
                    "url": item["url"], "site": item["site"], "title": item["title"], "at": h["at"],
                    "lang": item["lang"], "changes": item["changes"]})
    return out
