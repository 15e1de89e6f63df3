"""Plain news pages for the evidence states (tests, `marsad demo`): a story, a home page, a feed.

A story prints its headline, its publication and update stamps (visible and in the meta tags the
extractors read), its paragraphs, and optionally a robots meta tag, so a test can make a silent edit
(change the text, keep the stamp), a re-stamp (move the stamp, keep the text), a `noindex`, a soft 404
or a headline test by calling these with other values. Served by DemoSite's `pages`.
"""
from __future__ import annotations

from html import escape


def story_page(title: str, paragraphs, *, published: str, updated: str | None = None, robots: str | None = None,
               lang: str = "en", site_name: str = "The Local Desk") -> bytes:
    """One article page. `published`/`updated`: ISO 8601 UTC ("2026-12-02T09:00:00Z")."""
    rtl = lang == "ar"
    meta = [f'<meta property="article:published_time" content="{published}">']
    shown = [f'<time class="published" datetime="{published}">Published {published[:10]} {published[11:16]} GMT</time>']
    if updated:
        meta.append(f'<meta property="article:modified_time" content="{updated}">')
        shown.append(f'<time class="updated" datetime="{updated}">Updated {updated[:10]} {updated[11:16]} GMT</time>')
    if robots:
        meta.append(f'<meta name="robots" content="{escape(robots)}">')
    body = "".join(f"<p>{escape(p)}</p>\n" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{lang}" dir="{'rtl' if rtl else 'ltr'}">
<head><meta charset="utf-8"><title>{escape(title)} | {escape(site_name)}</title>
<meta property="og:title" content="{escape(title)}">
{chr(10).join(meta)}
</head>
<body><header><a href="/">{escape(site_name)}</a> <nav><a href="/news/">News</a> <a href="/world/">World</a></nav></header>
<main><article>
<h1>{escape(title)}</h1>
<div class="meta">{' · '.join(shown)}</div>
<div class="entry-content">
{body}</div>
</article></main>
<footer>© {escape(site_name)}</footer>
</body></html>
""".encode("utf-8")


def not_found_page(site_name: str = "The Local Desk") -> bytes:
    """What many CMSs serve with status 200 when a story is gone: a soft 404."""
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Page not found | {escape(site_name)}</title></head>
<body><header><a href="/">{escape(site_name)}</a></header><main><h1>Page not found</h1>
<p>Sorry, we could not find that page.</p></main></body></html>""".encode("utf-8")


def home_page(links, site_name: str = "The Local Desk") -> bytes:
    """A home or section page: a list of links to stories, (path, headline) pairs."""
    items = "".join(f'<li><a href="{escape(p)}">{escape(t)}</a></li>' for p, t in links)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(site_name)}</title></head>
<body><header><h1>{escape(site_name)}</h1></header><main><ul class="latest">{items}</ul></main></body></html>""".encode()


def rss(base_url: str, items, site_name: str = "The Local Desk") -> bytes:
    """An RSS 2.0 feed of (path, headline) pairs, newest first."""
    entries = "".join(f"<item><title>{escape(t)}</title><link>{base_url}{escape(p)}</link></item>" for p, t in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{escape(site_name)}</title>'
            f"<link>{base_url}/</link>{entries}</channel></rss>").encode("utf-8")
