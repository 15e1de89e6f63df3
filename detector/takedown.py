"""Take-down evidence: the ways a story leaves a site, told apart.

A story is not only "404". Sites answer 410, redirect the URL to the home page or to a section, serve a
200 page that says "not found" (a soft 404) or a short notice where the article was, add `noindex` so
search engines forget it, or drop it from their feed or sitemap while it is still served. Each is a
`removed` change whose detail says which (`takedown`: one of KINDS) and what the evidence was (the
final URL, the phrase, the header). Pure: URLs, headers and bytes in, Change values and names out.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from .models import Change

# kind -> severity: the ones that hide a story still served are a signal, not (yet) a take-down.
KINDS = {
    "not_found": "high",         # HTTP 404
    "gone": "high",              # HTTP 410
    "redirect_home": "high",     # the URL now leads to the site's home page
    "redirect_section": "high",  # ... or to a section page
    "soft_404": "high",          # a 200 page that says it is not found (crawler/validity.toml, not_found)
    "body_vanished": "high",     # a 200 page whose article text gave way to a short take-down notice
    "noindex": "medium",         # meta robots / X-Robots-Tag `noindex` appeared
    "feed_dropout": "medium",    # no longer listed by a feed or sitemap that still lists its neighbours
}

# Home pages as sites write them; a language root ("/ar/", "/en-gb") is a home page too.
HOME_PATHS = ("/", "/index.html", "/index.htm", "/index.php", "/default.aspx", "/home", "/home/", "/ar", "/en")
LANGUAGE_ROOT = re.compile(r"^/[a-z]{2}(?:[-_][a-z]{2})?/?$", re.I)
SECTION_MIN_ARTICLE_DEPTH = 3    # a one-segment target counts as a section only from an article this deep

# A shrink to under this share of a text of at least this many characters, on a page the validity gate
# let through (it carries a take-down sign; crawler/validity.toml's shrink_ratio/take_down), is the body
# giving way to a notice.
VANISHED_RATIO = 0.25
VANISHED_MIN_CHARS = 500


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def redirect_kind(url: str, final_url: str | None) -> str | None:
    """"redirect_home" / "redirect_section" when a redirect took `url` to the site's home page or to a
    section page (a path the article's path lies under, or a one-segment path from a deep article
    URL), else None (a slug change, a trailing slash, http → https are not take-downs)."""
    if not final_url or final_url == url:
        return None
    try:
        a, b = urlsplit(url), urlsplit(final_url)
    except ValueError:
        return None
    path = b.path or "/"
    if _segments(a.path) == _segments(b.path):
        return None
    if path.lower() in HOME_PATHS or LANGUAGE_ROOT.match(path):
        return "redirect_home"
    sa, sb = _segments(a.path), _segments(b.path)
    if b.query:
        return None                     # a search, a login or a paywall with a return address: not a section
    if sb and len(sb) < len(sa) and sa[:len(sb)] == sb:
        return "redirect_section"
    if len(sb) == 1 and len(sa) >= SECTION_MIN_ARTICLE_DEPTH:
        return "redirect_section"
    return None


_META = re.compile(rb"<meta\b[^>]*>", re.I)
_ROBOTS_NAME = re.compile(rb"""\bname\s*=\s*["']?\s*(?:robots|googlebot|googlebot-news|bingbot)\b""", re.I)
_CONTENT = re.compile(rb"""\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_NOINDEX = re.compile(r"(?:^|[\s,:])(?:noindex|none)(?:$|[\s,])", re.I)
HEAD_BYTES = 262_144             # robots meta tags sit in the head; a page's first 256 KB hold it


def noindex(headers: dict | None, body: bytes | None) -> str:
    """Where the page asks search engines not to index it: "header" (X-Robots-Tag), "meta" (a robots
    meta tag), "header, meta", or "" (it does not)."""
    found = []
    for k, v in (headers or {}).items():
        if str(k).lower() == "x-robots-tag" and _NOINDEX.search(v if isinstance(v, str) else v.decode("latin-1")):
            found.append("header")
            break
    head = (body or b"")[:HEAD_BYTES]
    end = head.lower().find(b"</head>")
    for m in _META.finditer(head if end < 0 else head[:end]):
        tag = m.group(0)
        c = _CONTENT.search(tag)
        if _ROBOTS_NAME.search(tag) and c and _NOINDEX.search(next(g for g in c.groups() if g is not None)
                                                              .decode("latin-1")):
            found.append("meta")
            break
    return ", ".join(found)


def body_vanished(previous_chars: int, current_chars: int) -> bool:
    return previous_chars >= VANISHED_MIN_CHARS and current_chars < VANISHED_RATIO * previous_chars


def takedown_change(kind: str, status: int | None = None, policy=None, **detail) -> Change:
    """The `removed` change of one take-down kind; `detail` holds its evidence."""
    severity = KINDS[kind]
    if policy is not None and "removed" in getattr(policy, "severity", {}):
        severity = policy.severity["removed"]
    return Change("removed", "url", None, status, severity, {"takedown": kind, **detail})


def kind_of(change: Change) -> str:
    """The take-down kind of a `removed` change; changes stored before kinds existed were HTTP 404/410."""
    return change.detail.get("takedown") or ("gone" if change.new in (410, "410") else "not_found")
