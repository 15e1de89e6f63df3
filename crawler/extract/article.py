"""HTML bytes -> Article. Pure: the URL and the fetch time are arguments; nothing is fetched or stored.

One lxml parse serves every field. Each is read from the most trusted source that has it: the site
profile's selectors first, then the page's own markup:
  title    titles.py (JSON-LD headline, og:title, the article's <h1>; never the site's name)
  text     body.py (the profile's body selector, or trafilatura chosen per page; noise filtered)
  stamps   stamps.py (JSON-LD, meta, microdata, <time>, labelled printed stamps, htmldate)
  byline   bylines.py (JSON-LD authors, rel=author, byline blocks, meta author)
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector

from detector import Article, find_figures
from detector.normalize import clean_space, loose

from . import meta_keys as K
from .body import generic_paragraphs, profile_paragraphs
from .bylines import clean_byline, find_byline, site_names
from .dates import Stamp
from .encoding import NotHTML, decode
from .profiles import Profile, profile_for
from .stamps import find_stamps, visible_stamps
from .titles import _SEP as _TITLE_SEP
from .titles import find_title

_ITEM_TYPE = etree.XPath("ancestor::*[@itemscope][1]/@itemtype")
_JSONLD_SCRIPTS = etree.XPath('//script[@type="application/ld+json"]')
_AR = re.compile(r"[\u0600-\u06ff]")
_LATIN = re.compile(r"[A-Za-z]")
# Kept for tests that compare the stamp reader with its first version (tests/test_detector_speed.py).
_MAYBE_STAMP = re.compile(r"\d|[٠-٩۰-۹]|منذ|قبل|\bago\b", re.IGNORECASE)
_visible_stamps = visible_stamps
# English regions that print day-first slash dates; any other English page (and "en" alone, as most
# American outlets declare it) is read month-first. Every other language is day-first.
_DAY_FIRST_EN = {"gb", "uk", "ie", "au", "nz", "in", "za", "pk", "ng", "ke", "sg", "my", "ae", "sa", "qa",
                 "eg", "jo", "lb", "kw", "bh", "om"}


class ExtractionError(ValueError):
    """The page cannot be read as an article (empty, binary, not HTML)."""


def parse_html(text: str):
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)       # lxml refuses str input with an encoding declaration
    if not text.strip():
        raise ExtractionError("the page is empty")
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as e:
        raise ExtractionError(f"the page is not parseable HTML: {e}") from e


@dataclass(frozen=True)
class Page:
    """A fetched body decoded and parsed once: the CPU step hashes its fingerprint (crawler/fingerprint.py)
    and, when that moved, extracts from the same tree. Nothing here changes the tree."""

    text: str           # the decoded HTML (trafilatura and htmldate read the text)
    tree: object        # lxml.html's document


def parse_page(body: bytes, content_type: str | None = None) -> Page:
    """Decode (BOM, header, meta, detection) and parse; raises ExtractionError."""
    try:
        html_text, _ = decode(body, content_type)
    except NotHTML as e:
        raise ExtractionError(str(e)) from e
    return Page(html_text, parse_html(html_text))


@lru_cache(maxsize=512)
def _selector(selector: str) -> CSSSelector | None:
    """A profile's CSS selector, translated to XPath and compiled once; None when it does not parse."""
    try:
        return CSSSelector(selector, translator="html")
    except Exception:
        return None


def _css(tree, selector: str):
    compiled = _selector(selector)
    if compiled is None:
        return []
    try:
        return compiled(tree)
    except Exception:
        return []


def _first_text(tree, selectors) -> str | None:
    for sel in selectors:
        for el in _css(tree, sel):
            t = clean_space(str(el.text_content()))
            if t:
                return t
    return None


def _foreign_item(el) -> bool:
    """True when a microdata property belongs to an item that is not the article (a video, an offer...)."""
    scope = _ITEM_TYPE(el)
    return bool(scope) and not any(t in str(scope[0]).lower() for t in ("article", "posting", "webpage", "report"))


def _meta(tree) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in tree.iter("meta"):
        if m.get("itemprop") and not (m.get("property") or m.get("name")) and _foreign_item(m):
            continue
        key = m.get("property") or m.get("name") or m.get("itemprop") or m.get("http-equiv")
        val = m.get("content")
        if key and val and key.strip().lower() not in out:
            out[key.strip().lower()] = val.strip()
    return out


SITE_TYPES = {"website", "organization", "newsmediaorganization"}


def _walk_jsonld(node, out, sites=None):
    if isinstance(node, list):
        for n in node:
            _walk_jsonld(n, out, sites)
    elif isinstance(node, dict):
        types = node.get("@type")
        types = [types] if isinstance(types, str) else (types or [])
        if any(str(t).lower() in K.ARTICLE_TYPES for t in types):
            out.append(node)
        elif sites is not None and any(str(t).lower() in SITE_TYPES for t in types):
            sites.append(node)
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if key in node:
                _walk_jsonld(node[key], out, sites)


def _jsonld(tree, sites: list | None = None) -> list[dict]:
    """The page's JSON-LD article objects (articles before generic WebPage objects); WebSite and
    Organization objects go into `sites` when given (they name the outlet)."""
    found: list[dict] = []
    for s in _JSONLD_SCRIPTS(tree):
        raw = (s.text or "").strip().rstrip(";")
        try:
            _walk_jsonld(json.loads(raw), found, sites)
        except (json.JSONDecodeError, RecursionError):
            continue                                           # broken JSON-LD is common; skip it
    return sorted(found, key=lambda o: str(o.get("@type")).lower() == "webpage")


def _jsonld_value(objs, key):
    for o in objs:
        v = o.get(key)
        if isinstance(v, list) and v:
            v = v[0]
        if isinstance(v, dict):
            v = v.get("name") or v.get("@value")
        if isinstance(v, str) and v.strip():
            return v.strip()
    return None


def _lang(tree, meta, text: str, profile) -> str | None:
    lang = (tree.get("lang") or meta.get("og:locale") or meta.get("content-language") or "").strip()
    if lang:
        return lang.replace("_", "-").split("-")[0].lower()
    if profile and profile.lang:
        return profile.lang
    ar, lat = len(_AR.findall(text[:5000])), len(_LATIN.findall(text[:5000]))
    if ar or lat:
        return "ar" if ar >= lat else "en"
    return None


def month_first(tree, meta, profile) -> bool:
    """Whether an ambiguous slash date on this page is month/day/year: the profile says so
    (date_order = "mdy"), or the page is English from a region that writes dates that way."""
    if profile and profile.date_order:
        return profile.date_order == "mdy"
    tag = (tree.get("lang") or meta.get("og:locale") or meta.get("content-language") or
           (profile.lang if profile else "") or "").strip().replace("_", "-").lower()
    parts = tag.split("-")
    if parts[0] != "en":
        return False
    return len(parts) < 2 or parts[1] not in _DAY_FIRST_EN


def _first_value(tree, selectors) -> str | None:
    """A stamp element's machine value (datetime=, content=) when it has one, else its text."""
    for sel in selectors:
        for el in _css(tree, sel):
            v = el.get("datetime") or el.get("content") or clean_space(str(el.text_content()))
            if v:
                return v
    return None


def _stamps(tree, meta, ld, profile, now: str | None, html_text: str | None = None,
            url: str | None = None) -> dict[str, Stamp | None]:
    profile_values = {k: _first_value(tree, profile.select(k)) for k in ("published", "updated")} if profile else None
    return find_stamps(tree, meta, lambda key: _jsonld_value(ld, key), profile_values,
                       profile.timezone if profile else None, now, month_first(tree, meta, profile),
                       html_text, url)


HEAD_LINES = 4     # the headline and byline lines repeat at the top of the body, within this many lines


def _heading_keys(title: str | None) -> set[str]:
    """Loose forms of what prints the headline at the top of the body: the title, and each part of a
    title joined with a site name ("Site - Headline", "Headline | Site"): a table layout prints the
    headline and the site's banner in cells of their own, and the title keeps both."""
    if not title:
        return set()
    parts = [p for p in _TITLE_SEP.split(clean_space(title)) if p.strip()]
    return {k for k in (loose(title), *(loose(p) for p in parts if len(parts) > 1)) if k}


def _without_heading_lines(paras: list[str], title: str | None, byline: str | None) -> list[str]:
    """The body without the headline (or a part of the title: the site's banner, the headline alone)
    and the byline line ("By Jane Doe", "بقلم: محمد علي") at its top."""
    drop = set()
    heading = _heading_keys(title)
    for i, p in enumerate(paras[:HEAD_LINES]):
        key = loose(p)
        if key in heading:
            drop.add(i)
        elif byline and len(p) <= 2 * len(byline) + 20 and (key == loose(byline) or loose(clean_byline(p) or "") == loose(byline)):
            drop.add(i)
    return [p for i, p in enumerate(paras) if i not in drop]


def extract_stamps(body: bytes, url: str | None = None, fetched_at: str | None = None,
                   content_type: str | None = None) -> dict[str, Stamp | None]:
    """Only the stamps, each with its UTC instant and the calendar day as printed (for benchmarks)."""
    html_text, _ = decode(body, content_type)
    tree = parse_html(html_text)
    return _stamps(tree, _meta(tree), _jsonld(tree), profile_for(url), fetched_at, html_text, url)


def extract(body: bytes, url: str | None = None, fetched_at: str | None = None,
            content_type: str | None = None, profile: Profile | None = None, page: Page | None = None) -> Article:
    """Read one fetched page. `fetched_at` (UTC ISO) resolves relative stamps; raises ExtractionError.
    `page`: the body already parsed by parse_page() (the CPU step parses once for fingerprint and text)."""
    page = page or parse_page(body, content_type)
    html_text, tree = page.text, page.tree
    profile = profile or profile_for(url)
    site_objs: list[dict] = []
    meta, ld = _meta(tree), _jsonld(tree, site_objs)
    sites = site_names(meta, ld, ld + site_objs)
    title = find_title(tree, meta, _jsonld_value(ld, "headline"),
                       profile and _first_text(tree, profile.select("title")), sites)
    paras = profile_paragraphs(tree, profile, _css, sites) if profile else None
    if paras is None:
        paras = generic_paragraphs(tree, html_text, url, sites)
    byline = find_byline(tree, meta, ld, profile and _first_text(tree, profile.select("byline")), sites)
    paras = _without_heading_lines(paras, title, byline)
    text = "\n\n".join(paras)
    stamps = _stamps(tree, meta, ld, profile, fetched_at, html_text, url)
    published, updated = (stamps[k].utc if stamps[k] else None for k in ("published", "updated"))
    live = any("liveblogposting" in str(o.get("@type")).lower() for o in ld)
    return Article(url=url or "", title=title, text=text, published_at=published, updated_at=updated,
                   byline=byline, lang=_lang(tree, meta, text, profile),
                   figures=find_figures(title, text), live=live,
                   updated_precision_s=stamps["updated"].precision_s if stamps["updated"] else None)
