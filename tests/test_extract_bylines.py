"""Bylines on pages without a profile (crawler/extract/bylines.py): every JSON-LD author, microdata,
rel=author, byline blocks in English and Arabic, meta author; the outlet's own name is the weakest
answer. Pages written for the test."""
from __future__ import annotations

import json
import re

import pytest

from crawler.extract import extract
from crawler.extract.bylines import clean_byline
from detector import compare

from .test_extract_stamps import AR_PARAS, EN_PARAS


def page(lang="en", head="", byline="", site="The Daily Courier") -> bytes:
    paras = EN_PARAS if lang == "en" else AR_PARAS
    title = "Port reopens after strike" if lang == "en" else "إعادة فتح الميناء بعد الإضراب"
    return (f'<html lang="{lang}"><head><meta charset="utf-8"><title>{title} | {site}</title>'
            f'<meta property="og:site_name" content="{site}">{head}</head><body>'
            f'<header><a href="/" rel="home">{site}</a></header><article><h1>{title}</h1>{byline}'
            + "".join(f"<p>{p}</p>" for p in paras) + "</article></body></html>").encode()


def ld(author) -> str:
    return ('<script type="application/ld+json">' + json.dumps(
        {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Port reopens after strike",
         "author": author, "publisher": {"@type": "Organization", "name": "The Daily Courier"}},
        ensure_ascii=False) + "</script>")


def names(byline):
    return [n.strip() for n in (byline or "").split(",")]


def test_every_jsonld_author_in_order():
    authors = [{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "John Roe"},
               {"@type": "Person", "name": "ليلى حداد"}]
    assert names(extract(page(head=ld(authors)), url="https://news.example/a").byline) == \
        ["Jane Doe", "John Roe", "ليلى حداد"]
    # the same author twice (a common CMS export) is one name
    twice = [{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "Jane Doe"}]
    assert extract(page(head=ld(twice)), url="https://news.example/a").byline == "Jane Doe"


def test_an_organization_author_gives_way_to_a_person_in_the_page():
    org = {"@type": "Organization", "name": "The Daily Courier"}
    a = extract(page(head=ld(org), byline='<div class="byline">By Jane Doe</div>'), url="https://news.example/a")
    assert a.byline == "Jane Doe"
    # with nothing else, the outlet is the byline (weakest, but not nothing)
    assert extract(page(head=ld(org)), url="https://news.example/a").byline == "The Daily Courier"


@pytest.mark.parametrize("lang,block,want", [
    ("en", '<div class="byline">By Jane Doe and John Roe | Updated 1:58 PM GMT, February 26, 2021</div>',
     "Jane Doe and John Roe"),
    ("en", '<p class="article-author">Written by Sam Patel</p>', "Sam Patel"),
    ("ar", '<div class="author">بقلم: محمد علي</div>', "محمد علي"),
    ("ar", '<span class="writer">كتب - أحمد حسن 2021/02/26</span>', "أحمد حسن"),
    ("ar", '<div class="kateb">إعداد: سارة يوسف</div>', "سارة يوسف"),
])
def test_byline_blocks(lang, block, want):
    a = extract(page(lang, byline=block), url="https://news.example/a")
    assert a.byline == want
    assert want not in a.text                     # the byline line is not a body paragraph


def test_microdata_and_rel_author_give_every_name():
    micro = ('<div class="meta">'
             '<span itemprop="author" itemscope itemtype="https://schema.org/Person"><span itemprop="name">Jane Doe</span></span>, '
             '<span itemprop="author" itemscope itemtype="https://schema.org/Person"><span itemprop="name">John Roe</span></span></div>')
    assert names(extract(page(byline=micro), url="https://news.example/a").byline) == ["Jane Doe", "John Roe"]
    rel = '<div>بقلم <a rel="author" href="/author/1">محمد علي</a> و<a rel="author" href="/author/2">ليلى حداد</a></div>'
    assert names(extract(page("ar", byline=rel), url="https://news.example/a").byline) == ["محمد علي", "ليلى حداد"]


def test_meta_author_unless_it_is_the_outlet():
    assert extract(page(head='<meta name="author" content="Ana Silva">'), url="https://news.example/a").byline == "Ana Silva"
    a = extract(page("ar", head='<meta name="author" content="The Daily Courier">',
                     byline='<div class="author-name">كتب: محمد علي</div>'), url="https://news.example/a")
    assert a.byline == "محمد علي"


def test_clean_byline_cuts_the_lead_and_what_follows_the_names():
    assert clean_byline("By JANE DOE • Published 26 February 2021") == "JANE DOE"
    assert clean_byline("كتبت: ليلى حداد | آخر تحديث ٢٦ فبراير") == "ليلى حداد"
    assert clean_byline("This is a whole sentence that happens to sit in a block classed as an author box.") is None


def test_byline_changed_without_a_profile():
    one = extract(page(head=ld([{"@type": "Person", "name": "Jane Doe"}])), url="https://news.example/a")
    two = extract(page(head=ld([{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "John Roe"}])),
                  url="https://news.example/a")
    assert one.text == two.text
    assert [c.kind for c in compare(one, two).changes] == ["byline_changed"]


# --- shapes found by the first fresh batch (bench/devpages/fresh.py), each written here as a rule -------

def split_names(byline):
    """The names, whatever joins them (", ", " and ", " و")."""
    return [n for n in re.split(r"\s*,\s*|\s+and\s+|\s+و(?=\S)", byline or "") if n]


@pytest.mark.parametrize("lang,block,want", [
    # writer-block class names of the family: writeBy, *-muhabir (Turkish-built CMSs), yazar, kateb
    ("en", '<div class="writeBy">Written By: Daniel Okafor and Emma Clarke</div>', ["Daniel Okafor", "Emma Clarke"]),
    ("en", '<div class="detay-muhabir">Selin Kaya , Marco Rossi</div>', ["Selin Kaya", "Marco Rossi"]),
    ("en", '<span class="post_yazar">Omar Haddad</span>', ["Omar Haddad"]),
    ("ar", '<div class="writeBy">كتب طارق عبد الله</div>', ["طارق عبد الله"]),
    ("ar", '<div class="haber-muhabir">سارة يوسف</div>', ["سارة يوسف"]),
    ("ar", '<p class="article-correspondent">مراسلة: ليلى حداد</p>', ["ليلى حداد"]),
])
def test_writer_blocks_by_class_word(lang, block, want):
    a = extract(page(lang, byline=block), url="https://news.example/a")
    assert split_names(a.byline) == want
    assert want[0] not in a.text


@pytest.mark.parametrize("lang,block,want", [
    ("en", '<p>Written By: Sam Patel</p>', "Sam Patel"),
    ("en", '<div class="meta-line">Reporting by: Ana Silva</div>', "Ana Silva"),
    ("ar", '<div>بقلم: محمد علي</div>', "محمد علي"),
    ("ar", '<p class="intro-line">إعداد - سارة يوسف</p>', "سارة يوسف"),
])
def test_a_label_lead_opens_a_byline_on_any_element(lang, block, want):
    a = extract(page(lang, byline=block), url="https://news.example/a")
    assert a.byline == want


@pytest.mark.parametrize("lang,block,want", [
    ("ar", '<div class="story-authors"><span class="author-name"><a href="/author/0">رنا العلي</a></span>'
     '<span class="author-name"><a href="/author/1">سامر حداد</a></span></div>', ["رنا العلي", "سامر حداد"]),
    ("en", '<div class="byline">By <span class="name">Jane Doe</span><span class="name">John Roe</span></div>',
     ["Jane Doe", "John Roe"]),
    ("en", '<div class="authors"><a href="/p/1">Jane Doe</a>, <a href="/p/2">John Roe</a> &amp; <a href="/p/3">Ana Silva</a></div>',
     ["Jane Doe", "John Roe", "Ana Silva"]),
])
def test_names_in_adjacent_elements_stay_apart(lang, block, want):
    """One element per author with nothing printed between them (the comma is drawn by CSS): each
    element is one name, never the two glued together."""
    assert names(extract(page(lang, byline=block), url="https://news.example/a").byline) == want


def test_name_elements_with_other_text_between_are_read_as_text():
    block = '<div class="byline">By <a href="/p/1">Jane Doe</a> in <a href="/world">Cairo</a></div>'
    assert extract(page(byline=block), url="https://news.example/a").byline == "Jane Doe in Cairo"
