"""The SQL the plugin's pages run, through Datasette's read-only connection (`await db.execute`).

A "change event" is what one check found: the changes that led to one new version, or a take-down
(a `removed` change has no version of its own). The front page shows each article's latest event;
the feed shows every event, newest first.
"""
from __future__ import annotations

import json

from detector import Change

from .labels import EDITORIAL_KINDS

RANK_SQL = "CASE c.severity WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END"
SEVERITY_OF_RANK = {3: "high", 2: "medium", 1: "low", 0: "none"}
FRONT_LIMIT = 100
TAKEDOWN_LIMIT = 20
SEARCH_LIMIT = 300                 # matching versions read; the page shows one row per article

# One row per event: its time, its strongest severity, the kinds it holds (those another change does not
# already explain), and the first change's id (stable order among events of the same second).
EVENTS = f"""
SELECT c.article_id, c.to_version, max(c.from_version) AS from_version, max(c.at) AS at, min(c.id) AS first_id,
  max({RANK_SQL}) AS rank,
  group_concat(DISTINCT CASE WHEN json_extract(c.detail, '$.explained_by') IS NULL THEN c.kind END) AS kinds,
  max(CASE WHEN c.kind = 'removed' THEN c.new END) AS removed_status,
  max(CASE WHEN c.kind = 'removed' THEN json_extract(c.detail, '$.takedown') END) AS takedown,
  max(CASE WHEN c.kind = 'removed' THEN json_extract(c.detail, '$.last_good_version') END) AS last_good,
  max(CASE WHEN c.kind = 'removed' THEN c.detail END) AS removed_detail,
  max(coalesce(json_extract(c.detail, '$.silent'), 0)) AS silent,
  max(coalesce(json_extract(c.detail, '$.restamped'), 0)) AS restamped,
  max(CASE WHEN c.kind = 'title_changed' THEN json_extract(c.detail, '$.headline_test') END) AS headline_test
FROM changes c
WHERE c.kind IN ({", ".join(f"'{k}'" for k in EDITORIAL_KINDS)}) {{where}}
GROUP BY c.article_id, coalesce(c.to_version, -c.id)
HAVING rank >= :min_rank {{having}}"""

EVENT_COLUMNS = """
SELECT e.*, a.url, a.status, a.site_id, s.name AS site,
  coalesce(v.title, lv.title) AS title, coalesce(v.lang, lv.lang) AS lang, v.n AS n, fv.n AS from_n,
  v.summary, v.summary_ar, lv.n AS latest_n"""

EVENT_JOINS = """
JOIN articles a ON a.id = e.article_id
LEFT JOIN sites s ON s.id = a.site_id
LEFT JOIN versions v ON v.id = e.to_version
LEFT JOIN versions fv ON fv.id = e.from_version
LEFT JOIN versions lv ON lv.article_id = a.id AND lv.n = a.version_count"""


def _filters(site_id, lang, kind, article_id=None) -> tuple[str, str, str, dict]:
    where, having, outer, params = "", "", "", {}
    if kind:
        having += " AND sum(c.kind = :kind) > 0"
        params["kind"] = kind
    if article_id:
        where += " AND c.article_id = :article_id"
        params["article_id"] = article_id
    if site_id:
        outer += " AND a.site_id = :site_id"
        params["site_id"] = site_id
    if lang:
        outer += " AND coalesce(v.lang, lv.lang) = :lang"
        params["lang"] = lang
    return where, having, outer, params


async def latest_events(db, *, site_id=None, lang=None, kind=None, min_rank=1, limit=FRONT_LIMIT) -> list[dict]:
    """Each article's latest event (with a kind filter: its latest event of that kind), newest first."""
    where, having, outer, params = _filters(site_id, lang, kind)
    sql = (f"WITH events AS ({EVENTS.format(where=where, having=having)}),"
           " ranked AS (SELECT *, row_number() OVER (PARTITION BY article_id ORDER BY at DESC, first_id DESC) AS r"
           f" FROM events) {EVENT_COLUMNS} FROM ranked e {EVENT_JOINS} WHERE e.r = 1 {outer}"
           " ORDER BY e.at DESC, e.first_id DESC LIMIT :limit")
    return _events((await db.execute(sql, {**params, "min_rank": min_rank, "limit": limit})).rows)


async def events(db, *, site_id=None, article_id=None, limit=50) -> list[dict]:
    """Every event, newest first (the feed)."""
    where, having, outer, params = _filters(site_id, None, None, article_id)
    sql = (f"WITH events AS ({EVENTS.format(where=where, having=having)}) {EVENT_COLUMNS} FROM events e"
           f" {EVENT_JOINS} WHERE 1 = 1 {outer} ORDER BY e.at DESC, e.first_id DESC LIMIT :limit")
    return _events((await db.execute(sql, {**params, "min_rank": 0, "limit": limit})).rows)


def _events(rows) -> list[dict]:
    out = []
    for r in rows:
        e = dict(r)
        e["severity"] = SEVERITY_OF_RANK.get(e["rank"], "none")
        e["kinds"] = sorted((e["kinds"] or "").split(",")) if e["kinds"] else []
        e["headline_test"] = json.loads(e["headline_test"]) if e.get("headline_test") else None
        e["removed_detail"] = json.loads(e["removed_detail"]) if e.get("removed_detail") else {}
        out.append(e)
    return out


async def event_changes(db, event: dict) -> list[Change]:
    """The changes of one event, as the detector's Change objects (for summaries and rendered diffs)."""
    if event.get("to_version"):
        rows = (await db.execute("SELECT * FROM changes WHERE to_version = ? ORDER BY id", [event["to_version"]])).rows
    else:
        rows = (await db.execute("SELECT * FROM changes WHERE id = ?", [event["first_id"]])).rows
    return changes_of(rows)


def changes_of(rows) -> list[Change]:
    def value(v):
        return int(v) if isinstance(v, str) and v.isdigit() else v
    return [Change(r["kind"], r["field"], value(r["old"]), value(r["new"]), r["severity"],
                   json.loads(r["detail"] or "{}")) for r in rows]


async def takedowns(db, *, site_id=None, lang=None, limit=TAKEDOWN_LIMIT) -> list[dict]:
    """Articles that now answer 404/410, with when and their last stored text."""
    sql = """
SELECT a.id AS article_id, a.url, s.name AS site, v.title, v.text, v.lang, v.n, v.fetched_at AS last_seen_at,
  (SELECT max(at) FROM changes WHERE article_id = a.id AND kind = 'removed') AS at,
  (SELECT new FROM changes WHERE article_id = a.id AND kind = 'removed' ORDER BY id DESC LIMIT 1) AS http_status,
  (SELECT detail FROM changes WHERE article_id = a.id AND kind = 'removed' ORDER BY id DESC LIMIT 1) AS detail
FROM articles a LEFT JOIN sites s ON s.id = a.site_id
LEFT JOIN versions v ON v.article_id = a.id AND v.n = a.version_count
WHERE a.status = 'removed'"""
    params: dict = {"limit": limit}
    if site_id:
        sql += " AND a.site_id = :site_id"
        params["site_id"] = site_id
    if lang:
        sql += " AND v.lang = :lang"
        params["lang"] = lang
    sql += " ORDER BY at DESC LIMIT :limit"
    return [_with_detail(r) for r in (await db.execute(sql, params)).rows]


def _with_detail(row) -> dict:
    d = dict(row)
    d["detail"] = json.loads(d.get("detail") or "{}")
    return d


async def search_versions(db, match: str, *, site_id=None, lang=None, limit=SEARCH_LIMIT) -> list[dict]:
    """Versions whose normalized title or text matches (best first), with their article."""
    sql = """
SELECT v.id, v.article_id, v.n, v.title, v.text, v.lang, v.fetched_at, a.url, a.status, a.version_count,
  s.name AS site
FROM versions_fts f JOIN versions v ON v.id = f.rowid JOIN articles a ON a.id = v.article_id
LEFT JOIN sites s ON s.id = a.site_id
WHERE versions_fts MATCH :match"""
    params: dict = {"match": match, "limit": limit}
    if site_id:
        sql += " AND a.site_id = :site_id"
        params["site_id"] = site_id
    if lang:
        sql += " AND v.lang = :lang"
        params["lang"] = lang
    sql += " ORDER BY rank LIMIT :limit"
    return [dict(r) for r in (await db.execute(sql, params)).rows]


async def overview(db) -> dict:
    row = (await db.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM sites),"
                            " (SELECT max(at) FROM checks), (SELECT count(*) FROM articles WHERE status = 'removed')"
                            )).first()
    sites = [dict(r) for r in (await db.execute(
        "SELECT s.id, s.name, count(a.id) AS articles FROM sites s LEFT JOIN articles a ON a.site_id = s.id"
        " GROUP BY s.id ORDER BY s.name")).rows]
    langs = [r[0] for r in (await db.execute(
        "SELECT lang FROM versions WHERE lang IS NOT NULL AND lang != '' GROUP BY lang ORDER BY lang")).rows]
    return {"articles": row[0], "site_count": row[1], "last_check": row[2], "removed": row[3], "sites": sites,
            "langs": langs}


async def article(db, article_id: int) -> dict | None:
    rows = (await db.execute("SELECT a.*, s.name AS site FROM articles a LEFT JOIN sites s ON s.id = a.site_id"
                             " WHERE a.id = ?", [article_id])).rows
    return dict(rows[0]) if rows else None


async def versions(db, article_id: int) -> list[dict]:
    rows = (await db.execute(
        "SELECT v.id, v.n, v.fetched_at, v.title, v.text, v.published_at, v.updated_at, v.byline, v.lang, v.figures,"
        f" v.summary, v.summary_ar, v.live, (SELECT max({RANK_SQL}) FROM changes c WHERE c.to_version = v.id) AS rank,"
        " (SELECT max(coalesce(json_extract(c.detail, '$.silent'), 0)) FROM changes c WHERE c.to_version = v.id)"
        " AS silent, (SELECT max(coalesce(json_extract(c.detail, '$.restamped'), 0)) FROM changes c"
        " WHERE c.to_version = v.id) AS restamped, (SELECT json_extract(c.detail, '$.headline_test') FROM changes c"
        " WHERE c.to_version = v.id AND c.kind = 'title_changed') AS headline_test"
        " FROM versions v WHERE v.article_id = ? ORDER BY v.n", [article_id])).rows
    out = []
    for r in rows:
        v = dict(r)
        v["severity"] = SEVERITY_OF_RANK.get(v["rank"]) if v["rank"] is not None else None
        out.append(v)
    return out


async def stored_changes(db, from_id: int, to_id: int) -> list[Change]:
    """The changes recorded when version `to_id` was found after `from_id` (what the alert said)."""
    return changes_of((await db.execute("SELECT * FROM changes WHERE from_version = ? AND to_version = ?"
                                        " ORDER BY id", [from_id, to_id])).rows)


async def removals(db, article_id: int) -> list[dict]:
    """Every take-down of an article (detector/takedown.py kinds in `detail`), oldest first."""
    return [_with_detail(r) for r in (await db.execute(
        "SELECT id, at, new AS http_status, detail FROM changes WHERE article_id = ? AND kind = 'removed' ORDER BY id",
        [article_id])).rows]


async def site_exists(db, site_id: int) -> bool:
    return bool((await db.execute("SELECT 1 FROM sites WHERE id = ?", [site_id])).rows)


async def article_exists(db, article_id: int) -> bool:
    return bool((await db.execute("SELECT 1 FROM articles WHERE id = ?", [article_id])).rows)
