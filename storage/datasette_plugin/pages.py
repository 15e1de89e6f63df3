"""The plugin's pages: the front page for editors, an article's page, the served Atom feed.

Every page is a template extending Datasette's base.html (templates/), every link is built with
`datasette.urls` (a `base_url` deployment works), every parameter is checked (params.py).

  /-/marsad/                        the latest change of each article; filters; search; take-downs
  /-/marsad/article/<id>[?from=N&to=M]  an article's whole history, any two versions compared
  /-/marsad/diff/<version_id>       (older links) redirects to the article page at that version
  /-/marsad/feed.atom[?site=ID|?article=ID]  the changes as an Atom feed
  /                                 redirects to the front page when a marsad database is served
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from urllib.parse import urlencode

from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from alerts.feed import atom
from detector import Article, Figure, SEVERITIES, compare, describe, direction, render_html, summarize
from detector.summary import MEASURE_NAMES
from storage.search import highlighted, match_query, snippet
from detector.normalize import normalize

from . import reads
from .chart import figure_chart
from .databases import db_args, marsad_databases, pick
from .labels import (EDITORIAL_KINDS, SEVERITY_RANK, SEVERITY_WORDS, ago, evidence_badges, kind_words, language_words,
                     parse_iso, takedown_words, utc_label)
from .params import BadParameter, NotFound, choice, language, only, positive_int, search_query, validated
from .sidebyside import side_by_side

PLUGIN = "marsad"                           # the distribution name: /-/static-plugins/marsad/...
FEED_LIMIT = 50
TEXT_PREVIEW = 600                          # characters of a taken-down article's last text shown open


def _url(datasette, path: str, **args) -> str:
    args = {k: v for k, v in args.items() if v not in (None, "")}
    return datasette.urls.path(path) + (("?" + urlencode(args)) if args else "")


def article_url(datasette, db, article_id: int, from_n=None, to_n=None) -> str:
    return _url(datasette, f"-/marsad/article/{article_id}", **db_args(datasette, db), **{"from": from_n, "to": to_n})


def _marks(pieces) -> Markup:
    return Markup("".join(f"<mark>{escape(t)}</mark>" if hit else str(escape(t)) for t, hit in pieces))


def _when(value: str | None, now: datetime) -> dict:
    return {"ago": ago(value, now), "utc": utc_label(value), "iso": value or ""}


async def _render(datasette, request, template: str, context: dict) -> Response:
    context = {**context, "marsad_css": datasette.urls.static_plugins(PLUGIN, "marsad.css"),
               "front_url": datasette.urls.path("-/marsad/")}
    return Response.html(await datasette.render_template(template, context, request=request))


# -- the front page ----------------------------------------------------------------------------------

FRONT_PARAMS = ("db", "site", "kind", "severity", "lang", "q")


@validated
async def front_page(datasette, request):
    only(request, FRONT_PARAMS)
    db = await pick(datasette, request)
    args = request.args
    site_id = positive_int(args.get("site"), "site")
    kind = choice(args.get("kind"), "kind", EDITORIAL_KINDS)
    severity = choice(args.get("severity"), "severity", SEVERITIES)
    lang = language(args.get("lang"))
    query = search_query(args.get("q"))
    if site_id and not await reads.site_exists(db, site_id):
        raise BadParameter(f"site must be the id of a watched site; there is no site {site_id}")
    now = datetime.now(timezone.utc)
    info = await reads.overview(db)
    min_rank = SEVERITY_RANK[severity] if severity else 1
    rows = []
    search = None
    if query:
        search = await _search(datasette, db, query, site_id, lang, now)
    else:
        for e in await reads.latest_events(db, site_id=site_id, lang=lang, kind=kind, min_rank=min_rank):
            rows.append(_event_row(datasette, db, e, now))
    downs = []
    if not query and (kind in (None, "removed")):
        for t in await reads.takedowns(db, site_id=site_id, lang=lang):
            text = t["text"] or ""
            paragraphs = [p for p in text.split("\n\n") if p.strip()]
            good = t["detail"].get("last_good_version")
            downs.append({**t, "when": _when(t["at"], now), "seen": _when(t["last_seen_at"], now),
                          "dir": direction(t["title"] or text), "paragraphs": paragraphs,
                          "preview": _preview(paragraphs), "url_page": article_url(datasette, db, t["article_id"]),
                          "how": takedown_words(t["detail"].get("takedown") or _http_kind(t["http_status"])),
                          "last_good": good,
                          "last_good_url": article_url(datasette, db, t["article_id"], None, good) if good else None})
    kinds = [(k, kind_words(k)) for k in EDITORIAL_KINDS]
    context = {
        "db_name": db.name, "rows": rows, "search": search, "takedowns": downs, "info": info,
        "last_check": _when(info["last_check"], now),
        "filters": {"site": site_id, "kind": kind, "severity": severity, "lang": lang, "q": query},
        "filtered": any((site_id, kind, severity, lang)),
        "kinds": kinds, "severities": [(s, SEVERITY_WORDS[s]) for s in reversed(SEVERITIES)],
        "langs": [(code, language_words(code)) for code in info["langs"]],
        "db_hidden": db_args(datasette, db).get("db"),
        "action": datasette.urls.path("-/marsad/"),
        "clear_url": _url(datasette, "-/marsad/", **db_args(datasette, db)),
        "feed_url": _url(datasette, "-/marsad/feed.atom", **db_args(datasette, db), site=site_id),
        "tables_url": datasette.urls.database(db.name),
        "recent_changes_url": datasette.urls.table(db.name, "recent_changes"),
        "limit": reads.FRONT_LIMIT,
    }
    return await _render(datasette, request, "marsad_front.html", context)


def _preview(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """The first paragraphs up to about TEXT_PREVIEW characters shown, the rest behind "the whole text"."""
    shown, size = [], 0
    for p in paragraphs:
        if shown and size + len(p) > TEXT_PREVIEW:
            break
        shown.append(p)
        size += len(p)
    return shown, paragraphs[len(shown):]


def _http_kind(status) -> str:
    return "gone" if str(status) == "410" else "not_found"


def _event_row(datasette, db, e: dict, now: datetime) -> dict:
    lang = e["lang"] or "en"
    removed = e["to_version"] is None
    badges = evidence_badges(e.get("silent"), e.get("restamped"), e.get("headline_test"), lang)
    last_good_url = None
    if removed:
        summary = describe_removed(e, lang)
        link = article_url(datasette, db, e["article_id"])
        if e.get("last_good"):
            last_good_url = article_url(datasette, db, e["article_id"], None, e["last_good"])
        if "removed" in e["kinds"]:
            badges.append({"cls": "takedown", "title": summary,
                           "words": takedown_words(e["removed_detail"].get("takedown") or _http_kind(e["removed_status"]),
                                                   lang)})
    else:
        summary = (e["summary_ar"] if lang == "ar" and e["summary_ar"] else e["summary"]) or ""
        link = article_url(datasette, db, e["article_id"], e["from_n"], e["n"])
    title = e["title"] or e["url"]
    return {**e, "when": _when(e["at"], now), "summary_shown": summary, "summary_dir": direction(summary),
            "summary_en": e["summary"] if lang == "ar" else None,
            "title_shown": title, "title_dir": direction(title), "link": link, "removed": removed,
            "badges": badges, "last_good_url": last_good_url,
            "last_good_words": (f"آخر نسخة سليمة ({e.get('last_good')})" if lang == "ar"
                                else f"the last good version ({e.get('last_good')})"),
            "kind_words": [kind_words(k, lang) for k in e["kinds"]], "lang": lang, "row_dir": "rtl" if lang == "ar" else "ltr",
            "versions_words": (f"النسخة {e['from_n']} إلى {e['n']}" if lang == "ar" else f"version {e['from_n']} → {e['n']}")
            if e["n"] and e["from_n"] else ""}


def describe_removed(e: dict, lang: str) -> str:
    from detector import Change
    status = e.get("removed_status")
    status = int(status) if isinstance(status, str) and status.isdigit() else status
    return describe(Change("removed", "status", None, status, "high", e.get("removed_detail") or {}), lang)


async def _search(datasette, db, query: str, site_id, lang, now) -> dict:
    """One row per article: its best-ranked matching version, the headline and a snippet marked where
    the (normalized) query matches, and how many of its versions match."""
    if len(normalize(query)) < 3:
        return {"query": query, "rows": [], "note": "Type at least 3 letters: the search index reads "
                                                     "groups of three characters."}
    hits = await reads.search_versions(db, match_query(query), site_id=site_id, lang=lang)
    by_article: dict[int, dict] = {}
    for h in hits:
        row = by_article.get(h["article_id"])
        if row is None:
            by_article[h["article_id"]] = row = {**h, "matched": []}
        row["matched"].append(h["n"])
    rows = []
    for row in by_article.values():
        title = row["title"] or row["url"]
        rows.append({**row, "title_marked": _marks(highlighted(title, query)), "title_dir": direction(title),
                     "snippet": _marks(snippet(row["text"], query)), "text_dir": direction(row["text"] or title),
                     "when": _when(row["fetched_at"], now), "matched": sorted(set(row["matched"])),
                     "link": article_url(datasette, db, row["article_id"], None, row["n"])})
    return {"query": query, "rows": rows, "note": "" if rows else "No version matches."}


# -- the article page --------------------------------------------------------------------------------

ARTICLE_PARAMS = ("db", "from", "to")


@validated
async def article_page(datasette, request):
    only(request, ARTICLE_PARAMS)
    aid = positive_int(request.url_vars["article_id"], "article id")
    want_from = positive_int(request.args.get("from"), "from")
    want_to = positive_int(request.args.get("to"), "to")
    db = await pick(datasette, request)
    art = await reads.article(db, aid)
    if art is None:
        raise NotFound(f"no article {aid}")
    versions = await reads.versions(db, aid)
    by_n = {v["n"]: v for v in versions}
    for name, n in (("from", want_from), ("to", want_to)):
        if n is not None and n not in by_n:
            raise NotFound(f"article {aid} has no version {n} (it has {len(versions)})")
    if want_from is not None and want_from == want_to:
        raise BadParameter("from and to must be two different versions")
    now = datetime.now(timezone.utc)
    latest = versions[-1] if versions else None
    lang = (latest["lang"] if latest else None) or "en"
    comparison = None
    if len(versions) >= 2 or (want_to and want_from):
        new = by_n[want_to] if want_to else latest
        if want_from:
            old = by_n[want_from]
        else:
            earlier = [v for v in versions if v["n"] < new["n"]]
            old = earlier[-1] if earlier else None
        if old is not None:
            comparison = await _comparison(db, art, old, new, lang)
    shown_version = by_n[want_to] if want_to and comparison is None else latest
    removals = await reads.removals(db, aid)
    timeline = []
    for v in versions:
        summary = (v["summary_ar"] if lang == "ar" and v["summary_ar"] else v["summary"]) or (
            "أول نسخة" if lang == "ar" else "first version")
        timeline.append({**v, "when": _when(v["fetched_at"], now), "summary_shown": summary,
                         "summary_dir": direction(summary), "title_dir": direction(v["title"] or ""),
                         "badges": evidence_badges(v["silent"], v["restamped"], v["headline_test"], lang),
                         "link": article_url(datasette, db, aid, v["n"] - 1, v["n"]) if v["n"] > 1 else None,
                         "current": comparison is not None and v["n"] in (comparison["old"]["n"], comparison["new"]["n"])})
    title = (latest["title"] if latest else None) or art["url"]
    context = {
        "db_name": db.name, "art": art, "title": title, "title_dir": direction(title), "lang": lang,
        "versions": timeline, "comparison": comparison, "now": now,
        "removals": [_removal(datasette, db, aid, r, lang, now) for r in removals],
        "first_seen": _when(art["first_seen_at"], now), "last_checked": _when(art["last_checked_at"], now),
        "chart": Markup(await _chart(db, aid)),
        "action": datasette.urls.path(f"-/marsad/article/{aid}"), "db_hidden": db_args(datasette, db).get("db"),
        "feed_url": _url(datasette, "-/marsad/feed.atom", **db_args(datasette, db), article=aid),
        "front_url_db": _url(datasette, "-/marsad/", **db_args(datasette, db)),
        "rows_url": datasette.urls.table(db.name, "article_timeline") + "?" + urlencode({"article_id": aid}),
        "last_text": [p for p in ((shown_version or {}).get("text") or "").split("\n\n") if p.strip()],
        "text_dir": direction((shown_version or {}).get("text") or ""),
        "shown_n": (shown_version or {}).get("n"), "shown_at": _when((shown_version or {}).get("fetched_at"), now),
    }
    return await _render(datasette, request, "marsad_article.html", context)


def _removal(datasette, db, aid: int, r: dict, lang: str, now: datetime) -> dict:
    """A take-down as the article page shows it: how (its kind, in words), when, and a link to the last
    good version."""
    from detector import Change
    status = r["http_status"]
    status = int(status) if isinstance(status, str) and status.isdigit() else status
    good = r["detail"].get("last_good_version")
    return {**r, "when": _when(r["at"], now), "how": describe(Change("removed", "url", None, status, "high", r["detail"])),
            "badge": takedown_words(r["detail"].get("takedown") or _http_kind(status)),
            "final_url": r["detail"].get("final_url"), "last_good": good,
            "last_good_url": article_url(datasette, db, aid, None, good) if good else None}


def _article(url: str, v: dict) -> Article:
    return Article(url=url, title=v["title"], text=v["text"] or "", published_at=v["published_at"],
                   updated_at=v["updated_at"], byline=v["byline"], lang=v["lang"], live=bool(v["live"]),
                   figures=tuple(Figure.from_dict(f) for f in json.loads(v["figures"] or "[]")))


async def _comparison(db, art: dict, old: dict, new: dict, lang: str) -> dict:
    """The changes between two versions: those recorded at the time when the pair is consecutive (what
    the alert said), else the detector run now on the two stored versions."""
    changes = await reads.stored_changes(db, old["id"], new["id"]) if new["n"] == old["n"] + 1 else []
    if not changes:
        changes = list(compare(_article(art["url"], old), _article(art["url"], new)).changes)
    shown = [c for c in changes if not c.detail.get("explained_by")]
    summary = summarize(changes, lang) if changes else ("لا تغيير" if lang == "ar" else "no change")
    test = next((c.detail["headline_test"] for c in changes if c.detail.get("headline_test")), None)
    silent = next((c for c in changes if c.detail.get("silent")), None)
    return {"old": old, "new": new, "summary": summary, "summary_dir": direction(summary),
            "badges": evidence_badges(bool(silent), any(c.detail.get("restamped") for c in changes), test, "en"),
            "silent_stamp": silent.detail.get("stamp") if silent else None,
            "headline_test": test, "variant_dirs": [direction(t) for t in (test or {}).get("variants", [])],
            "phrases": [{"text": describe(c, "en"), "severity": c.severity, "kind": kind_words(c.kind)} for c in shown],
            "details": Markup(render_html(changes, "en")) if changes else "",
            "sbs": {k: (Markup(v) if not k.endswith("_dir") else v) for k, v in side_by_side(old, new).items()}}


async def _chart(db, article_id: int) -> str:
    """The chart reads the figure_history view: one definition of "the story's figure in a version"
    (storage/views.py) for the chart, the view and whoever queries it."""
    series: dict[str, list] = {}
    rows = (await db.execute("SELECT measure, fetched_at, value FROM figure_history WHERE article_id = ?"
                             " ORDER BY measure, fetched_at", [article_id])).rows
    for measure, fetched_at, value in rows:
        when = parse_iso(fetched_at)
        if when is not None and isinstance(value, (int, float)):
            series.setdefault(measure, []).append((when, value))
    return figure_chart(series, MEASURE_NAMES["en"])


# -- older links, the index, the feed ----------------------------------------------------------------

@validated
async def diff_redirect(datasette, request):
    """/-/marsad/diff/<version_id> (links in older mail and in the views): the article page at that version."""
    only(request, ("db",))
    vid = positive_int(request.url_vars["version_id"], "version id")
    db = await pick(datasette, request)
    rows = (await db.execute("SELECT article_id, n FROM versions WHERE id = ?", [vid])).rows
    if not rows:
        raise NotFound(f"no version {vid}")
    aid, n = rows[0]
    return Response.redirect(article_url(datasette, db, aid, n - 1 if n > 1 else None, n if n > 1 else None))


async def index(datasette, request, send):
    """`marsad serve` opens on the front page; a Datasette serving no marsad database keeps its own index."""
    if await marsad_databases(datasette):
        return Response.redirect(datasette.urls.path("-/marsad/"))
    from datasette.views.index import IndexView
    return await IndexView.as_view(datasette)(request, send)


@validated
async def feed(datasette, request):
    only(request, ("db", "site", "article"))
    site_id = positive_int(request.args.get("site"), "site")
    article_id = positive_int(request.args.get("article"), "article")
    db = await pick(datasette, request)
    if site_id and not await reads.site_exists(db, site_id):
        raise NotFound(f"no site {site_id}")
    if article_id and not await reads.article_exists(db, article_id):
        raise NotFound(f"no article {article_id}")
    origin = f"{request.scheme}://{request.host}"
    entries = []
    for e in await reads.events(db, site_id=site_id, article_id=article_id, limit=FEED_LIMIT):
        changes = await reads.event_changes(db, e)
        link = article_url(datasette, db, e["article_id"], e["from_n"] if e["to_version"] else None,
                           e["n"] if e["to_version"] else None)
        entries.append({"id": f"version:{e['to_version']}" if e["to_version"] else f"change:{e['first_id']}",
                        "url": e["url"], "site": e["site"], "title": e["title"], "at": e["at"], "lang": e["lang"],
                        "changes": changes, "link": origin + link})
    scope = f":site:{site_id}" if site_id else f":article:{article_id}" if article_id else ""
    title = "marsad: changes" + (f" on {entries[0]['site']}" if site_id and entries and entries[0]["site"] else "")
    if article_id and entries:
        title = f"marsad: {entries[0]['title'] or entries[0]['url']}"
    updated = entries[0]["at"] if entries else datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    self_url = origin + request.path + (f"?{request.query_string}" if request.query_string else "")
    xml = atom(entries, feed_id=f"tag:marsad:{db.name}{scope}", title=title, updated=updated, self_url=self_url,
               home_url=origin + _url(datasette, "-/marsad/", **db_args(datasette, db)))
    return Response(xml, content_type="application/atom+xml; charset=utf-8")
