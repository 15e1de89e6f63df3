"""The writes of a check, all in one transaction: the check, and where the content changed the new
version, its changes and the alert rows for the rules that match; also what the fetch taught about the
article (its raw body hash, its run of errors) and its host (failures, back-off). A failure anywhere
rolls all of it back.

`record_batch` writes many checks in one transaction (the daemon's writer thread: one COMMIT per batch,
not per page); `record_check` is the batch of one. Where the crawler's CPU step already analysed the
body (`Fetch.analysis`), nothing is parsed or compared here: the writer only writes.

Plain SQL on the connection, inside one BEGIN IMMEDIATE ... COMMIT that this module opens and closes.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace
from typing import Callable
from urllib.parse import urlsplit

import sqlite_utils

from alerts.rules import matching

from .blobs import pack
from .search import index_version
from .times import shift
from detector.models import Analysis, Fetch
from detector import DEFAULT_POLICY, Article, Change, Policy, compare, removed_change, summarize, version_hash
from detector.headline_tests import HEADLINE_TEST_WINDOW, annotate as headline_tests
from detector.takedown import body_vanished, redirect_kind, takedown_change

REMOVED_STATUSES = (404, 410)
MAX_RETRY_AFTER = 86400               # a server's Retry-After is honoured up to a day, never for centuries
HOST_BACKOFF_BASE = 60                # seconds; doubles with each consecutive failure of a host
HOST_BACKOFF_MAX = 6 * 3600
HOST_OK_EVERY = 60                    # a healthy host's last_ok_at is refreshed at most once a minute
FETCHABLE_SCHEMES = ("http", "https")


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


def fetchable_scheme(url: str) -> bool:
    """Only http(s) URLs are ever tracked: a `javascript:`, `mailto:` or `file:` link is not an article."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in FETCHABLE_SCHEMES and bool(parts.hostname)


def track(db: sqlite_utils.Database, urls, now: str, site_id: int | None = None, *, source: str | None = None,
          rules=(), policy: Policy | None = None) -> int:
    """Start watching URLs (discovery); already tracked URLs are left as they are, URLs that are not
    http(s) are never tracked. With `source` (the feed, sitemap or section page that listed them, in its
    order) the listing is remembered and an article that dropped out of it is recorded (_listed).
    Returns how many are new."""
    rows = [(u, site_id, now, now) for u in urls if fetchable_scheme(u)]
    with db.conn:
        before = db.conn.total_changes
        db.conn.executemany(
            "INSERT OR IGNORE INTO articles (url, site_id, first_seen_at, next_check_at, status, version_count)"
            " VALUES (?, ?, ?, ?, 'active', 0)", rows)
        added = db.conn.total_changes - before
        if source:
            _listed(db.conn, source, [r[0] for r in rows], now, rules, policy or DEFAULT_POLICY)
        return added


LISTING_CHUNK = 500                   # URLs looked up per query (SQLite's bound-parameter limit is 999+)


def _listed(conn, source: str, urls: list[str], now: str, rules, policy: Policy) -> None:
    """What `source` lists now, against what it listed last time. A feed or sitemap sheds its oldest
    entries as news comes in (they fall off one end); an article that is gone while entries listed on
    both sides of it remain was taken out of the listing. Each such article that is still served (active,
    its last check good, a version held) gets a `removed` change of kind feed_dropout, once."""
    ids: dict[str, int] = {}
    for i in range(0, len(urls), LISTING_CHUNK):
        chunk = urls[i:i + LISTING_CHUNK]
        ids.update(conn.execute(f"SELECT url, id FROM articles WHERE url IN ({','.join('?' * len(chunk))})",
                                chunk).fetchall())
    now_pos = {}
    for pos, url in enumerate(urls):
        if url in ids:
            now_pos.setdefault(ids[url], pos)
    rows = {aid: (pos, listed) for aid, pos, listed in conn.execute(
        "SELECT article_id, position, listed FROM listings WHERE source = ?", [source])}
    before = {aid: pos for aid, (pos, listed) in rows.items() if listed}
    kept = [p for aid, p in before.items() if aid in now_pos]
    gone = [aid for aid in before if aid not in now_pos]
    if kept and gone:
        low, high = min(kept), max(kept)
        for aid in gone:
            if low < before[aid] < high:
                _dropped_out(conn, aid, source, before[aid], now, rules, policy)
    conn.executemany("UPDATE listings SET listed = 0, dropped_at = ? WHERE source = ? AND article_id = ?",
                     [(now, source, aid) for aid in gone])
    # Only what moved is written: a sitemap of 50,000 entries that did not change costs one read.
    conn.executemany("INSERT INTO listings (source, article_id, position, listed, first_listed_at) VALUES (?, ?, ?, 1, ?)"
                     " ON CONFLICT(source, article_id) DO UPDATE SET position = excluded.position, listed = 1,"
                     " dropped_at = NULL",
                     [(source, aid, pos, now) for aid, pos in now_pos.items() if rows.get(aid) != (pos, 1)])


def _dropped_out(conn, article_id: int, source: str, position: int, now: str, rules, policy: Policy) -> None:
    row = conn.execute("SELECT a.url, a.status, a.error_streak, s.name FROM articles a LEFT JOIN sites s"
                       " ON s.id = a.site_id WHERE a.id = ?", [article_id]).fetchone()
    latest = _latest(conn, article_id)
    if row is None or latest is None or row[1] != "active" or (row[2] or 0) > 0:
        return                       # not (yet, or any more) served: a take-down of its own kind, or nothing
    change = takedown_change("feed_dropout", None, policy, listing=source, position=position,
                             last_good_version=latest[1])
    _write_changes(conn, article_id, latest[0], None, now, (change,), rules, row[3], now, latest[3], row[0])


def _head(conn, article_id: int):
    """(id, n, content_hash) of the last version: all an unchanged check needs (no text loaded)."""
    return conn.execute("SELECT id, n, content_hash FROM versions WHERE article_id = ? ORDER BY n DESC LIMIT 1",
                        [article_id]).fetchone()


def _latest(conn, article_id: int):
    row = conn.execute("SELECT id, n, content_hash, title, text, published_at, updated_at, byline, lang, figures,"
                       " live, updated_precision_s FROM versions WHERE article_id = ? ORDER BY n DESC LIMIT 1",
                       [article_id]).fetchone()
    if not row:
        return None
    vid, n, h, title, text, pub, upd, byline, lang, figures, live, precision = row
    art = Article.from_dict({"url": "", "title": title, "text": text or "", "published_at": pub,
                             "updated_at": upd, "byline": byline, "lang": lang, "live": bool(live),
                             "figures": json.loads(figures or "[]"), "updated_precision_s": precision})
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
    return record_batch(db, [r], policy=policy, rules=rules, revisit=revisit)[0]


def record_batch(db: sqlite_utils.Database, fetches, *, policy: Policy = DEFAULT_POLICY, rules=(),
                 revisit: Callable[[str, str | None, str, bool], str | None] | None = None,
                 backoff_max: float = HOST_BACKOFF_MAX, before_commit: Callable | None = None) -> list[Recorded]:
    """Write many checks in one transaction: all of them, or (on any error) none. `before_commit(conn)`
    writes more in the same transaction (the writer's idempotency keys, storage/writer.py)."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        out = [_write(conn, r, policy, rules, revisit, backoff_max) for r in fetches]
        if before_commit is not None:
            before_commit(conn)
        conn.execute("COMMIT")
        return out
    except BaseException:
        if conn.in_transaction:          # SQLite has already rolled back after some errors (a full disk)
            conn.execute("ROLLBACK")
        raise


def _write(conn, r: CheckResult, policy: Policy, rules, revisit, backoff_max: float) -> Recorded:
    rec = _record(conn, r, policy, rules)
    if r.analysis is not None and r.analysis.noindex is not None and rec.outcome in ("new", "changed", "unchanged"):
        _noindex(conn, r, rec, policy, rules)
    first_seen, last_changed, streak = conn.execute(
        "SELECT first_seen_at, last_changed_at, error_streak FROM articles WHERE id = ?", [rec.article_id]).fetchone()
    updates: dict = {"last_checked_at": r.fetched_at}
    responded = r.status is not None and r.status != 304
    if rec.outcome == "error":
        reason = r.error or (r.analysis.reason if r.analysis is not None else None) or "error"
        updates.update(error_streak=(streak or 0) + 1, last_error=reason[:500])
        _failing_alert(conn, rec.article_id, updates["error_streak"], reason, r, rules)
        if responded:               # what the last response sent replaces the validators of a good one:
            updates.update(etag=r.etag, last_modified=r.last_modified)    # a healed page is fetched whole
    else:
        updates.update(error_streak=0, last_error=None)
        if r.etag is not None or r.last_modified is not None or responded:
            updates.update(etag=r.etag, last_modified=r.last_modified)
        if r.raw_hash and rec.outcome in ("new", "changed", "unchanged"):
            updates["raw_hash"] = r.raw_hash
        if r.analysis is not None and r.analysis.fingerprint and rec.outcome in ("new", "changed", "unchanged"):
            updates["fingerprint"] = r.analysis.fingerprint
    if rec.outcome in ("new", "changed"):
        updates["last_changed_at"] = r.fetched_at
    backoff_until = _host_health(conn, r, backoff_max)
    if not fetchable_scheme(r.url):
        updates.update(status="retired", next_check_at=None)          # never fetchable: never due again
    elif revisit and rec.outcome != "removed":
        nxt = revisit(first_seen, updates.get("last_changed_at", last_changed), r.fetched_at,
                      rec.outcome == "changed")
        if nxt is not None and r.retry_after:
            nxt = max(nxt, shift(r.fetched_at, min(max(r.retry_after, 0), MAX_RETRY_AFTER)))   # asked to wait
        if nxt is not None and backoff_until:
            nxt = max(nxt, backoff_until)                               # the host is failing: back off
        updates["next_check_at"] = nxt
        if nxt is None:
            updates["status"] = "retired"
    if r.final_url and r.final_url != r.url:
        updates["canonical_url"] = r.final_url                           # where redirects now lead
    sets = ", ".join(f"[{k}] = ?" for k in updates)
    conn.execute(f"UPDATE articles SET {sets} WHERE id = ?", [*updates.values(), rec.article_id])
    return rec


def _noindex(conn, r: CheckResult, rec: Recorded, policy: Policy, rules) -> None:
    """Remember where the page asked not to be indexed; a `noindex` that appears on an article marsad
    already holds a version of is take-down evidence (a `removed` change of kind noindex), recorded once."""
    before = conn.execute("SELECT noindex FROM articles WHERE id = ?", [rec.article_id]).fetchone()[0]
    now = r.analysis.noindex
    if before == now:
        return
    conn.execute("UPDATE articles SET noindex = ? WHERE id = ?", [now, rec.article_id])
    if now and before == "" and rec.outcome != "new":
        latest = _latest(conn, rec.article_id)
        change = takedown_change("noindex", r.status, policy, source=now, last_good_version=latest[1])
        _write_changes(conn, rec.article_id, latest[0], None, r.fetched_at, (change,), rules, r.site, r.fetched_at,
                       latest[3], r.url)
        rec.changes = (*rec.changes, change)
        rec.alert = rec.alert or policy.alerts((change,))


def _failing_alert(conn, article_id: int, streak: int, reason: str, r: CheckResult, rules) -> None:
    """A rule with `error_streak = N` is told once, when an article's Nth check in a row fails."""
    if not any(getattr(rule, "error_streak", 0) == streak for rule in rules):
        return
    latest = _latest(conn, article_id)
    change = Change("fetch_failing", "url", None, streak, "high", {"error": reason[:300], "streak": streak})
    _write_changes(conn, article_id, latest[0] if latest else None, None, r.fetched_at, (change,), rules, r.site,
                   r.fetched_at, latest[3] if latest else None, r.url)


def host_of(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def _host_failed(r: CheckResult) -> bool:
    """The host, not the page, is at fault: no answer at all (timeout, refused, reset, DNS) or 5xx/429."""
    if r.status is None:
        return bool(r.error) and not r.error.startswith(("IgnoreRequest", "refused", "not an http"))
    return r.status >= 500 or r.status == 429


def _host_health(conn, r: CheckResult, backoff_max: float) -> str | None:
    """Count a host's consecutive failures; back off exponentially (capped). Returns the back-off end."""
    host = host_of(r.url)
    if not host:
        return None
    if _host_failed(r):
        row = conn.execute("SELECT failures FROM hosts WHERE host = ?", [host]).fetchone()
        failures = (row[0] if row else 0) + 1
        until = shift(r.fetched_at, min(HOST_BACKOFF_BASE * 2 ** (failures - 1), backoff_max))
        conn.execute("INSERT INTO hosts (host, failures, last_error, last_error_at, backoff_until) VALUES (?, ?, ?, ?, ?)"
                     " ON CONFLICT(host) DO UPDATE SET failures = excluded.failures, last_error = excluded.last_error,"
                     " last_error_at = excluded.last_error_at, backoff_until = excluded.backoff_until",
                     [host, failures, (r.error or f"HTTP {r.status}")[:300], r.fetched_at, until])
        return until
    if r.status is not None:
        row = conn.execute("SELECT failures, last_ok_at FROM hosts WHERE host = ?", [host]).fetchone()
        if row is None or row[0] or (row[1] or "") < shift(r.fetched_at, -HOST_OK_EVERY):   # a read, mostly
            conn.execute("INSERT INTO hosts (host, failures, last_ok_at) VALUES (?, 0, ?) ON CONFLICT(host) DO UPDATE"
                         " SET failures = 0, backoff_until = NULL, last_ok_at = excluded.last_ok_at",
                         [host, r.fetched_at])
    return None


SOFT_404 = "not found page"          # crawler/validity.py's reason for a 200 page that says it is not found


def _soft_404_since(conn, article_id: int) -> str | None:
    """When the article's last check was already a soft 404 (its time), else None. One "not found" page
    is an error check (a CMS glitch heals: tests/test_faults.py); the second in a row (or a 304 to it:
    the server says it is still that page) is a take-down."""
    last_error = conn.execute("SELECT last_error FROM articles WHERE id = ?", [article_id]).fetchone()[0]
    if not (last_error or "").startswith(SOFT_404):       # (a good check clears last_error)
        return None
    row = conn.execute("SELECT max(at) FROM checks WHERE article_id = ? AND outcome = 'error'", [article_id]).fetchone()
    return row[0] if row and row[0] else None


def _soft_404(conn, article_id: int, status: int | None, reason: str | None, policy: Policy) -> Change | None:
    since = _soft_404_since(conn, article_id)
    if since is None:
        return None
    reason = reason or conn.execute("SELECT last_error FROM articles WHERE id = ?", [article_id]).fetchone()[0]
    return takedown_change("soft_404", status, policy, since=since, phrase=reason[len(SOFT_404):].strip(" :"))


def _taken_down(conn, r: CheckResult, article_id: int, status: str, change: Change, check: dict, policy: Policy,
                rules) -> Recorded:
    """A take-down (detector/takedown.py): the `removed` change once, from the last good version (which
    the mail and the pages link to), and the article is no longer checked; later checks record only
    `removed` checks."""
    changes: tuple[Change, ...] = ()
    if status != "removed":
        latest = _latest(conn, article_id)
        if latest:
            change = replace(change, detail={**change.detail, "last_good_version": latest[1]})
        changes = (change,)
        _write_changes(conn, article_id, latest[0] if latest else None, None, r.fetched_at, changes, rules,
                       r.site, r.fetched_at, latest[3] if latest else None, r.url)
        conn.execute("UPDATE articles SET status = 'removed', next_check_at = NULL WHERE id = ?", [article_id])
    _insert(conn, "checks", {**check, "outcome": "removed"})
    return Recorded("removed", article_id, None, changes, policy.alerts(changes))


def _evidence(conn, article_id: int, at: str, latest, article: Article, changes, policy: Policy):
    """The changes of a new version with what only the stored history shows: a headline that alternates
    (detector/headline_tests.py, given the recent headlines) and a text that gave way to a notice
    (detector/takedown.body_vanished). Returns (changes, take-down change or None)."""
    if any(c.kind == "title_changed" for c in changes):
        history = conn.execute("SELECT fetched_at, title FROM versions WHERE article_id = ? AND fetched_at >= ?"
                               " ORDER BY n", [article_id, shift(at, -HEADLINE_TEST_WINDOW)]).fetchall()
        changes = tuple(headline_tests(changes, [*history, (at, article.title)]))
    previous_chars = conn.execute("SELECT length(text) FROM versions WHERE id = ?", [latest[0]]).fetchone()[0] or 0
    vanished = None
    if body_vanished(previous_chars, len(article.text or "")):
        vanished = takedown_change("body_vanished", 200, policy, old_chars=previous_chars,
                                   new_chars=len(article.text or ""), notice=(article.text or "")[:300],
                                   last_good_version=latest[1])
    return changes, vanished


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
        return _taken_down(conn, r, article_id, status, removed_change(r.status, policy), check, policy, rules)
    redirected = redirect_kind(r.url, r.final_url) if r.status and 200 <= r.status < 300 else None
    if redirected:                   # the URL now leads to the home page or a section: the story is gone
        change = takedown_change(redirected, r.status, policy, final_url=r.final_url)
        return _taken_down(conn, r, article_id, status, change, check, policy, rules)
    analysis = r.analysis
    soft = analysis is not None and analysis.outcome == "invalid" and (analysis.reason or "").startswith(SOFT_404)
    if soft or r.status == 304:      # a second "not found" in a row (or a 304 to the first): a take-down
        change = _soft_404(conn, article_id, r.status, analysis.reason if soft else None, policy)
        if change is not None:
            return _taken_down(conn, r, article_id, status, change, check, policy, rules)
    if r.status == 304:
        _insert(conn, "checks", {**check, "outcome": "not_modified"})
        return Recorded("not_modified", article_id)
    if analysis is not None and analysis.outcome == "invalid":
        _insert(conn, "checks", {**check, "outcome": "error", "error": analysis.reason or "refused by the validity gate"})
        return Recorded("error", article_id)
    if r.error or (r.article is None and analysis is None):
        _insert(conn, "checks", {**check, "outcome": "error", "error": r.error or "no article extracted"})
        return Recorded("error", article_id)

    latest = _head(conn, article_id)
    if status == "removed":
        conn.execute("UPDATE articles SET status = 'active' WHERE id = ?", [article_id])
    if analysis is not None and analysis.outcome == "unchanged" and latest:
        _insert(conn, "checks", {**check, "outcome": "unchanged", "version_id": latest[0]})
        return Recorded("unchanged", article_id, latest[1])
    a = analysis.article if analysis is not None and analysis.article is not None else r.article
    if a is None:                    # "unchanged" by raw hash, but no version to be unchanged from
        _insert(conn, "checks", {**check, "outcome": "error", "error": "no stored version to compare with"})
        return Recorded("error", article_id)
    h = analysis.content_hash if analysis is not None and analysis.content_hash else version_hash(a)
    if latest and latest[2] == h:
        _insert(conn, "checks", {**check, "outcome": "unchanged", "version_id": latest[0]})
        return Recorded("unchanged", article_id, latest[1])

    if analysis is not None and analysis.outcome == "changed" and latest and analysis.base_hash == latest[2]:
        comparison_changes, alert = analysis.changes, analysis.alert
        summary, summary_ar = analysis.summary, analysis.summary_ar
    else:                            # compared against another version than the one stored last: again
        previous = _latest(conn, article_id)[3] if latest else None
        comparison = compare(previous, a, policy)
        comparison_changes, alert = comparison.changes, comparison.alert
        summary = summarize(comparison_changes, "en") if latest else None
        summary_ar = summarize(comparison_changes, "ar") if latest else None
    vanished = None
    if latest:
        marked, vanished = _evidence(conn, article_id, r.fetched_at, latest, a, comparison_changes, policy)
        if marked != tuple(comparison_changes):
            comparison_changes, alert = marked, policy.alerts(marked)
            summary, summary_ar = summarize(marked, "en"), summarize(marked, "ar")
    n = latest[1] + 1 if latest else 1
    vid = _insert(conn, "versions", {
        "article_id": article_id, "n": n, "fetched_at": r.fetched_at, "content_hash": h, "title": a.title,
        "byline": a.byline, "published_at": a.published_at, "updated_at": a.updated_at, "lang": a.lang,
        "text": a.text, "figures": json.dumps([f.to_dict() for f in a.figures], ensure_ascii=False),
        "summary": summary if latest else None, "summary_ar": summary_ar if latest else None, "live": int(a.live),
        **({"updated_precision_s": a.updated_precision_s} if a.updated_precision_s is not None else {}),
        "raw_html": pack(r.html) if r.html else None, **({"raw_headers": pack(r.headers)} if r.headers else {})})
    index_version(conn, vid, a.title, a.text)
    if latest:
        _write_changes(conn, article_id, latest[0], vid, r.fetched_at, comparison_changes, rules, r.site,
                       r.fetched_at, a, r.url)
    conn.execute("UPDATE articles SET version_count = ? WHERE id = ?", [n, article_id])
    _insert(conn, "checks", {**check, "outcome": "changed" if latest else "new", "version_id": vid})
    if vanished is not None:         # the notice is kept as a version; the take-down is its own event
        _write_changes(conn, article_id, latest[0], None, r.fetched_at, (vanished,), rules, r.site, r.fetched_at, a,
                       r.url)
        conn.execute("UPDATE articles SET status = 'removed', next_check_at = NULL WHERE id = ?", [article_id])
        comparison_changes, alert = (*comparison_changes, vanished), True
    return Recorded("changed" if latest else "new", article_id, n, comparison_changes if latest else (),
                    alert if latest else False)


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
