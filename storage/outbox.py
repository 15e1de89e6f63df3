"""The alert outbox: the rows `record_check()` queued, and their life until sent or given up.

pending -> sending: CLAIMED in one `BEGIN IMMEDIATE` transaction (Message-ID fixed, attempts + 1, lease_owner
           = the sender, lease_until = now + lease), committed before any conversation with a server.
           Only one sender at a time can claim, and a row another sender holds under a live lease is not
           due, so two senders (the daemon and `marsad alerts send`, or two of either) never send one
           alert twice.
        -> sent (only after the server accepted the message; only by the lease's owner)
        -> pending again with a later next_attempt_at (temporary failure: 4xx, refused, timeout)
        -> failed (permanent 5xx, or too many attempts; the last error is kept)
        -> pending as it was, attempts given back (released: the sender could not even log in, or stopped
           before trying this row)
A row left in `sending` by a crash (its lease expired, or released without an owner) is sent again with the
same Message-ID: at-least-once delivery, and mail clients drop the second copy of a Message-ID.
"""
from __future__ import annotations

import json
import os
import secrets
import socket
from contextlib import contextmanager

import sqlite_utils

from detector import DEFAULT_POLICY, Article, Change, Policy, compare, severity_rank

from .times import shift

BACKOFF = [60, 300, 900, 3600, 7200, 21600]      # seconds before attempt 2, 3, ...; then the last value

# Due: pending and its time has come, or `sending` with no live lease (its sender crashed or let it go).
_DUE = ("(status = 'pending' AND next_attempt_at <= :now)"
        " OR (status = 'sending' AND (lease_until IS NULL OR lease_until <= :now))")
_MINE = "lease_owner = :owner AND status = 'sending'"


def new_owner() -> str:
    """A sender's identity for its leases: host:pid:random (two senders in one process differ too)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


@contextmanager
def immediate(db: sqlite_utils.Database):
    """One write transaction taken at BEGIN (IMMEDIATE), so what is read inside cannot be claimed by another
    sender before it is updated. Commits on success, rolls back on any exception."""
    conn = db.conn
    if conn.in_transaction:
        conn.commit()
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.rollback()
        raise
    conn.commit()


# The most severe change an alert row covers (for a digest rule's `urgent`), ranked as detector.SEVERITIES.
_ROW_SEVERITY = ("(SELECT CASE max(CASE c.severity WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1"
                 " ELSE 0 END) WHEN 3 THEN 'high' WHEN 2 THEN 'medium' WHEN 1 THEN 'low' ELSE 'none' END"
                 " FROM changes c WHERE c.id IN (SELECT value FROM json_each(alerts.change_ids)))")


def due_alerts(db: sqlite_utils.Database, now: str) -> list[dict]:
    """Rows whose time has come, each with `severity`, the most severe change it covers."""
    return list(db.query(f"SELECT *, {_ROW_SEVERITY} AS severity FROM alerts WHERE {_DUE} ORDER BY id",
                         {"now": now}))


def pending_alerts(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query(
        "SELECT al.id, al.status, al.channel, al.recipient, al.rule, al.created_at, al.next_attempt_at, al.attempts,"
        " al.last_error, al.lease_owner, al.lease_until, a.url, v.title"
        " FROM alerts al JOIN articles a ON a.id = al.article_id"
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
                          "at": row["created_at"], "from_n": _from_n(db, row["version_id"]), "rules": []}
            if not ver:                 # a take-down or failing fetches: the last text marsad holds
                items[key].update(_last_text(db, row["article_id"]))
        item = items[key]
        item["alert_ids"].append(row["id"])
        if row.get("rule") and row["rule"] not in item["rules"]:
            item["rules"].append(row["rule"])
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


def _from_n(db: sqlite_utils.Database, version_id: int | None) -> int | None:
    """The number of the version a version was compared with (None: the first, or no version)."""
    if not version_id:
        return None
    row = db.execute("SELECT v.n FROM changes c JOIN versions v ON v.id = c.from_version WHERE c.to_version = ?"
                     " LIMIT 1", [version_id]).fetchone()
    return row[0] if row else None


def _last_text(db: sqlite_utils.Database, article_id: int) -> dict:
    row = db.execute("SELECT n, text, fetched_at FROM versions WHERE article_id = ? ORDER BY n DESC LIMIT 1",
                     [article_id]).fetchone()
    return {"last_n": row[0], "last_text": row[1] or "", "last_at": row[2]} if row else {}


def _article(db: sqlite_utils.Database, article_id: int, n: int) -> tuple[int, Article] | None:
    """(version id, the version as a detector Article), for comparing two stored versions."""
    row = db.execute("SELECT id, title, text, published_at, updated_at, byline, lang, figures, live FROM versions"
                     " WHERE article_id = ? AND n = ?", [article_id, n]).fetchone()
    if not row:
        return None
    vid, title, text, pub, upd, byline, lang, figures, live = row
    return vid, Article.from_dict({"url": "", "title": title, "text": text or "", "published_at": pub,
                                   "updated_at": upd, "byline": byline, "lang": lang, "live": bool(live),
                                   "figures": json.loads(figures or "[]")})


def _figure_paths(db: sqlite_utils.Database, article_id: int, after_n: int, upto_n: int) -> dict[str, list]:
    """Per measure, the values it took from version `after_n` to `upto_n`: {"killed": [12, 19, 23]}."""
    paths: dict[str, list] = {}
    for field_, old, new in db.execute(
            "SELECT c.field, c.old, c.new FROM changes c JOIN versions v ON v.id = c.to_version"
            " WHERE c.article_id = ? AND c.kind = 'figure_changed' AND v.n > ? AND v.n <= ? ORDER BY v.n, c.id",
            [article_id, after_n, upto_n]):
        path = paths.setdefault(field_, [_value(old)])
        if path[-1] != _value(new):
            path.append(_value(new))
    return {k: v for k, v in paths.items() if len(v) > 2}


def item_severity(changes) -> str:
    shown = [c.severity for c in changes if not c.detail.get("explained_by")] or ["none"]
    return max(shown, key=severity_rank)


def digest_items(db: sqlite_utils.Database, rows: list[dict], policy: Policy = DEFAULT_POLICY) -> list[dict]:
    """One item per article for a digest: the story as it stands now, not each revision as it was.

    The changes are those between the version before the first revision in the rows and the article's
    latest version (compared again, so a headline edited twice reads old → now, and a sentence added then
    edited is one added sentence); each figure that moved more than once keeps its path ("12 → 19 → 23",
    in the change's detail). A take-down (or failing fetches) is its own item with the last text held."""
    per_article: dict[int, list[dict]] = {}
    for r in rows:
        per_article.setdefault(r["article_id"], []).append(r)
    out = []
    for article_id, rs in per_article.items():
        singles = alert_items(db, rs)
        revisions = [it for it in singles if it["version_id"]]
        for it in singles:
            if not it["version_id"]:
                it["severity"] = item_severity(it["changes"])
                out.append(it)
        if not revisions:
            continue
        head = db.execute("SELECT n, title, lang, fetched_at FROM versions WHERE article_id = ? ORDER BY n DESC"
                          " LIMIT 1", [article_id]).fetchone()
        first = min(revisions, key=lambda it: it["version"])
        base_n, latest_n = first["from_n"], head[0]
        item = {**first, "alert_ids": [i for it in revisions for i in it["alert_ids"]],
                "change_ids": [i for it in revisions for i in it["change_ids"]],
                "rules": list(dict.fromkeys(r for it in revisions for r in it["rules"])),
                "version": latest_n, "title": head[1], "lang": head[2] or first["lang"],
                "at": max(it["at"] for it in revisions), "latest_at": head[3],
                "revisions": sorted(it["version"] for it in revisions)}
        old = _article(db, article_id, base_n) if base_n else None
        new = _article(db, article_id, latest_n)
        item["old_title"] = old[1].title if old else first["old_title"]
        changes = list(compare(old[1], new[1], policy).changes) if old and new else []
        stored = [c for it in revisions for c in it["changes"]]
        if severity_rank(item_severity(changes)) < severity_rank(item_severity(stored)):
            changes = stored            # changed, then changed back: say what happened on the way
        else:
            paths = _figure_paths(db, article_id, base_n, latest_n)
            changes = [Change(c.kind, c.field, c.old, c.new, c.severity, {**c.detail, "path": paths[c.field]})
                       if c.kind == "figure_changed" and c.field in paths else c for c in changes]
        item["changes"] = changes
        item["severity"] = item_severity(changes)
        out.append(item)
    return out


def claim(db: sqlite_utils.Database, ids: list[int], message_id: str, owner: str, lease_until: str) -> None:
    """Inside `immediate()`: these rows are this sender's until lease_until, as one message."""
    db.conn.executemany("UPDATE alerts SET status = 'sending', message_id = ?, attempts = attempts + 1,"
                        " lease_owner = ?, lease_until = ? WHERE id = ?",
                        [(message_id, owner, lease_until, i) for i in ids])


def renew(db: sqlite_utils.Database, ids: list[int], owner: str, lease_until: str) -> bool:
    """Extend the lease right before sending; False if any row is no longer this sender's (its lease ran
    out and another sender took it), and then the message must not be sent."""
    with db.conn:
        n = db.conn.execute(f"UPDATE alerts SET lease_until = :until WHERE id IN ({','.join(map(str, map(int, ids)))})"
                            f" AND {_MINE}", {"until": lease_until, "owner": owner}).rowcount
    return n == len(ids)


def _where_mine(owner: str | None) -> str:
    return f" AND {_MINE}" if owner else ""


def mark_sent(db: sqlite_utils.Database, ids: list[int], now: str, owner: str | None = None) -> None:
    with db.conn:
        db.conn.executemany("UPDATE alerts SET status = 'sent', sent_at = :now, last_error = NULL, lease_owner = NULL,"
                            f" lease_until = NULL WHERE id = :id{_where_mine(owner)}",
                            [{"now": now, "id": i, "owner": owner} for i in ids])


def mark_retry(db: sqlite_utils.Database, ids: list[int], now: str, error: str, max_attempts: int,
               owner: str | None = None) -> str:
    """A temporary failure: try again later, or give up after max_attempts. Returns the new status."""
    status = "pending"
    with db.conn:
        for i in ids:
            row = db.conn.execute(f"SELECT attempts FROM alerts WHERE id = :id{_where_mine(owner)}",
                                  {"id": i, "owner": owner}).fetchone()
            if row is None:
                continue                                  # no longer this sender's
            attempts = row[0]
            if attempts >= max_attempts:
                status = "failed"
                db.conn.execute("UPDATE alerts SET status = 'failed', last_error = ?, lease_owner = NULL,"
                                " lease_until = NULL WHERE id = ?", [f"gave up after {attempts} attempts: {error}", i])
            else:
                wait = BACKOFF[min(attempts - 1, len(BACKOFF) - 1)]
                db.conn.execute("UPDATE alerts SET status = 'pending', last_error = ?, next_attempt_at = ?,"
                                " lease_owner = NULL, lease_until = NULL WHERE id = ?", [error, shift(now, wait), i])
    return status


def mark_failed(db: sqlite_utils.Database, ids: list[int], error: str, owner: str | None = None) -> None:
    with db.conn:
        db.conn.executemany("UPDATE alerts SET status = 'failed', last_error = :error, lease_owner = NULL,"
                            f" lease_until = NULL WHERE id = :id{_where_mine(owner)}",
                            [{"error": error, "id": i, "owner": owner} for i in ids])


def release(db: sqlite_utils.Database, rows: list[dict], owner: str) -> None:
    """Give claimed rows back untried: the status they had before the claim (`rows` as claimed), the attempt
    not counted, no lease (a row that was `sending` stays due at once, with its Message-ID)."""
    with db.conn:
        db.conn.executemany("UPDATE alerts SET status = :was, attempts = max(attempts - 1, 0), lease_owner = NULL,"
                            f" lease_until = NULL WHERE id = :id AND {_MINE}",
                            [{"was": r["status"], "id": r["id"], "owner": owner} for r in rows])


def abandon(db: sqlite_utils.Database, ids: list[int], owner: str) -> None:
    """The sender stops while a message is in flight (it may have arrived): drop the lease, keep `sending`
    and the Message-ID, so the next sender resends it at once and a mail client sees a duplicate, not a loss."""
    with db.conn:
        db.conn.executemany(f"UPDATE alerts SET lease_owner = NULL, lease_until = NULL WHERE id = :id AND {_MINE}",
                            [{"id": i, "owner": owner} for i in ids])


def sent_since(db: sqlite_utils.Database, channel: str, recipient: str, since: str, now: str | None = None) -> int:
    """Messages (distinct Message-IDs) sent to a recipient since a time: the per-recipient rate limit. With
    `now`, also those another sender is sending under a live lease."""
    in_flight = " OR (status = 'sending' AND lease_until > :now)" if now else ""
    return db.execute("SELECT count(DISTINCT message_id) FROM alerts"
                      " WHERE channel = :channel AND recipient = :recipient"
                      f" AND ((status = 'sent' AND sent_at >= :since){in_flight})",
                      {"channel": channel, "recipient": recipient, "since": since, "now": now}).fetchone()[0]


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
