"""An Atom feed of changes, fed from the same records as the e-mails. Pure: entries in, XML out.

Each entry is one changed version (or a take-down): the one-line summary as its title, the rendered
diff (escaped HTML) as its content, the article as its link.

Every text comes from pages marsad does not control, and XML 1.0 forbids some characters outright
(most C0 controls, lone surrogates, U+FFFE/U+FFFF) even when escaped: one of them in one headline would
make the whole feed unreadable. `xml_text` drops them from every text and attribute before escaping.
"""
from __future__ import annotations

import re
from xml.sax.saxutils import escape as _escape, quoteattr as _quoteattr

from detector import render_html, summarize

# The complement of XML 1.0's Char production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
XML_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value) -> str:
    """`value` as a string XML 1.0 can carry: forbidden characters removed (None is "")."""
    return XML_FORBIDDEN.sub("", "" if value is None else str(value))


# Allowed in XML but obeyed by terminals (DEL, C1 controls): written as character references, the same
# text to a feed reader, inert when `marsad feed` prints to a terminal.
_TERMINAL_CONTROLS = re.compile("[\x7f-\x9f]")


def _refs(text: str) -> str:
    return _TERMINAL_CONTROLS.sub(lambda m: f"&#x{ord(m.group()):x};", text)


def escape(value) -> str:
    return _refs(_escape(xml_text(value)))


def quoteattr(value) -> str:
    return _refs(_quoteattr(xml_text(value)))


def atom(entries: list[dict], *, feed_id: str, title: str = "marsad: changes", updated: str, self_url: str = "",
         home_url: str = "") -> str:
    """entries: dicts with id, url, site, title, at, lang, changes (detector Change objects), and
    optionally link: where a reader opens the entry (the article's page in `marsad serve`; the
    article itself is then linked as "related"). home_url: the front page, the feed's own alternate."""
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">',
           f"<id>{escape(feed_id)}</id>", f"<title>{escape(title)}</title>", f"<updated>{escape(updated)}</updated>",
           "<author><name>marsad</name></author>"]
    if self_url:
        out.append(f'<link rel="self" type="application/atom+xml" href={quoteattr(self_url)}/>')
    if home_url:
        out.append(f'<link rel="alternate" type="text/html" href={quoteattr(home_url)}/>')
    for e in entries:
        lang = e.get("lang") or "en"
        heading = f"{e.get('site') or ''}: {summarize(e['changes'])} — {e.get('title') or e['url']}".lstrip(": ")
        out += ["<entry>", f"<id>{escape(feed_id)}:{escape(e['id'])}</id>",
                f"<title>{escape(heading)}</title>", f"<updated>{escape(e['at'])}</updated>",
                f'<link rel="alternate" href={quoteattr(e.get("link") or e["url"])}/>',
                *([f'<link rel="related" href={quoteattr(e["url"])}/>'] if e.get("link") else []),
                f'<content type="html" xml:lang={quoteattr(lang)}>{escape(render_html(e["changes"], "en"))}</content>',
                "</entry>"]
    out.append("</feed>")
    return "\n".join(out)
