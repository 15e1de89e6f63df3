"""The article's paragraphs: the profile's body selector, or trafilatura chosen per page, then marsad's
noise filters on either.

Per page, without a profile: trafilatura's precision mode first (it drops teaser rotators and related
lists that the default mode keeps); when it returns too little of the text the page holds in
paragraphs, its default mode runs and wins if it finds more prose (precision mode returns nothing on
some real article pages). Precision mode runs first without trafilatura's internal readability/justext
comparison, then with it only where the fast pass returned too little. Tables are kept: some outlets lay articles out in them;
a layout table (see without_layout_tables) is read as <div>s, a data table as rows of cells. The slower mode runs only
on the pages where the cheap one failed (README, "Where the CPU goes").

The noise filters (noise_words.py) drop what is never article text: headings that open a list of other
stories and the teaser titles under them, inline "Read also:" teasers, lines that are one link's text,
view/comment counters, newsletter boxes, and the stamp line ("Updated 1:58 PM GMT, ...").
"""
from __future__ import annotations

import copy
import re
from functools import lru_cache

import lxml.html
import trafilatura
from lxml import etree

from detector.normalize import clean_space, loose, normalize

from . import noise_words as N
from .dates import _label_patterns, label_of, other_words, read_phrase

BLOCKS = {"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "tr"}
LINK_DENSITY = 0.8   # a block whose text is mostly link text is a related-stories list, not prose
# Precision mode's text is "too little" when shorter than this many characters, or than this share of
# the characters the page's <p> elements hold (tuned on the tune half of the corpora, README).
POOR_CHARS = 250
POOR_SHARE = 0.3
# Precision mode first without trafilatura's internal fallbacks (its readability/justext comparison), which
# run only where the fast pass returned too little: 4 ms a page less (median, aeb); the same body F1 on
# the tune half of aeb (README, "Extraction", for the held-out half).
PRECISION_FAST = True
DEFAULT_GAIN = 1.15  # the default mode must bring this much more prose than precision mode to win
_SENTENCE_END = re.compile(r"[.!?؟…\"”»'’:)\]]$")


@lru_cache(maxsize=1)
def _tables():
    headings = {loose(h) for h in N.HEADINGS}
    leads = sorted({loose(h) for h in N.INLINE_LEADS}, key=len, reverse=True)
    lead = re.compile(r"^(?:" + "|".join(map(re.escape, leads)) + r")\s*[:：\-–—|»]")
    # one counter, or several printed on one line ("1,234 views 12 comments", "عدد القراءات: 1,234 12 تعليق"):
    # two counter spans in one block give one line whose numbers move on every fetch
    one = r"(?:" + "|".join(N.COUNTERS) + r")"
    counters = re.compile(r"^" + one + r"(?:\s*[|·•,،/\-–]?\s*" + one + r")*$", re.IGNORECASE)
    newsletter = re.compile(r"^(?:" + "|".join(N.NEWSLETTER) + r")", re.IGNORECASE)
    return headings, lead, counters, newsletter


def _lead_form(line: str) -> str:
    """The line's opening as the lead table is written: loose form, but its first colon kept."""
    head = line[:40]
    cut = re.search(r"[:：\-–—|»]", head)
    if not cut:
        return ""
    return loose(head[:cut.start()]) + ":"


def _label_only(line: str) -> bool:
    """The line is nothing but a stamp label and punctuation ("Updated", "آخر تحديث:")."""
    t = normalize(line)
    for patterns in _label_patterns().values():
        for p in patterns:
            t = p.sub(" ", t)
    return not re.search(r"\w", t)


def is_counter(line: str) -> bool:
    return len(line) <= N.COUNTER_LINE_CHARS and bool(_tables()[2].match(loose(line)))


# Cheap pre-filters on a line before the date parser: a digit, a label's stem, a relative-time word.
_LABEL_HINT = re.compile(r"updat|modif|publish|posted|نشر|نُشر|تحديث|محدث|تعديل|أضيف|الإضافة", re.IGNORECASE)
_STAMP_HINT = re.compile(_LABEL_HINT.pattern + r"|\d|[٠-٩۰-۹]|منذ|قبل|\bago\b", re.IGNORECASE)
# Any instant will do to tell a relative stamp ("14 min ago", "منذ ساعتين") from other text.
_SOME_NOW = "2000-01-01T00:00:00Z"
# A short line may be a stamp with at most STAMP_WORDS words of four letters or more ("5:45 AM PST
# 11/19/2019 by Patrick Shanley"), or with any number of the date tables' own words (months, weekdays,
# zones, labels, relative-time words: dates.other_words) and at most STAMP_OTHER_WORDS others
# ("الجمعة، 26 فبراير 2021 01:58 م بتوقيت غرينتش").
STAMP_WORDS = 3
STAMP_OTHER_WORDS = 1
_WORDS = re.compile(r"[^\W\d_]{4,}")


def is_stamp_line(line: str) -> bool:
    """A short line that is a stamp: a label with a date or a relative time ("Updated 14 min ago"), a
    label alone ("Updated", "تم التحديث": its time sat in another element), or nothing but a date and
    time or a relative time."""
    if len(line) > N.STAMP_LINE_CHARS or not _STAMP_HINT.search(line):
        return False
    labelled = _LABEL_HINT.search(line) and label_of(line)
    if labelled and read_phrase(line, None, None):
        return True
    if len(line) > 48 or (len(_WORDS.findall(line)) > STAMP_WORDS and other_words(line) > STAMP_OTHER_WORDS):
        return False
    if labelled and (_label_only(line) or read_phrase(line, None, _SOME_NOW)):
        return True
    if read_phrase(line, None, None) is not None:
        return True
    # unlabelled relative time: three words at most, and a count ("now" alone is a common word)
    rel = read_phrase(line, None, _SOME_NOW) if len(line.split()) <= 3 else None
    return rel is not None and rel.utc != "2000-01-01T00:00:00Z"


def filter_noise(lines: list[str], anchors: set[str] | None = None, sites: set[str] | None = None) -> list[str]:
    """The lines that are article text (see the module docstring); a line that is only the outlet's
    name (`sites`, loose form) is not."""
    headings, lead, counters, newsletter = _tables()
    out: list[str] = []
    teasers = False
    for line in lines:
        key = loose(line)
        if sites and key in sites:
            continue
        if key in headings or key.rstrip(":") in headings:
            teasers = True
            continue
        if teasers:
            if len(line) <= N.TEASER_CHARS and not _SENTENCE_END.search(line):
                continue
            teasers = False
        lf = _lead_form(line)
        if lf and lead.match(lf) and len(line) <= 300:
            continue
        if is_counter(line) or (len(line) <= 200 and newsletter.match(line.lower())):
            continue
        if anchors and len(line) >= N.ANCHOR_CHARS and key in anchors:
            continue
        if is_stamp_line(line):
            continue
        out.append(line)
    return out


def anchor_texts(tree) -> set[str]:
    """Loose text of every link long enough to be a story title (to spot one-link teaser lines)."""
    return {loose(a.text_content()) for a in _LONG_LINKS(tree)}


_LONG_LINKS = etree.XPath(f"//a[string-length(normalize-space(.)) >= {N.ANCHOR_CHARS}]")


def _story_links(tree) -> set[str]:
    """Loose text of every link of three words or more (a story title, a tag phrase): what the default
    mode's extra text is measured without."""
    out = set()
    for a in tree.iter("a"):
        t = loose(a.text_content())
        if len(t.split()) >= 3:
            out.add(t)
    return out


def _mostly_links(el) -> bool:
    text = len(clean_space(str(el.text_content())))
    if not text:
        return False
    links = sum(len(clean_space(str(a.text_content()))) for a in el.iter("a"))
    return links / text >= LINK_DENSITY


def profile_paragraphs(tree, profile, css, sites: set[str] | None = None) -> list[str] | None:
    """Paragraphs of every element the first matching body selector finds (some templates split the
    body into many blocks), minus the profile's noise; None when no selector matches."""
    for sel in profile.select("body"):
        els = css(tree, sel)
        els = [e for e in els if not any(a in els for a in e.iterancestors())]
        if not els:
            continue
        paras = []
        for found in els:
            body = copy.deepcopy(found)
            for drop in profile.select("drop"):
                for el in css(body, drop):
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
            return filter_noise(paras, sites=sites)
    return None


_RULE_ROW = re.compile(r"^\|?[\s|:\-]+\|?$")


def _table_row(line: str) -> str:
    """trafilatura writes a table row as "| cell | cell |": a one-cell row (an article laid out in a
    table) is its text; a data row keeps its cells, " | " between them. A rule row ("|---|") is nothing."""
    if not (line.startswith("|") and line.endswith("|")):
        return line
    if _RULE_ROW.match(line):
        return ""
    cells = [c.strip() for c in line.strip("|").split(" | ") if c.strip()]
    return " | ".join(cells)


# A table is data (kept as rows of cells) when its markup says so: header cells, a caption, a summary, a
# head or foot; it is layout (an old template's columns) when it says so (role=presentation) or when a
# cell holds what data cells never hold: paragraphs, blocks, a table, LAYOUT_CELL_BREAKS line breaks, or
# LAYOUT_CELL_CHARS of text (a data cell may break a line once: "Name<br>Title").
LAYOUT_CELL_CHARS = 200
LAYOUT_CELL_BREAKS = 2
_TABLES = etree.XPath("//table")
_DATA_MARKS = etree.XPath("@summary | caption | thead | tfoot | colgroup | tr/th | */tr/th")
_CELLS = etree.XPath("tr/td | */tr/td")
_CELL_BLOCKS = {"p", "table", "div", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"}
_TABLE_PARTS = {"table", "tbody", "thead", "tfoot", "tr", "td", "th"}


def _layout_table(table) -> bool:
    if (table.get("role") or "").lower() in ("presentation", "none"):
        return True
    if _DATA_MARKS(table):
        return False
    for cell in _CELLS(table):
        tags = [el.tag for el in cell.iterdescendants()]
        if any(t in _CELL_BLOCKS for t in tags) or tags.count("br") >= LAYOUT_CELL_BREAKS:
            return True
        if len(clean_space(str(cell.text_content()))) >= LAYOUT_CELL_CHARS:
            return True
    return False


def without_layout_tables(tree, html_text: str) -> str:
    """The page with its layout tables written as <div>s, for trafilatura: it flattens each table cell
    into one line, so an article laid out in a cell comes out as one paragraph with the headline and the
    furniture of the next cell (a counter, a banner) glued to it, and the join moves whenever the
    furniture does. As <div>s, the cell's paragraphs and <br> breaks are read as anywhere else. Data
    tables are left as they are; a page without layout tables is returned as it was."""
    layout = [t for t in _TABLES(tree) if _layout_table(t)]
    if not layout:
        return html_text
    marks = {id(t) for t in layout}
    copied = copy.deepcopy(tree)
    for t_old, t_new in zip(_TABLES(tree), _TABLES(copied)):
        if id(t_old) not in marks:
            continue
        for el in [t_new, *t_new.iterdescendants()]:
            if el.tag in _TABLE_PARTS and _owner(el, t_new):
                el.tag = "div"
                for attr in ("width", "valign", "colspan", "rowspan", "border", "cellpadding", "cellspacing"):
                    el.attrib.pop(attr, None)
    return lxml.html.tostring(copied, encoding="unicode")


def _owner(el, table) -> bool:
    """`el` is a part of `table` itself, not of a table nested in one of its cells."""
    if el is table:
        return True
    if el.tag == "table":
        return False
    for a in el.iterancestors():
        if a is table:
            return True
        if a.tag == "table":
            return False
    return False


def _trafilatura(html_text: str, url: str | None, precision: bool, fast: bool = False) -> list[str]:
    """trafilatura's text as lines; `fast`: without its internal readability/justext comparison."""
    out = trafilatura.extract(html_text, url=url, output_format="txt", include_comments=False,
                              include_tables=True, deduplicate=False, favor_precision=precision, fast=fast)
    return [line for line in (_table_row(clean_space(x)) for x in (out or "").split("\n")) if line]


def paragraph_chars(tree) -> int:
    """Characters of text the page holds in <p> elements (the yardstick for "too little")."""
    return sum(len(p.text_content()) for p in tree.iter("p"))


def prose_chars(lines: list[str], anchors: set[str]) -> int:
    """Characters of lines that are not link text: each line's length less the story titles (`anchors`)
    it holds. trafilatura's default mode, falling back on its baseline, returns a short page as one
    line with the related-stories links glued on; those links are not text precision mode missed."""
    total = 0
    for line in lines:
        key = loose(line)
        total += len(key) - sum(len(a) for a in anchors if a in key)
    return total


def generic_paragraphs(tree, html_text: str, url: str | None, sites: set[str] | None = None) -> list[str]:
    """trafilatura per page (see the module docstring), then the noise filters. Each step runs only
    where the one before returned too little: precision mode, fast; precision mode with trafilatura's
    own readability/justext comparison; the default mode. The default mode wins only when what it
    returns beyond precision mode is prose: after the noise filters and without link text, more than
    DEFAULT_GAIN times the characters precision mode kept."""
    anchors = anchor_texts(tree)
    par_chars = None
    as_tables = html_text
    html_text = without_layout_tables(tree, html_text)

    def poor(lines):
        nonlocal par_chars
        chars = sum(map(len, lines))
        if chars < POOR_CHARS:
            return True
        if par_chars is None:
            par_chars = paragraph_chars(tree)
        return chars < POOR_SHARE * par_chars

    lines = filter_noise(_trafilatura(html_text, url, precision=True, fast=PRECISION_FAST), anchors, sites)
    if PRECISION_FAST and poor(lines):
        fuller = filter_noise(_trafilatura(html_text, url, precision=True, fast=False), anchors, sites)
        if sum(map(len, fuller)) > sum(map(len, lines)):
            lines = fuller
    if poor(lines):
        fallback = filter_noise(_trafilatura(html_text, url, precision=False), anchors, sites)
        if prose_chars(fallback, _story_links(tree)) > DEFAULT_GAIN * prose_chars(lines, set()):
            lines = fallback
    if html_text is not as_tables and poor(lines):
        # a page that is all layout tables of short cells (an events list, a club's notices): as <div>s
        # trafilatura may find no prose at all, where the rows it reads from the tables are the text
        rows = filter_noise(_trafilatura(as_tables, url, precision=True, fast=PRECISION_FAST), anchors, sites)
        if sum(map(len, rows)) > sum(map(len, lines)):
            lines = rows
    return lines
