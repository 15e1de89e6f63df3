"""marsad's Datasette plugin (registered by entry point): rendered diffs, versions side by side, and a
chart of a figure's history as inline SVG (no outside script). Every piece of page text is escaped.

Pages: /-/marsad/diff/<version_id> and /-/marsad/article/<article_id>[?a=N&b=M]; both take ?db=NAME
(default: the first database with a versions table). Every parameter is checked: one that is not a
positive integer is a 400, an id or version that does not exist (or a ?db= that is not marsad's) a 404. Links to them appear in the recent_changes and
article_timeline views.
"""
from __future__ import annotations

import json
from html import escape

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup

from detector import Article, Change, Figure, compare, direction, render_html, summarize

STYLE = """body{font-family:'Noto Naskh Arabic','Noto Sans',system-ui,sans-serif;margin:0;color:#1b1b1b;line-height:1.6}
header{background:#276890;color:#fff;padding:10px 18px}header a{color:#fff}main{padding:12px 18px;max-width:1200px}
h1{font-size:20px}h2{font-size:16px;margin-top:24px;border-bottom:1px solid #ddd}
ins{background:#d7f5dd;text-decoration:none}del{background:#fbd9d9}.meta{color:#666;font-size:13px}
table.timeline td,table.timeline th{padding:4px 8px;border-bottom:1px solid #eee;vertical-align:top}
.sbs{display:grid;grid-template-columns:1fr 1fr;gap:18px}.sbs section{border:1px solid #ddd;padding:8px 12px}
.sbs p.same{color:#555}.sbs p.gone{background:#fbd9d9}.sbs p.new{background:#d7f5dd}
.marsad-diff ul{padding-inline-start:18px}.what{font-weight:bold;display:block}"""


SQLITE_MAX_ID = 2**63 - 1


class BadParameter(ValueError):
    """A query or path parameter that cannot name anything: answered with a 400, never a server error."""


def _id(value, name: str, default: int | None = None) -> int | None:
    """A row id or version number from the URL: a positive integer SQLite can hold; '' or absent: default."""
    if value is None or value == "":
        return default
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= SQLITE_MAX_ID:
        raise BadParameter(f"{name} must be a positive integer, not {value!r}")
    return int(value)


async def _db(datasette, request):
    """The marsad database the page reads: ?db=NAME if that is one, else the first with a versions table."""
    name = request.args.get("db")
    if name:
        db = datasette.databases.get(name)            # an unknown name (or not marsad's): None, a 404
        return db if db is not None and not db.is_memory and await db.table_exists("versions") else None
    for db in datasette.databases.values():
        if not db.is_memory and await db.table_exists("versions"):
            return db
    return None


def _validated(page):
    """Bad parameters are the client's mistake: a 400 with the reason, as plain text."""
    async def handler(datasette, request):
        try:
            return await page(datasette, request)
        except BadParameter as e:
            return Response.text(str(e), status=400)
    handler.__name__, handler.__doc__ = page.__name__, page.__doc__
    return handler


def _page(title: str, body: str, lang: str = "en", db_name: str = "") -> Response:
    rtl = lang == "ar"
    home = f'<a href="/{escape(db_name)}">{escape(db_name)}</a> · ' if db_name else ""
    return Response.html(
        f'<!DOCTYPE html><html lang="{escape(lang)}" dir="{"rtl" if rtl else "ltr"}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f'<header dir="ltr">{home}<a href="/">marsad</a></header><main>{body}</main></body></html>')


def _changes(rows) -> list[Change]:
    def value(v):
        return int(v) if isinstance(v, str) and v.isdigit() else v
    return [Change(r["kind"], r["field"], value(r["old"]), value(r["new"]), r["severity"],
                   json.loads(r["detail"] or "{}")) for r in rows]


def figure_chart(points: dict[str, list[tuple[int, int]]], width: int = 420, height: int = 160) -> str:
    """An inline SVG line chart, one line per measure: [(version n, value)] each. Text is escaped."""
    if not points:
        return ""
    colours = ["#c0392b", "#2471a3", "#7d3c98", "#1e8449", "#b9770e"]
    xs = sorted({n for series in points.values() for n, _ in series})
    top = max(v for series in points.values() for _, v in series) or 1
    pad = 32

    def x(n):
        return pad + (xs.index(n) * (width - 2 * pad) / max(len(xs) - 1, 1))

    def y(v):
        return height - pad - v * (height - 2 * pad) / top

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="figure history" dir="ltr" style="font:11px sans-serif">',
             f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#999"/>']
    for i, (measure, series) in enumerate(sorted(points.items())):
        c = colours[i % len(colours)]
        pts = " ".join(f"{x(n):.1f},{y(v):.1f}" for n, v in series)
        parts.append(f'<polyline fill="none" stroke="{c}" stroke-width="2" points="{pts}"/>')
        for n, v in series:
            parts.append(f'<circle cx="{x(n):.1f}" cy="{y(v):.1f}" r="3.5" fill="{c}"/>'
                         f'<text x="{x(n):.1f}" y="{y(v) - 8:.1f}" text-anchor="middle" fill="{c}">{v}</text>')
        parts.append(f'<text x="{pad}" y="{14 + 14 * i}" fill="{c}">{escape(measure)}</text>')
    for n in xs:
        parts.append(f'<text x="{x(n):.1f}" y="{height - pad + 16}" text-anchor="middle" fill="#666">v{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


async def diff_page(datasette, request):
    vid = _id(request.url_vars["version_id"], "version id")
    db = await _db(datasette, request)
    if db is None:
        return Response.text("no marsad database", status=404)
    rows = (await db.execute("SELECT v.*, a.url FROM versions v JOIN articles a ON a.id = v.article_id WHERE v.id = ?",
                             [vid])).rows
    if not rows:
        return Response.text(f"no version {vid}", status=404)
    v = dict(rows[0])
    changes = _changes([dict(r) for r in (await db.execute(
        "SELECT * FROM changes WHERE to_version = ? ORDER BY id", [vid])).rows])
    lang = v["lang"] or "en"
    title = v["title"] or v["url"]
    body = (f'<h1 dir="{direction(title)}">{escape(title)}</h1>'
            f'<p class="meta" dir="ltr">version {v["n"]} · {escape(v["fetched_at"] or "")} · '
            f'<a href="{escape(v["url"], quote=True)}">{escape(v["url"])}</a> · '
            f'<a href="/-/marsad/article/{v["article_id"]}?db={escape(db.name)}">all versions</a></p>'
            + (render_html(changes, "en") if changes else "<p>first version: nothing to compare</p>")
            + (f'<p dir="rtl" lang="ar">{escape(summarize(changes, "ar"))}</p>' if changes and lang == "ar" else ""))
    return _page(f"marsad: {title}", body, lang, db.name)


def _side_by_side(old: dict, new: dict) -> str:
    old_paras = [p for p in (old["text"] or "").split("\n\n") if p.strip()]
    new_paras = [p for p in (new["text"] or "").split("\n\n") if p.strip()]
    old_set, new_set = set(old_paras), set(new_paras)

    def column(v, paras, other, gone_cls):
        title = v["title"] or ""
        items = "".join(f'<p class="{"same" if p in other else gone_cls}" dir="{direction(p)}">{escape(p)}</p>'
                        for p in paras)
        return (f'<section><h2 dir="ltr">version {v["n"]} · {escape(v["fetched_at"] or "")}</h2>'
                f'<h3 dir="{direction(title)}">{escape(title)}</h3>{items}</section>')

    return f'<div class="sbs">{column(old, old_paras, new_set, "gone")}{column(new, new_paras, old_set, "new")}</div>'


async def article_page(datasette, request):
    aid = _id(request.url_vars["article_id"], "article id")
    want_a, want_b = _id(request.args.get("a"), "?a="), _id(request.args.get("b"), "?b=")
    db = await _db(datasette, request)
    if db is None:
        return Response.text("no marsad database", status=404)
    art = (await db.execute("SELECT * FROM articles WHERE id = ?", [aid])).rows
    if not art:
        return Response.text(f"no article {aid}", status=404)
    art = dict(art[0])
    versions = [dict(r) for r in (await db.execute(
        "SELECT id, n, fetched_at, title, text, published_at, updated_at, byline, lang, figures, summary, live"
        " FROM versions WHERE article_id = ? ORDER BY n", [aid])).rows]
    lang = (versions[-1]["lang"] if versions else None) or "en"
    points: dict[str, list] = {}
    for v in versions:
        best: dict[str, int] = {}
        for f in json.loads(v["figures"] or "[]"):
            best[f["measure"]] = max(best.get(f["measure"], 0), f["value"])
        for m, val in best.items():
            points.setdefault(m, []).append((v["n"], val))
    rows = "".join(
        f'<tr><td><a href="/-/marsad/diff/{v["id"]}?db={escape(db.name)}">v{v["n"]}</a></td>'
        f'<td dir="ltr">{escape(v["fetched_at"] or "")}</td><td dir="{direction(v["title"] or "")}">'
        f'{escape(v["title"] or "")}</td><td dir="ltr">{escape(v["summary"] or "first version")}</td></tr>'
        for v in versions)
    body = (f'<h1 dir="ltr">{escape(art["url"])}</h1><p class="meta" dir="ltr">status {escape(art["status"])} · '
            f'first seen {escape(art["first_seen_at"] or "")} · {len(versions)} version(s)</p>'
            f'<h2 dir="ltr">Timeline</h2><table class="timeline" dir="ltr"><tr><th>version</th><th>fetched</th>'
            f'<th>headline</th><th>what changed</th></tr>{rows}</table>')
    if points:
        body += f'<h2 dir="ltr">Figures</h2>{figure_chart(points)}'
    by_n = {v["n"]: v for v in versions}
    for n in (want_a, want_b):
        if n is not None and n not in by_n:
            return Response.text(f"article {aid} has no version {n}", status=404)
    if len(versions) >= 2:
        b = by_n[want_b] if want_b else versions[-1]
        a = by_n[want_a] if want_a else by_n.get(b["n"] - 1, versions[-2])

        def article(v):
            return Article(url=art["url"], title=v["title"], text=v["text"] or "", published_at=v["published_at"],
                           updated_at=v["updated_at"], byline=v["byline"], lang=v["lang"], live=bool(v["live"]),
                           figures=tuple(Figure.from_dict(f) for f in json.loads(v["figures"] or "[]")))

        result = compare(article(a), article(b))
        body += (f'<h2 dir="ltr">Version {a["n"]} → version {b["n"]}</h2>' + render_html(result.changes, "en")
                 + _side_by_side(a, b))
    return _page(f"marsad: {art['url']}", body, lang, db.name)


@hookimpl
def register_routes():
    return [(r"^/-/marsad/diff/(?P<version_id>[^/]+)$", _validated(diff_page)),
            (r"^/-/marsad/article/(?P<article_id>[^/]+)$", _validated(article_page))]


@hookimpl(trylast=True)
def prepare_connection(conn):
    """The search box's query normalized like the index (storage/search.py); trylast: after Datasette's own."""
    from storage.search import install_datasette_search
    install_datasette_search(conn)


@hookimpl
def render_cell(value, column, table, database, datasette):
    """The plugin's page links as links; Arabic text right to left (escaped, as Datasette would)."""
    if not isinstance(value, str):
        return None
    if column in ("diff", "versions_page") and value.startswith("/-/marsad/"):
        return Markup(f'<a href="{escape(value, quote=True)}?db={escape(database, quote=True)}">open</a>')
    if column != "raw_html" and not value.startswith(("http://", "https://")) and direction(value) == "rtl":
        shown = value if len(value) <= 400 else value[:400] + "…"
        return Markup(f'<div dir="rtl" lang="ar">{escape(shown)}</div>')
    return None
