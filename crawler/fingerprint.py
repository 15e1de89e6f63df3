"""A page's article fingerprint: a hash of what the extractors can read, without the page's furniture.

Most news pages never come back byte-identical: a CSRF token, an ad slot's id, a rotating "most read"
box or a cache-buster differ on every fetch while the article stays the same. Extracting such a page
costs tens of CPU milliseconds (trafilatura's tree pruning, date search); this fingerprint costs one walk of
the tree the extraction would read (crawler.extract.parse_page: the body is decoded and parsed once for
both). When it equals the last good fetch's, the article cannot have changed,
and the check is `unchanged` without extraction or comparison (crawler/analyze.py).

What it covers is a superset of the extractors' inputs, so that equal fingerprints mean equal articles:
  - every visible text (text and tails, whitespace collapsed), the <title> included;
  - every <meta> value, except names that are per-request by design (VOLATILE_META: CSRF tokens, nonces,
    request ids);
  - JSON-LD scripts whole (other scripts, styles and templates are code, not text);
  - date-like attributes (`datetime`, `data-*time*`, `data-*date*`, `data-*epoch*`...), where stamps hide.
What it leaves out is link lists outside the page's main text: a block of three or more links whose
text is mostly link text (navigation, "most read", "related", footers) — unless it sits inside the
element that holds most of the page's paragraph text, where a list may be the article itself.

Anything else that moves (a view counter, a clock in the header, a relative "3 min ago") moves the
fingerprint, and the page is extracted as before: a fingerprint can cost an extraction, never a change.
The algorithm's version is part of the value, so a changed rule can never match an old fingerprint.
"""
from __future__ import annotations

import hashlib
import re

from .extract import ExtractionError, parse_page

VERSION = "f2"         # f2: read from the tree extraction uses (marsad's decoding, comments kept as nodes)
# <meta name|property|http-equiv> values that a server makes anew for every request.
VOLATILE_META = re.compile(r"csrf|xsrf|token|nonce|request[-_]?id|session|captcha|turbo|cache[-_]?bust", re.I)
DATE_ATTRIBUTE = re.compile(r"^(?:datetime|content|data-[\w-]*(?:time|date|epoch|stamp|published|updated|modified)"
                            r"[\w-]*)$", re.I)
SKIP_TEXT = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "object", "canvas"})
LIST_MIN_LINKS = 3          # fewer links is a byline or a sentence with links, not a list of links
LIST_LINK_SHARE = 0.8       # the share of a block's text inside links that makes it a link list


def fingerprint(body: bytes, content_type: str | None = None) -> str | None:
    """The fingerprint of a page, or None when it cannot be parsed (then the page is extracted)."""
    try:
        page = parse_page(body, content_type)
    except ExtractionError:
        return None
    return fingerprint_tree(page.tree)


def fingerprint_tree(root) -> str | None:
    """The fingerprint of a page parsed by crawler.extract.parse_page: the CPU step parses a body once,
    hashes this, and extracts from the same tree only when it moved (the walk changes nothing)."""
    if root is None:
        return None
    try:
        pieces = _pieces(root)
    except RecursionError:           # deeper than Python's stack: the validity gate refuses such pages
        return None
    h = hashlib.blake2b(digest_size=16)
    for p in pieces:
        h.update(p.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return f"{VERSION}:{h.hexdigest()}"


def _norm(s: str | None) -> str:
    return " ".join(s.split()) if s else ""


def _pieces(root) -> list[str]:
    """The text pieces of the page in document order, link lists outside the main text left out.

    One recursive walk: each element's pieces are a contiguous range of the list, so nesting is range
    containment. When an element is done its totals are known (text chars, chars inside links, links);
    link lists are remembered as ranges and dropped at the end unless they overlap the range of the main
    text's container (the element whose direct <p> children hold the most text).
    """
    pieces: list[str] = []
    lists: list[tuple[int, int]] = []
    main = [0, 0, 0]                  # paragraph chars, start, end
    append = pieces.append

    def text(t: str | None, in_link: bool) -> tuple[int, int]:
        t = " ".join(t.split()) if t else ""
        if not t:
            return 0, 0
        append(t)
        return len(t), len(t) if in_link else 0

    def walk(el, in_link: bool) -> tuple[int, int, int]:
        """(text chars, chars inside links, links) of an element."""
        tag = el.tag
        if not isinstance(tag, str):
            return 0, 0, 0
        if tag == "meta":
            name = el.get("name") or el.get("property") or el.get("http-equiv") or el.get("itemprop") or ""
            if not VOLATILE_META.search(name):
                append(f"meta {name}={_norm(el.get('content'))}")
            return 0, 0, 0
        start = len(pieces)
        if el.attrib:
            for k in el.keys():
                if (k == "datetime" or k == "content" or k[:5] == "data-") and DATE_ATTRIBUTE.match(k):
                    append(f"@{k}={_norm(el.get(k))}")
        if tag == "script":
            if "ld+json" in (el.get("type") or "").lower():
                append(_norm(el.text))
            return 0, 0, 0
        if tag in SKIP_TEXT:
            return 0, 0, 0
        is_link = tag == "a"
        in_link = in_link or is_link
        chars, link_chars = text(el.text, in_link)
        links = p_chars = 0
        for child in el:
            c, lc, n = walk(child, in_link)
            chars, link_chars, links = chars + c, link_chars + lc, links + n
            if c and child.tag == "p":
                p_chars += c
            c, lc = text(child.tail, in_link)
            chars, link_chars = chars + c, link_chars + lc
        links += is_link
        if links >= LIST_MIN_LINKS and chars and link_chars >= LIST_LINK_SHARE * chars:
            lists.append((start, len(pieces)))
        if p_chars > main[0]:
            main[:] = [p_chars, start, len(pieces)]
        return chars, link_chars, links

    walk(root, False)
    if not lists:
        return pieces
    drop = bytearray(len(pieces))
    for a, b in lists:
        if b <= main[1] or a >= main[2]:         # disjoint from the main text's container
            drop[a:b] = b"\x01" * (b - a)
    return [p for p, d in zip(pieces, drop) if not d]
