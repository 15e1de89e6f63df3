"""An Atom feed of changes, fed from the same records as the e-mails. Pure: entries in, XML out.

Each entry is one changed version (or a take-down): the one-line summary as its title, the rendered
diff (escaped HTML) as its content, the article as its link.
"""
from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from detector import render_html, summarize


def atom(entries: list[dict], *, feed_id: str, title: str = "marsad: changes", updated: str, self_url: str = "") -> str:
    """entries: dicts with id, url, site, title, at, lang, changes (detector Change objects)."""
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">',
           f"<id>{escape(feed_id)}</id>", f"<title>{escape(title)}</title>", f"<updated>{escape(updated)}</updated>",
           "<author><name>marsad</name></author>"]
    if self_url:
        out.append(f'<link rel="self" href={quoteattr(self_url)}/>')
    for e in entries:
        lang = e.get("lang") or "en"
        heading = f"{e.get('site') or ''}: {summarize(e['changes'])} — {e.get('title') or e['url']}".lstrip(": ")
        out += ["<entry>", f"<id>{escape(feed_id)}:{escape(str(e['id']))}</id>",
                f"<title>{escape(heading)}</title>", f"<updated>{escape(e['at'])}</updated>",
                f'<link rel="alternate" href={quoteattr(e["url"])}/>',
                f'<content type="html" xml:lang={quoteattr(lang)}>{escape(render_html(e["changes"], "en"))}</content>',
                "</entry>"]
    out.append("</feed>")
    return "\n".join(out)
