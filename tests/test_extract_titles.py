"""The headline is never the outlet's name (crawler/extract/titles.py): a logo <h1>, a site name in
<title> or og:title, the name given as the page's only <h1>. Pages written for the test, in English and
Arabic."""
from __future__ import annotations

import pytest

from crawler.extract import extract
from crawler.extract.titles import strip_site, title_site_part

from .test_extract_stamps import AR_PARAS, EN_PARAS

EN_TITLE = "Port reopens after a week-long strike by dock workers"
AR_TITLE = "إعادة فتح الميناء بعد إضراب عمال الرصيف أسبوعاً"


def page(lang, head, top, heading) -> bytes:
    paras = EN_PARAS if lang == "en" else AR_PARAS
    return (f'<html lang="{lang}"><head><meta charset="utf-8">{head}</head><body>{top}<div class="content">'
            f'{heading}' + "".join(f"<p>{p}</p>" for p in paras) + "</div></body></html>").encode()


CASES = [
    # a logo <h1> linking home, the headline in an <h2>, <title> "Headline | Site"
    ("en", f"<title>{EN_TITLE} | Metro Herald</title>", '<h1 class="logo"><a href="/">Metro Herald</a></h1>',
     f'<h2 class="headline">{EN_TITLE}</h2>', EN_TITLE),
    ("ar", f"<title>{AR_TITLE} - الوطن اليوم</title>", '<h1 class="logo"><a href="/">الوطن اليوم</a></h1>',
     f'<h2 class="headline">{AR_TITLE}</h2>', AR_TITLE),
    # a logo <h1> holding an image; <title> "Site | Headline" (the site first)
    ("en", f"<title>Metro Herald | {EN_TITLE}</title>",
     '<div id="header"><h1><a href="/news"><img src="/logo.png" alt="Metro Herald">Metro Herald</a></h1></div>',
     f'<div class="news-title">{EN_TITLE}</div>', EN_TITLE),
    ("ar", f"<title>الوطن اليوم | {AR_TITLE}</title>",
     '<div id="header"><h1><a href="/ar"><img src="/logo.png" alt="الوطن اليوم">الوطن اليوم</a></h1></div>',
     f'<div class="news-title">{AR_TITLE}</div>', AR_TITLE),
    # og:site_name names the site; the only <h1> is that name (a masthead), og:title carries the site too
    ("en", f'<meta property="og:site_name" content="Metro Herald"><meta property="og:title" content="{EN_TITLE} – Metro Herald">',
     '<div class="masthead"><h1>Metro Herald</h1></div>', f"<h2>{EN_TITLE}</h2>", EN_TITLE),
    ("ar", f'<meta property="og:site_name" content="الوطن اليوم"><meta property="og:title" content="الوطن اليوم :: {AR_TITLE}">',
     '<div class="masthead"><h1>الوطن اليوم</h1></div>', f"<h2>{AR_TITLE}</h2>", AR_TITLE),
]


@pytest.mark.parametrize("lang,head,top,heading,want", CASES)
def test_the_site_name_is_never_the_headline(lang, head, top, heading, want):
    a = extract(page(lang, head, top, heading), url="https://news.example/a")
    assert a.title == want
    site = "Metro Herald" if lang == "en" else "الوطن اليوم"
    assert site not in a.text                   # nor a body line


def test_a_jsonld_headline_that_is_the_site_name_is_skipped():
    head = ('<meta property="og:site_name" content="Metro Herald">'
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Metro Herald"}</script>')
    a = extract(page("en", head, "", f"<article><h1>{EN_TITLE}</h1></article>"), url="https://news.example/a")
    assert a.title == EN_TITLE


def test_site_part_of_the_title():
    assert title_site_part(f"{EN_TITLE} | Metro Herald") == "Metro Herald"
    assert title_site_part("Short | A much longer second part than the first one") is None
    assert strip_site(f"{AR_TITLE} - الوطن اليوم", {"الوطن اليوم"}) == AR_TITLE
    # a dash inside the headline stays when neither side is a site name
    assert strip_site("Talks resume - and aid waits", {"metro herald"}) == "Talks resume - and aid waits"


# --- found by the first fresh batch (bench/devpages/fresh.py): a printed microdata headline -----------

@pytest.mark.parametrize("lang,site,title", [("en", "Metro Herald", EN_TITLE), ("ar", "الوطن اليوم", AR_TITLE)])
def test_a_microdata_headline_beats_a_title_that_starts_with_the_site(lang, site, title):
    """An old table CMS: <title> "Site - Headline", the site only as a logo image, the headline in
    <h2 itemprop="headline"> of the article item; a teaser's headline in the sidebar comes first in the
    page and is not it."""
    teaser = ('<aside class="sidebar"><div itemscope itemtype="http://schema.org/NewsArticle">'
              '<h3 itemprop="headline">Council approves new cycle lanes</h3></div></aside>')
    top = f'<table class="top"><tr><td><a href="/"><img src="/l.gif" alt="{site}"></a></td></tr></table>{teaser}'
    heading = (f'<table itemscope itemtype="http://schema.org/NewsArticle"><tr><td>'
               f'<h2 itemprop="headline">{title}</h2></td></tr></table>')
    a = extract(page(lang, f"<title>{site} - {title}</title>", top, heading), url="https://news.example/a")
    assert a.title == title


def test_a_headline_of_another_item_type_is_not_the_articles():
    heading = ('<div itemscope itemtype="https://schema.org/VideoObject"><h3 itemprop="headline">Watch: the port at dawn</h3></div>'
               f'<h1>{EN_TITLE}</h1>')
    assert extract(page("en", "<title>x</title>", "", heading), url="https://news.example/a").title == EN_TITLE
