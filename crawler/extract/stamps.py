"""The article's published and updated stamps, from the most trusted source that has each.

Order: the site profile's selectors, JSON-LD (datePublished/dateModified), meta tags (article:*_time,
og:updated_time...), microdata and <time> elements that say which stamp they are, then stamps printed
with a label ("Updated 1:58 PM GMT, February 26, 2021", "تم التحديث: ..."), then an unlabelled <time>,
then htmldate's extensive search for the published day. A precise source refines a day-only one of the
same printed day, whichever came first; last, an unlabelled dateline that prints that day with a time
(dateline_stamp) gives a day-only published stamp its minute.

Printed stamps are read from the text of their block, not one text node at a time: templates put the
label and its time in sibling elements, the label in the tail text after an icon (<i></i> تم التحديث),
the label on one line and the time on the next, or the time as an epoch in a custom element's data-*
attribute. A machine value inside the block (<time datetime>, data-* epoch) wins over the visible text.
"""
from __future__ import annotations

import re
import warnings
from datetime import datetime, timezone

import htmldate
from lxml import etree

from detector.normalize import clean_space, normalize

from . import meta_keys as K
from .dates import Stamp, other_words, read_iso, read_phrase
from .dates import _label_patterns  # compiled label table, shared with label_of

NOT_ARTICLE = etree.XPath(K.NOT_ARTICLE_XPATH)
_MICRODATA = etree.XPath("//*[@itemprop][not(self::meta)][@itemprop='datePublished' or @itemprop='dateModified' "
                         "or @itemprop='dateCreated' or @itemprop='uploadDate']")   # @itemprop first: 3x faster
# Text nodes that may hold a stamp label; the label table itself decides (this is a cheap pre-filter on
# raw text: stems of every label in date_words.LABELS, Arabic with and without its short vowels).
_LABEL_HINT = re.compile(r"updat|modif|publish|posted|نشر|نُشر|تحديث|محدث|تعديل|أضيف|الإضافة", re.IGNORECASE)
_TEXTS = etree.XPath("//body//text()[string-length(normalize-space()) > 2]")
BLOCK_CHARS = 260        # a stamp block is short; climbing stops at a bigger one
CLIMB = 3                # the label's element, and up to this many ancestors, are tried
_MARK = "\u2063"         # invisible separator around a machine value written into a block's text
_MACHINE = re.compile(_MARK + r"([^" + _MARK + r"]+)" + _MARK)
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")
_ISO_START = re.compile(r"\s*\d{4}-\d{2}-\d{2}")


def epoch_iso(value: str) -> str | None:
    """A Unix time in seconds or milliseconds (as templates put in data-* attributes) as UTC ISO."""
    if not _EPOCH.match(value):
        return None
    n = int(value[:10])
    if not 631152000 <= n <= 4102444800:          # 1990..2100
        return None
    return datetime.fromtimestamp(n, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def machine_value(el) -> str | None:
    """An element's machine-readable instant: <time datetime>, an itemprop's content, or a data-*
    attribute holding an epoch or an ISO stamp."""
    v = el.get("datetime")
    if v and _ISO_START.match(v):
        return v.strip()
    if el.get("itemprop") and (c := el.get("content")) and _ISO_START.match(c):
        return c.strip()
    for name, value in el.attrib.items():
        if name.startswith("data-") and value:
            value = value.strip()
            if (iso := epoch_iso(value)) or (_ISO_START.match(value) and len(value) <= 40 and (iso := value)):
                return iso
    return None


def block_text(el) -> str:
    """The text of a block as a reader sees it: pieces joined with spaces (a <br> or a child <div>
    separates words), scripts and styles left out, a machine value written between invisible marks
    before its element's visible text (which stays: the label may be inside the element, as in
    <time datetime=…>Updated April 22, 2020</time>)."""
    parts: list[str] = []

    def walk(node):
        tag = node.tag
        if isinstance(tag, str) and tag not in ("script", "style", "noscript"):
            mv = machine_value(node)
            if mv:
                parts.append(f"{_MARK}{mv}{_MARK}")
            if node.text:
                parts.append(node.text)
            for child in node:
                walk(child)
        if node.tail and node is not el:
            parts.append(node.tail)

    walk(el)
    return clean_space(" ".join(parts))


def _segments(text: str):
    """(kind, the text from that label to the next label) for each stamp label in a block's text."""
    t = normalize(text)
    hits = []
    for kind, patterns in _label_patterns().items():
        for pattern in patterns:
            for m in pattern.finditer(t):
                hits.append((m.start(), m.end(), kind))
    hits.sort(key=lambda h: (h[0], -h[1]))
    kept = []
    for h in hits:                       # "last updated" also contains "updated": keep the longer one
        if kept and h[0] < kept[-1][1]:
            continue
        kept.append(h)
    for i, (start, end, kind) in enumerate(kept):
        stop = kept[i + 1][0] if i + 1 < len(kept) else len(t)
        yield kind, t[end:stop]


def read_segment(seg: str, zone, now, month_first: bool) -> Stamp | None:
    """The stamp after a label: a machine value that follows the label directly (nothing with a digit
    between them), else the printed text with any machine values left out."""
    m = _MACHINE.search(seg)
    if m and not re.search(r"\d", seg[:m.start()]):
        return read_iso(m.group(1).upper(), zone)       # the segment was case-folded: "t" -> "T"
    return read_phrase(_MACHINE.sub(" ", seg), zone, now, month_first)


def _host_element(node):
    """The element a text node belongs to: its parent, or for tail text the parent of the element it
    follows (the label after an icon: <i class="icon"></i> تم التحديث: ...)."""
    el = node.getparent()
    if el is not None and getattr(node, "is_tail", False):
        el = el.getparent()
    while el is not None and not isinstance(el.tag, str):
        el = el.getparent()
    return el


def run_text(el) -> str:
    """The text of an element and the siblings after it, up to BLOCK_CHARS: a label in its own element
    whose time follows in the next one, directly inside a block too big to read whole
    (<article>… <span>Updated</span> <amp-timeago datetime=…>…)."""
    parts = [block_text(el), el.tail or ""]
    size = sum(map(len, parts))
    sib = el.getnext()
    while sib is not None and size <= BLOCK_CHARS:
        if isinstance(sib.tag, str) and sib.tag not in ("script", "style", "noscript"):
            parts.append(block_text(sib))
        parts.append(sib.tail or "")
        size = sum(map(len, parts))
        sib = sib.getnext()
    return clean_space(" ".join(parts))[:BLOCK_CHARS]


def visible_stamps(tree, zone, now=None, month_first: bool = False) -> dict[str, Stamp]:
    """Stamps printed on the page with a label, the first of each kind outside page chrome."""
    found: dict[str, Stamp] = {}
    tried: set = set()

    def read(text):
        got = {}
        for kind, seg in _segments(text):
            if kind not in got and kind not in found and (st := read_segment(seg, zone, now, month_first)):
                got[kind] = st
        return got

    for node in _TEXTS(tree):
        if not _LABEL_HINT.search(node):
            continue
        el = _host_element(node)
        if el is None or el.tag in ("script", "style", "title") or el in tried:
            continue
        for _ in range(CLIMB + 1):
            tried.add(el)
            if len(el.text_content()) > BLOCK_CHARS * 2:
                break
            text = block_text(el)
            if len(text) > BLOCK_CHARS:
                break
            got = read(text)
            parent = el.getparent()
            last = parent is None or parent.tag in ("body", "html") or len(parent.text_content()) > BLOCK_CHARS * 2
            if not got and last:
                got = read(run_text(el))       # the parent is too big to read: the label and what follows it
            if got:
                if not NOT_ARTICLE(el):
                    found.update(got)
                break
            if last:
                break
            el = parent
        if len(found) == 2:
            break
    return found


def _time_elements(tree):
    """(kind, value) of <time> elements and date microdata outside page chrome: kind 'published',
    'updated' or None (unsaid)."""
    out = []
    for t in tree.iter("time"):
        if NOT_ARTICLE(t):
            continue
        parent = t.getparent()
        hint = " ".join(filter(None, [t.get("class"), t.get("itemprop"),
                                      (parent.get("class") if parent is not None else None)])).lower()
        kind = "updated" if re.search(r"updat|modif", hint) else "published" if re.search(r"publish|pub|date", hint) else None
        out.append((kind, t.get("datetime") or text_before_label(t)))
    for el in _MICRODATA(tree):
        if el.tag == "time" or NOT_ARTICLE(el):
            continue
        kind = "updated" if el.get("itemprop") == "dateModified" else "published"
        out.append((kind, el.get("datetime") or el.get("content") or clean_space(el.text_content())))
    return out


def text_before_label(el) -> str:
    """A stamp element's visible text, its pieces spaced (<time><span>November 5, 2022</span><span>6:10
    AM GMT</span><span>Updated 2 hours ago</span></time>), up to a stamp label inside it: what follows a
    label is that label's stamp (visible_stamps reads it)."""
    raw = clean_space(el.text_content()) if len(el) == 0 else _MACHINE.sub(" ", block_text(el))
    if not _LABEL_HINT.search(raw):
        return raw
    t = normalize(raw)
    starts = [m.start() for patterns in _label_patterns().values() for p in patterns if (m := p.search(t))]
    return t[:min(starts)] if starts and min(starts) > 0 else t


# The dateline: an unlabelled element that prints the published date and time and nothing else, near
# the headline (<span class="tarih">11.05.2022 12:28 GMT</span>, <div class="date">السبت، 20 أغسطس 2022
# 11:49 ص</div>). Read only to give the minute to a published day found elsewhere, on the same day.
_CLOCK_TEXTS = etree.XPath("//body//text()[contains(., ':')][string-length(normalize-space()) < 80]")
_CLOCK = re.compile(r"[\d٠-٩]\s*:\s*[\d٠-٩]{2}")      # a time of day in the text node itself
DATELINE_CHARS = 80
DATELINE_WORDS = 1       # words besides the date tables' own (dates.other_words): a city at most


def dateline_stamp(tree, day: str, zone, month_first: bool = False) -> Stamp | None:
    """The first unlabelled date-and-time element outside page chrome whose printed day is `day`."""
    tried: set = set()
    for node in _CLOCK_TEXTS(tree):
        if not _CLOCK.search(node):
            continue
        el = _host_element(node)
        for _ in range(CLIMB):
            if el is None or el in tried or not isinstance(el.tag, str) or el.tag in ("script", "style", "title"):
                break
            tried.add(el)
            text = _MACHINE.sub(" ", block_text(el))
            if len(text) > DATELINE_CHARS:
                break
            st = read_phrase(text, zone, None, month_first)
            if st:
                if (len(st.utc) > 10 and st.local_day == day and not _label_hit(text)
                        and other_words(text) <= DATELINE_WORDS and not NOT_ARTICLE(el)):
                    return st
                break
            el = el.getparent()
    return None


def _label_hit(text: str) -> bool:
    t = normalize(text)
    return any(p.search(t) for patterns in _label_patterns().values() for p in patterns)


def _refines(have: Stamp, new: Stamp) -> bool:
    """A precise stamp replaces a date-only one of the same printed day."""
    return len(have.utc) == 10 and len(new.utc) > 10 and have.local_day == new.local_day


def htmldate_day(html_text: str, url: str | None) -> Stamp | None:
    """Last resort for the published day: htmldate's extensive search (URL, scattered markup, text
    patterns). Day precision only, so the stamp is a date-only ISO value: no invented time."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            day = htmldate.find_date(html_text, original_date=True, extensive_search=True, url=url,
                                     outputformat="%Y-%m-%d")
    except Exception:          # htmldate is a heuristic helper; its failure must not fail extraction
        return None
    return Stamp(day, day) if day else None


def find_stamps(tree, meta: dict, ld_value, profile_values: dict | None, zone, now: str | None,
                month_first: bool = False, html_text: str | None = None,
                url: str | None = None) -> dict[str, Stamp | None]:
    """published/updated from the most trusted source that has each (see the module docstring).
    `ld_value(key)` reads JSON-LD; `profile_values` maps a kind to the profile selector's raw value."""

    def either(v):
        if not v:
            return None
        if (iso := epoch_iso(v.strip())):
            return read_iso(iso)
        return (read_iso(v, zone) if _ISO_START.match(v) else None) or read_phrase(v, zone, now, month_first)

    kinds = ("published", "updated")
    found: dict[str, Stamp | None] = {k: None for k in kinds}

    def offer(k, v):
        if v and (not found[k] or _refines(found[k], v)):
            found[k] = v

    if profile_values:
        for k in kinds:
            offer(k, either(profile_values.get(k)))
    offer("published", read_iso(ld_value("datePublished"), zone))
    offer("updated", read_iso(ld_value("dateModified"), zone))
    offer("published", next((v for k in K.PUBLISHED_META if (v := read_iso(meta.get(k), zone))), None))
    offer("updated", next((v for k in K.UPDATED_META if (v := read_iso(meta.get(k), zone))), None))
    times = _time_elements(tree)
    for k in kinds:
        offer(k, next((st for kind, v in times if kind == k and (st := either(v))), None))
    if not all(found.values()) or any(len(v.utc) == 10 for v in found.values() if v):
        for k, v in visible_stamps(tree, zone, now, month_first).items():
            offer(k, v)
    if not found["published"]:
        found["published"] = next((st for kind, v in times if kind is None and (st := either(v))), None)
    if not found["published"] and html_text is not None:
        found["published"] = htmldate_day(html_text, url)
    if found["published"] and len(found["published"].utc) == 10:
        found["published"] = dateline_stamp(tree, found["published"].local_day, zone, month_first) or found["published"]
    pub, upd = found["published"], found["updated"]
    if pub and upd and upd.utc < pub.utc[:len(upd.utc)]:
        found["updated"] = None        # an updated stamp before publication is a template's, not the story's
    return found
