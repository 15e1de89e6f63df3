"""Who wrote the article, on any page: the profile's selector, JSON-LD `author` (every author, in
order), microdata and rel=author links, a byline block by its class words ("By …", "بقلم …", "كتب …";
byline_words.py), meta[name=author], an element opened by a label lead ("Written By:", "بقلم:"). A
block that prints one element per author keeps the names apart.

A byline that is the outlet's own name (og:site_name, the JSON-LD publisher) is the weakest answer: it
is kept only when nothing names a person, so a change of reporter shows as byline_changed.
"""
from __future__ import annotations

import re

from lxml import etree

from detector.normalize import clean_space, loose

from . import byline_words as B
from . import meta_keys as K
from .stamps import NOT_ARTICLE

# Byline blocks by class/id/itemprop (the words are byline_words.BLOCK_WORDS), or opened by a label
# lead ("Written By:", "بقلم:"). Matched in one walk of the tree (three times faster than the
# equivalent XPath of contains() tests on lxml).
_BLOCK_TAGS = ("div", "span", "p", "address", "a", "li", "section", "td")
_BODY = etree.XPath("//body")


def _words(words, space: str = r"\s+") -> str:
    """An alternation of table words, longest first; a space in a word matches `space`."""
    return "|".join(space.join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True))


_BLOCK_CLASS = re.compile(_words(B.BLOCK_WORDS, "[-_ ]?"))                 # on lowercased attributes
_SEPARATOR = r"(?:\s*[:：\-–—]\s*|\s+)"
# Words before a name: "By", "بقلم", "كتب", "إعداد", "Written by" (byline_words.LEADS).
_LEAD = re.compile(rf"^\s*(?:{_words(B.LEADS)}){_SEPARATOR}", re.IGNORECASE)
# A label lead that opens a byline on any element: followed by a colon or a dash ("Written By:").
_LABEL_LEAD = re.compile(rf"\s*(?:{_words(B.LABEL_LEADS)})\s*[:：\-–—]")    # on lowercased text
_NAME_CLASS = re.compile(_words(B.NAME_CLASS_WORDS), re.IGNORECASE)
_JOINS_ONLY = re.compile(rf"^(?:\s|{_words(B.NAME_JOINS)})*$", re.IGNORECASE)
LABEL_BLOCK_CHARS = 100      # an element opened by a label lead is a byline only this short
_NOT_A_NAME = re.compile(r"[\d٠-٩]|[:：]\s*$")    # a name element holds no digit and is no "Label:"


def _blocks(tree):
    """Byline-like blocks of the page body, in document order: classed or id'd as one (one lowercase
    search of class and id together), itemprop or rel author."""
    body = _BODY(tree)
    if not body:
        return []
    return [el for el in body[0].iter(*_BLOCK_TAGS)
            if ((c := el.get("class")) or el.get("id")) and _BLOCK_CLASS.search(f"{c} {el.get('id')}".lower())
            or el.get("itemprop") == "author" or el.get("rel") == "author"]


def _label_blocks(tree):
    """Short elements whose own text opens with a label lead ("Written By:", "بقلم:"), in document
    order: looked for only where nothing else names a person (no JSON-LD person, byline block or meta
    author), as it costs a walk of every element's text."""
    body = _BODY(tree)
    if not body:
        return []
    return [el for el in body[0].iter(*_BLOCK_TAGS)
            if (t := el.text) and _LABEL_LEAD.match(t[:40].lower()) and len(el.text_content()) <= LABEL_BLOCK_CHARS]


_REL_AUTHOR = etree.XPath("//body//a[contains(concat(' ', normalize-space(@rel), ' '), ' author ')]")
# Where a byline block's name ends: a stamp label, a date, a separator, "Published", "Updated".
_END = re.compile(r"\s*(?:[|•·\n]|\bupdated\b|\bpublished\b|\bposted\b|تم النشر|نشر في|تم التحديث|آخر تحديث|"
                  r"\d{1,2}[:/.]\d{1,2}|\d{4}|[٠-٩]{1,4}[:/])", re.IGNORECASE)
MAX_CHARS = 120


def _names(value) -> list[str]:
    """Author names from a JSON-LD author value: a string, an object, or a list of them."""
    if isinstance(value, list):
        out = []
        for v in value:
            out += _names(v)
        return out
    if isinstance(value, dict):
        v = value.get("name")
        if isinstance(v, list):
            v = " ".join(str(x) for x in v)
        return [clean_space(v)] if isinstance(v, str) and v.strip() else []
    if isinstance(value, str) and value.strip() and not value.strip().startswith("http"):
        return [clean_space(value)]
    return []


def _join(names: list[str]) -> str | None:
    seen, out = set(), []
    for n in names:
        if n and loose(n) not in seen:
            seen.add(loose(n))
            out.append(n)
    return ", ".join(out) if out else None


def jsonld_authors(ld: list[dict]) -> tuple[str | None, bool]:
    """Every author of the first article object that names any, in order; and whether they are all
    organizations (an outlet, not a person)."""
    for o in ld:
        a = o.get("author")
        names = _names(a)
        if names:
            items = a if isinstance(a, list) else [a]
            orgs = all(isinstance(x, dict) and str(x.get("@type", "")).lower() == "organization" for x in items)
            return _join(names), orgs
    return None, False


def clean_byline(text: str) -> str | None:
    """The name(s) in a byline block's text: the lead word ("By", "بقلم") and what follows the names
    (a stamp, a separator) removed. None when what is left does not look like a name."""
    t = clean_space(text)
    t = _LEAD.sub("", t, count=1)
    m = _END.search(t)
    if m:
        t = t[:m.start()]
    t = t.strip(" ,،:-–—|")
    t = re.sub(r"\s+(?:and|و)\s*$", "", t)
    if not t or len(t) > MAX_CHARS or len(t.split()) > 16 or t.endswith((".", "؟", "?", "!")):
        return None
    return t


_MICRO_AUTHORS = etree.XPath("//body//*[@itemprop='author']")
_MICRO_NAME = etree.XPath(".//*[@itemprop='name']")


def _from_blocks(tree) -> str | None:
    micro = []
    for el in _MICRO_AUTHORS(tree):
        if any(a.get("itemprop") == "author" for a in el.iterancestors()):
            continue
        name = el.get("content") or " ".join(n.text_content() for n in _MICRO_NAME(el)) or el.text_content()
        micro.append(clean_byline(name))
    if (joined := _join([n for n in micro if n])):
        return joined
    names = [clean_byline(a.text_content()) for a in _REL_AUTHOR(tree) if not NOT_ARTICLE(a)]
    if (joined := _join([n for n in names if n])):
        return joined
    return _first_name(_blocks(tree))


def _first_name(blocks) -> str | None:
    """The name(s) of the first block that gives any."""
    for el in blocks:
        if NOT_ARTICLE(el) or any(x.tag in ("script", "style") for x in el.iterancestors()):
            continue
        raw = el.text_content()
        if not raw.strip() or len(raw) > 400:
            continue
        name = _name_elements(el) or clean_byline(spaced_text(el))
        if name:
            return name
    return None


def spaced_text(el) -> str:
    """An element's text with its pieces joined by spaces, as a reader sees adjacent elements
    (text_content() would glue <span>رنا العلي</span><span>سامر حداد</span> into one word)."""
    return re.sub(r"\s+([,،])", r"\1", clean_space(" ".join(el.itertext())))


def _name_elements(block) -> str | None:
    """The names of a byline block that prints one element per author (a link, a span classed as a
    name) with nothing but joins between them (nothing, a comma, "and", "و"): each element one name.
    None when the block has fewer than two such elements or other text between them."""
    marked = {d for d in block.iterdescendants() if isinstance(d.tag, str)
              and (d.tag == "a" or _NAME_CLASS.search(d.get("class") or ""))}
    if len(marked) < 2:
        return None
    inner = [d for d in block.iterdescendants() if d in marked and not any(x in marked for x in d.iterdescendants())]
    if len(inner) < 2:
        return None
    pieces: list = []                  # text between the name elements, or a name element

    def walk(node):
        if node in inner:
            pieces.append(node)
        else:
            pieces.append(node.text or "")
            for child in node:
                walk(child)
        if node is not block:
            pieces.append(node.tail or "")

    walk(block)
    first = next(i for i, p in enumerate(pieces) if not isinstance(p, str))
    last = max(i for i, p in enumerate(pieces) if not isinstance(p, str))
    between = "".join(p if isinstance(p, str) else " " for p in pieces[first:last + 1])
    if not _JOINS_ONLY.match(between):
        return None
    texts = [spaced_text(p) for p in pieces if not isinstance(p, str)]
    if any(_NOT_A_NAME.search(t) for t in texts):     # a label ("Автор:") or a date ("Aug 26") among them
        return None
    names = [clean_byline(t) for t in texts]
    return _join(names) if all(names) else None


def site_names(meta: dict, ld: list[dict], all_ld: list[dict] | None = None) -> set[str]:
    """The outlet's names as the page gives them (loose form): og:site_name, application-name, the
    JSON-LD publisher, a WebSite object's name."""
    names = {meta.get("og:site_name"), meta.get("application-name"), meta.get("twitter:site", "").lstrip("@")}
    for o in (all_ld or ld):
        p = o.get("publisher")
        if isinstance(p, dict):
            names.add(p.get("name") if isinstance(p.get("name"), str) else None)
        if str(o.get("@type", "")).lower() in ("website", "organization", "newsmediaorganization"):
            names.add(o.get("name") if isinstance(o.get("name"), str) else None)
    return {loose(n) for n in names if n and n.strip()}


def find_byline(tree, meta: dict, ld: list[dict], profile_byline: str | None, sites: set[str]) -> str | None:
    if profile_byline:                 # a profile's byline element, as the outlet prints it
        return clean_space(profile_byline)
    ld_names, orgs = jsonld_authors(ld)
    if ld_names and not orgs:
        return ld_names
    found = _from_blocks(tree)
    if found and loose(found) not in sites:
        return found
    meta_name = next((meta[k] for k in K.AUTHOR_META if meta.get(k) and not meta[k].startswith("http")), None)
    if meta_name and loose(meta_name) not in sites:
        return clean_space(meta_name)
    labelled = _first_name(_label_blocks(tree))      # "Written By: …" on an unclassed element
    if labelled and loose(labelled) not in sites:
        return labelled
    return ld_names or found or (clean_space(meta_name) if meta_name else None)
