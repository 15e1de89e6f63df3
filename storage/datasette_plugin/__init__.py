"""marsad's Datasette plugin (registered by entry point): the editors' front page, each article's page
(its whole history, a figure chart over time, any two versions side by side with the changed words
marked), the Atom feed, and readable cells in marsad's own tables and views.

It acts on marsad's databases only (application_id 'mrsd', databases.py) and, in them, on marsad's
own tables: another database served by the same Datasette is left exactly as Datasette shows it.
Pages are templates extending Datasette's base.html (templates/), the stylesheet is a static file of
the plugin (static/marsad.css, served at /-/static-plugins/marsad/), links are built with
`datasette.urls` (a `base_url` deployment works), and bad parameters are 400s (params.py).
"""
from __future__ import annotations

from datasette import hookimpl
from markupsafe import Markup, escape

from detector import direction

from . import pages
from .databases import TABLES, is_marsad, known_marsad
from .labels import KIND_WORDS, SEVERITY_WORDS, utc_label

RTL_CELL_LIMIT = 400                  # characters of an Arabic text cell shown in a table


@hookimpl
def register_routes():
    # `/`: the empty `format` group is what Datasette's own IndexView reads when pages.index hands over to it
    return [(r"^/(?P<format>)$", pages.index),
            (r"^/-/marsad/?$", pages.front_page),
            (r"^/-/marsad/article/(?P<article_id>[^/]+)$", pages.article_page),
            (r"^/-/marsad/diff/(?P<version_id>[^/]+)$", pages.diff_redirect),
            (r"^/-/marsad/feed\.atom$", pages.feed)]


@hookimpl
def startup(datasette):
    """Look at each served database once, so that render_cell knows without a query per cell."""
    async def look():
        for name in list(datasette.databases):
            await is_marsad(datasette, name)
    return look


@hookimpl(trylast=True)
def prepare_connection(conn):
    """The search box's query normalized like the index (storage/search.py; only on marsad's databases,
    which install_datasette_search checks by application_id); trylast: after Datasette's own."""
    from storage.search import install_datasette_search
    install_datasette_search(conn)


@hookimpl
def extra_css_urls(database, datasette):
    """marsad's stylesheet on the pages of marsad's databases (severity badges, right-to-left cells)."""
    if database and known_marsad(datasette, database):
        return [datasette.urls.static_plugins(pages.PLUGIN, "marsad.css")]
    return []


@hookimpl
def menu_links(datasette):
    return [{"href": datasette.urls.path("-/marsad/"), "label": "marsad: latest changes"}]


def _time_column(column: str) -> bool:
    return column == "at" or column.endswith("_at")


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """In marsad's tables and views only: the plugin's page links as links, change kinds in words,
    severities as badges (low quieter than high), stored times readable, Arabic text right to left,
    and in `articles` each URL under its latest headline, linked to the article's page."""
    if table not in TABLES or not isinstance(value, str):
        return None

    async def render():
        if not await is_marsad(datasette, database):
            return None
        if table == "articles" and column == "url" and row is not None and "id" in row.keys():
            return await _article_cell(datasette, database, row["id"], value)
        return _cell(value, column, table, database, datasette)
    return render


async def _article_cell(datasette, database: str, article_id, url: str):
    db = datasette.databases[database]
    found = (await db.execute("SELECT title FROM versions WHERE article_id = ? ORDER BY n DESC LIMIT 1",
                              [article_id])).rows
    title = found[0][0] if found and found[0][0] else None
    href = datasette.urls.path(f"-/marsad/article/{int(article_id)}") + f"?db={escape(database)}"
    head = (f'<a href="{escape(href)}" dir="{direction(title)}">{escape(title)}</a><br>' if title else
            f'<a href="{escape(href)}">article page</a><br>')
    return Markup(f'{head}<span class="marsad-url">{escape(url)}</span>')


def _cell(value: str, column: str, table: str, database: str, datasette):
    if column in ("diff", "versions_page") and value.startswith("/-/marsad/"):
        href = datasette.urls.path(value.lstrip("/")) + f"?db={escape(database)}"
        return Markup(f'<a href="{escape(href)}">{"open the diff" if column == "diff" else "open the article"}</a>')
    if column == "kind" and value in KIND_WORDS:
        return Markup(f'<span title="{escape(value)}">{escape(KIND_WORDS[value][0])}</span>')
    if column == "severity" and value in SEVERITY_WORDS:
        return Markup(f'<span class="marsad-sev marsad-sev-{escape(value)}">{escape(SEVERITY_WORDS[value])}</span>')
    if _time_column(column) and len(value) >= 16 and value[4:5] == "-" and value[10:11] == "T":
        return Markup(f'<time datetime="{escape(value)}" title="{escape(value)}">{escape(utc_label(value))}</time>')
    if column != "raw_html" and not value.startswith(("http://", "https://")) and direction(value) == "rtl":
        shown = value if len(value) <= RTL_CELL_LIMIT else value[:RTL_CELL_LIMIT] + "…"
        return Markup(f'<div dir="rtl" lang="ar">{escape(shown)}</div>')
    return None
