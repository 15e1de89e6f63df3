"""The headline, never the outlet's name: many templates put the site logo in an <h1>, end <title> and
og:title with " | Site", or give the site name as the only heading of a page.

Candidates, most trusted first: the profile's selector, JSON-LD `headline`, og:title / twitter:title,
a printed microdata headline (itemprop="headline" of an article item), an <h1> in the article, any
other <h1> that is not a logo, <title>. Each loses a leading or trailing part that is a site name
("Headline | Site", "Site - Headline"), and one that is nothing but a site name is skipped. Site names: og:site_name, application-name, the JSON-LD publisher and WebSite, and the part
of <title> after its last separator when that part is short.
"""
from __future__ import annotations

import re

from lxml import etree

from detector.normalize import clean_space, loose

from . import meta_keys as K
from .stamps import NOT_ARTICLE

_SEP = re.compile(r"\s+[|\-–—:·»•]\s+|\s*[|·»•]\s*|\s+::\s+")
SITE_PART_CHARS = 40           # a <title> part this short after the last separator may be the site name
_H1 = etree.XPath("//body//h1")
# Microdata headlines printed in the page (<h2 itemprop="headline">); a <meta itemprop="headline"> is
# read with the other meta keys (meta_keys.TITLE_META).
_MICRO_HEADLINES = etree.XPath("//body//*[@itemprop='headline'][not(self::meta)]")
HEADLINE_CHARS = 300           # a printed headline is never longer
_ITEM_TYPE = etree.XPath("ancestor::*[@itemscope][1]/@itemtype")
_ARTICLE_ITEM = re.compile(r"article|posting|report|webpage", re.IGNORECASE)
_HOME_LINKS = etree.XPath("//body//a[@href='/' or @rel='home'][not(ancestor::article)]")
_LOGO = re.compile(r"logo|brand|site-?title|site-?name|masthead|navbar", re.IGNORECASE)


def _is_logo(h1) -> bool:
    """An <h1> that is the site's logo or name: it holds an image or a link to the home page, or it or
    its parent is classed as logo/brand/site title."""
    attrs = " ".join(filter(None, [h1.get("class"), h1.get("id"), *(
        (p.get("class") or "") + " " + (p.get("id") or "") for p in list(h1.iterancestors())[:2])]))
    if _LOGO.search(attrs) or h1.find(".//img") is not None or h1.find(".//svg") is not None:
        return True
    for a in h1.iter("a"):
        href = (a.get("href") or "").strip()
        if href in ("/", "./", "#") or re.fullmatch(r"https?://[^/]+/?", href):
            return True
    return False


def _in_page_header(h1) -> bool:
    """An <h1> in a page header outside any <article>: a weaker candidate (often the site's name)."""
    anc = list(h1.iterancestors())
    return any(x.tag == "header" for x in anc) and not any(x.tag == "article" for x in anc)


def title_site_part(title: str | None) -> str | None:
    """The short part of <title> after its last separator ("Headline | Al Jazeera" -> "Al Jazeera")."""
    if not title:
        return None
    parts = [p for p in _SEP.split(clean_space(title)) if p.strip()]
    if len(parts) >= 2 and len(parts[-1]) <= SITE_PART_CHARS and len(parts[-1]) < len(" ".join(parts[:-1])):
        return parts[-1]
    return None


def strip_site(text: str, sites: set[str]) -> str:
    """The text without a leading or trailing part that is a site name."""
    parts = [p for p in _SEP.split(text) if p.strip()]
    if len(parts) < 2:
        return text
    if loose(parts[-1]) in sites:
        m = list(_SEP.finditer(text))[-1]
        return strip_site(text[:m.start()].strip(), sites)
    if loose(parts[0]) in sites:
        m = next(_SEP.finditer(text))
        return strip_site(text[m.end():].strip(), sites)
    return text


def _microdata_headlines(tree) -> list[str]:
    """The first printed microdata headline of an article item (not one of another item type, in page
    chrome or a teaser list): markup that names the headline, so it is tried before any <h1>."""
    for el in _MICRO_HEADLINES(tree):
        text = clean_space(el.text_content())
        scope = _ITEM_TYPE(el)
        if scope and not _ARTICLE_ITEM.search(str(scope[0])):
            continue
        if text and len(text) <= HEADLINE_CHARS and not NOT_ARTICLE(el):
            return [text]
    return []


def find_title(tree, meta: dict, ld_headline: str | None, profile_title: str | None, sites: set[str]) -> str | None:
    """The headline. `sites` (loose site names) gains what this page shows of its own name: the short
    <title> part after the last separator, the text of a logo <h1>; the body's noise filter uses it."""
    page_title = clean_space(tree.findtext(".//title") or "") or None
    if (part := title_site_part(page_title)):
        sites.add(loose(part))
    strong, weak = [], []
    for h in _H1(tree):
        if _is_logo(h):
            sites.add(loose(h.text_content()))          # a logo heading's text is the site's name
        else:
            (weak if _in_page_header(h) else strong).append(h)
    for a in _HOME_LINKS(tree):          # the logo link's text ("<a href="/">Site</a>") names the site
        text = clean_space(a.text_content())
        if 0 < len(text) <= SITE_PART_CHARS:
            sites.add(loose(text))
    sites.discard("")
    if profile_title:
        return profile_title
    strong.sort(key=lambda h: not any(x.tag == "article" for x in h.iterancestors()))

    def candidates():                   # in trust order, each looked for only when the ones before failed
        yield ld_headline
        yield from (meta.get(k) for k in K.TITLE_META)
        yield from _microdata_headlines(tree)
        yield from (h.text_content() for h in strong[:3] + weak[:1])

    for c in candidates():
        if not c or not c.strip():
            continue
        t = strip_site(clean_space(c), sites)
        if t and loose(t) not in sites:
            return t
    if page_title:
        t = strip_site(page_title, sites)
        if part and t == page_title:
            t = page_title[:page_title.rfind(part)].rstrip(" |-–—:·»•")
        return t or page_title
    return None
