"""HTML bytes -> Article. Pure: the URL and the fetch time are arguments; nothing is fetched or stored.

Each field is read from the most trusted source that has it: the site profile's selectors, then JSON-LD,
then meta tags, then <time> elements, then visible phrases ("تم التحديث: ... بتوقيت غرينتش"); the main
text comes from the profile's body selector or, without one, from trafilatura.
"""
from __future__ import annotations

import copy
import json
import re
import warnings
from functools import lru_cache

import htmldate
import lxml.html
import trafilatura
from lxml import etree
from lxml.cssselect import CSSSelector

from detector import Article, find_figures
from detector.normalize import clean_space

from . import meta_keys as K
from .dates import Stamp, label_of, read_iso, read_phrase
from .encoding import NotHTML, decode
from .profiles import Profile, profile_for

BLOCKS = {"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd"}
# XPath expressions compiled once (element.xpath(string) compiles its expression again on every call).
_NOT_ARTICLE = etree.XPath(K.NOT_ARTICLE_XPATH)
_ITEM_TYPE = etree.XPath("ancestor::*[@itemscope][1]/@itemtype")
_JSONLD_SCRIPTS = etree.XPath('//script[@type="application/ld+json"]')
_BODY_TEXTS = etree.XPath("//body//text()[string-length(normalize-space()) > 3]")
_AR = re.compile(r"[\u0600-\u06ff]")
_LATIN = re.compile(r"[A-Za-z]")


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


def _walk_jsonld(node, out):
    if isinstance(node, list):
        for n in node:
            _walk_jsonld(n, out)
    elif isinstance(node, dict):
        types = node.get("@type")
        types = [types] if isinstance(types, str) else (types or [])
        if any(str(t).lower() in K.ARTICLE_TYPES for t in types):
            out.append(node)
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if key in node:
                _walk_jsonld(node[key], out)


def _jsonld(tree) -> list[dict]:
    found: list[dict] = []
    for s in _JSONLD_SCRIPTS(tree):
        raw = (s.text or "").strip().rstrip(";")
        try:
            _walk_jsonld(json.loads(raw), found)
        except (json.JSONDecodeError, RecursionError):
            continue                                           # broken JSON-LD is common; skip it
    # articles before generic WebPage objects
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


def _time_elements(tree):
    """(kind, stamp-text) of <time> elements outside page chrome: 'published', 'updated' or None."""
    out = []
    for t in tree.iter("time"):
        if _NOT_ARTICLE(t):
            continue
        hint = " ".join(filter(None, [t.get("class"), t.get("itemprop"), (t.getparent().get("class") if t.getparent() is not None else None)])).lower()
        kind = "updated" if re.search(r"updat|modif", hint) else "published" if re.search(r"publish|pub|date", hint) else None
        out.append((kind, t.get("datetime") or clean_space(t.text_content())))
    return out


# Cheap pre-filter before the label parser: a digit, or a relative-time word ("منذ ساعتين", "an hour ago").
_MAYBE_STAMP = re.compile(r"\d|[٠-٩۰-۹]|منذ|قبل|\bago\b", re.IGNORECASE)


def _visible_stamps(tree, zone, now=None) -> dict[str, Stamp]:
    """Stamps printed on the page with a label: 'تم النشر: ...', 'Updated ...'."""
    found: dict[str, str] = {}
    texts: dict = {}               # parent element -> its text_content(): many text nodes share a parent
    chunks: dict = {}              # parent element -> clean_space of it
    kinds: dict = {}               # parent element -> label_of its chunk
    for node in _BODY_TEXTS(tree):
        s = str(node)
        parent = node.getparent()
        while parent is not None and not isinstance(parent.tag, str):   # tail text of a comment
            parent = parent.getparent()
        if parent is None or parent.tag in ("script", "style"):
            continue
        if len(s) < 12:
            if (content := texts.get(parent)) is None:
                content = texts[parent] = parent.text_content()
            if not _MAYBE_STAMP.search(content[:200]):
                continue
        elif not _MAYBE_STAMP.search(s):
            continue
        if (chunk := chunks.get(parent)) is None:
            if (content := texts.get(parent)) is None:
                content = texts[parent] = parent.text_content()
            chunk = chunks[parent] = clean_space(content)
        if len(chunk) > 160:
            continue
        if (kind := kinds.get(parent, "")) == "":
            kind = kinds[parent] = label_of(chunk)   # before the costlier region test: no new label, no use
        if not kind or kind in found or _NOT_ARTICLE(parent):
            continue
        stamp = read_phrase(chunk, zone, now)
        if stamp:
            found[kind] = stamp
        if len(found) == 2:
            break
    return found


LINK_DENSITY = 0.8   # a block whose text is mostly link text is a related-stories list, not prose


def _mostly_links(el) -> bool:
    text = len(clean_space(str(el.text_content())))
    if not text:
        return False
    links = sum(len(clean_space(str(a.text_content()))) for a in el.iter("a"))
    return links / text >= LINK_DENSITY or clean_space(str(el.text_content())).rstrip(":：") in MORE_LABELS


MORE_LABELS = {"More", "Read more", "Related", "Also read", "اقرأ أيضا", "اقرأ أيضاً", "اقرأ المزيد", "المزيد",
               "تحميل المزيد", "ذات صلة", "مواضيع ذات صلة"}


def _body_paragraphs(tree, profile: Profile) -> list[str] | None:
    """Paragraphs of every element the first matching body selector finds (some templates split the
    body into many blocks), minus the profile's noise; None when no selector matches."""
    for sel in profile.select("body"):
        els = _css(tree, sel)
        els = [e for e in els if not any(a in els for a in e.iterancestors())]
        if not els:
            continue
        paras = []
        for found in els:
            body = copy.deepcopy(found)
            for drop in profile.select("drop"):
                for el in _css(body, drop):
                    el.drop_tree()
            blocks = [el for el in body.iter() if el.tag in BLOCKS
                      and not any(a.tag in BLOCKS for a in el.iterancestors() if a is not body)]
            if body.tag in BLOCKS:
                blocks = [body]
            texts = [clean_space(str(el.text_content())) for el in blocks if not _mostly_links(el)]
            if not blocks:
                texts = [clean_space(x) for x in str(body.text_content()).split("\n")]
            paras += [t for t in texts if t]
        if paras:
            return paras
    return None


def _generic_paragraphs(html_text: str, url: str | None) -> list[str]:
    """trafilatura in precision mode: it drops teaser, rotator and related-story blocks that its default
    mode keeps (on the corpora: 2 false alerts on 96 unchanged pairs instead of 5, body F1 0.957 vs 0.959).

    It parses the text itself. Handing it our tree instead (stripped of comments, which its parser drops)
    gives the same tree, but trafilatura copies any tree it is given, and on the corpora the copy cost
    what the parse did: measured, no gain, so not done (README.md, "Where the CPU goes")."""
    out = trafilatura.extract(html_text, url=url, output_format="txt", include_comments=False,
                              include_tables=False, deduplicate=False, favor_precision=True)
    lines = (clean_space(line) for line in (out or "").split("\n"))
    return [line for line in lines if line and line.rstrip(":：") not in MORE_LABELS]


_TITLE_SUFFIX = re.compile(r"\s+[|\-–—:]\s+[^|\-–—:]{2,40}$")


def _title(tree, meta, ld, profile) -> str | None:
    if profile and (t := _first_text(tree, profile.select("title"))):
        return t
    t = _jsonld_value(ld, "headline") or next((meta[k] for k in K.TITLE_META if meta.get(k)), None)
    if t:
        return clean_space(t)
    t = _first_text(tree, ["article h1", "h1"])
    if t:
        return t
    title = tree.findtext(".//title")
    return _TITLE_SUFFIX.sub("", clean_space(title)) if title and title.strip() else None


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


def _refines(have: Stamp, new: Stamp) -> bool:
    """A precise stamp replaces a date-only one of the same printed day."""
    return len(have.utc) == 10 and len(new.utc) > 10 and have.local_day == new.local_day


def _first_value(tree, selectors) -> str | None:
    """A stamp element's machine value (datetime=, content=) when it has one, else its text."""
    for sel in selectors:
        for el in _css(tree, sel):
            v = el.get("datetime") or el.get("content") or clean_space(str(el.text_content()))
            if v:
                return v
    return None


def _htmldate_day(html_text: str, url: str | None) -> Stamp | None:
    """Last resort for the published day: htmldate's heuristics (URL, scattered markup, text patterns).
    Day precision only, so the stamp is a date-only ISO value ("2020-10-07"): no invented time."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            day = htmldate.find_date(html_text, original_date=True, extensive_search=True, url=url,
                                     outputformat="%Y-%m-%d")
    except Exception:          # htmldate is a heuristic helper; its failure must not fail extraction
        return None
    return Stamp(day, day) if day else None


def _stamps(tree, meta, ld, profile, now: str | None, html_text: str | None = None,
            url: str | None = None) -> dict[str, Stamp | None]:
    """published/updated from the most trusted source that has each (see the module docstring)."""
    zone = profile.timezone if profile else None

    def either(v):
        return (read_iso(v, zone) if v and re.match(r"\s*\d{4}-\d{2}-\d{2}", v) else None) or \
            (read_phrase(v, zone, now) if v else None)

    kinds = ("published", "updated")
    found: dict[str, Stamp | None] = {k: None for k in kinds}
    sources = []
    if profile:
        sources.append({k: either(_first_value(tree, profile.select(k))) for k in kinds})
    sources.append({"published": read_iso(_jsonld_value(ld, "datePublished"), zone),
                    "updated": read_iso(_jsonld_value(ld, "dateModified"), zone)})
    sources.append({"published": next((v for k in K.PUBLISHED_META if (v := read_iso(meta.get(k), zone))), None),
                    "updated": next((v for k in K.UPDATED_META if (v := read_iso(meta.get(k), zone))), None)})
    times = _time_elements(tree)
    sources.append({k: next((st for kind, v in times if kind == k and (st := either(v))), None) for k in kinds})
    for source in sources:
        for k, v in source.items():
            if v and (not found[k] or _refines(found[k], v)):
                found[k] = v
    if not found["published"] or not found["updated"]:
        for k, v in _visible_stamps(tree, zone, now).items():
            found[k] = found[k] or v
    if not found["published"]:
        found["published"] = next((st for kind, v in times if kind is None and (st := either(v))), None)
    if not found["published"] and html_text is not None:
        found["published"] = _htmldate_day(html_text, url)
    pub, upd = found["published"], found["updated"]
    if pub and upd and upd.utc < pub.utc:
        found["updated"] = None        # an updated stamp before publication is a template's, not the story's
    return found


def extract_stamps(body: bytes, url: str | None = None, fetched_at: str | None = None,
                   content_type: str | None = None) -> dict[str, Stamp | None]:
    """Only the stamps, each with its UTC instant and the calendar day as printed (for benchmarks)."""
    html_text, _ = decode(body, content_type)
    tree = parse_html(html_text)
    return _stamps(tree, _meta(tree), _jsonld(tree), profile_for(url), fetched_at, html_text, url)


def extract(body: bytes, url: str | None = None, fetched_at: str | None = None,
            content_type: str | None = None, profile: Profile | None = None) -> Article:
    """Read one fetched page. `fetched_at` (UTC ISO) resolves relative stamps; raises ExtractionError."""
    try:
        html_text, _ = decode(body, content_type)
    except NotHTML as e:
        raise ExtractionError(str(e)) from e
    tree = parse_html(html_text)
    profile = profile or profile_for(url)
    meta, ld = _meta(tree), _jsonld(tree)
    title = _title(tree, meta, ld, profile)
    paras = (_body_paragraphs(tree, profile) if profile else None)
    if paras is None:
        paras = _generic_paragraphs(html_text, url)
    if title and paras and clean_space(paras[0]) == title:
        paras = paras[1:]
    text = "\n\n".join(paras)
    stamps = _stamps(tree, meta, ld, profile, fetched_at, html_text, url)
    published, updated = (stamps[k].utc if stamps[k] else None for k in ("published", "updated"))
    byline = (profile and _first_text(tree, profile.select("byline"))) or _jsonld_value(ld, "author") \
        or next((meta[k] for k in K.AUTHOR_META if meta.get(k) and not meta[k].startswith("http")), None)
    live = any("liveblogposting" in str(o.get("@type")).lower() for o in ld)
    return Article(url=url or "", title=title, text=text, published_at=published, updated_at=updated,
                   byline=clean_space(byline) if byline else None, lang=_lang(tree, meta, text, profile),
                   figures=find_figures(title, text), live=live)
