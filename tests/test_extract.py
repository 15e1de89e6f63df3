"""Extraction: pure functions of bytes, URL and fetch time."""
from __future__ import annotations

import pytest

from crawler.extract import ExtractionError, extract, profile_for
from crawler.extract.dates import label_of, parse_iso, parse_phrase
from scheduler.demo_site import render_article

from .conftest import ARTICLE_URL


def page(body: str, head: str = "", lang="ar") -> bytes:
    return f'<html lang="{lang}"><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'.encode()


ARTICLE_BODY = "".join(f"<p>{s}</p>" for s in [
    "قال المرصد السوري لحقوق الإنسان إن حصيلة القتلى ارتفعت إلى 22 قتيلاً على الأقل في الغارات الأخيرة.",
    "وأضاف أن عدد القتلى مرشح للارتفاع نظراً لوجود جرحى بعضهم في حالات خطرة في المستشفيات القريبة.",
    "وكانت وزارة الدفاع قد أعلنت في وقت سابق أن الطائرات استهدفت مواقع عسكرية على الحدود بين البلدين.",
])


def test_demo_article_title_stamps_and_clean_text():
    a = extract(render_article("v2"), url=ARTICLE_URL)
    assert a.title.endswith("حصيلة الضربة ترتفع لـ22 قتيلاً")
    assert a.published_at == "2021-02-26T13:55:00Z"
    assert a.updated_at == "2021-02-26T13:58:00Z"
    assert a.byline == "عربي بوست" and a.lang == "ar"
    for furniture in ("تحميل المزيد", "الأكثر قراءة", "بلومبيرغ", "فيسبوك", "أسعار الذهب"):
        assert furniture not in a.text
    assert "هجوم بأمر من بايدن" in a.text and len(a.paragraphs) >= 10
    assert {(f.measure, f.value) for f in a.figures} == {("killed", 22)}


def test_profile_is_found_by_domain_and_subdomain():
    assert profile_for("https://arabicpost.net/x/2021/01/01/y/").key == "arabicpost.net"
    assert profile_for("https://www.arabicpost.net/x/").key == "arabicpost.net"
    assert profile_for("https://example.com/") is None


def test_jsonld_graph_dates_headline_and_author():
    head = '''<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
      {"@type":"WebSite","name":"X"},
      {"@type":"NewsArticle","headline":"Toll rises to 22","datePublished":"2021-02-26T16:55:00+03:00",
       "dateModified":"2021-02-26T16:58:00+03:00","author":[{"@type":"Person","name":"Jane Roe"}]}]}</script>'''
    a = extract(page("<h1>Other</h1>" + ARTICLE_BODY, head), url="https://news.example/a")
    assert (a.title, a.published_at, a.updated_at, a.byline) == (
        "Toll rises to 22", "2021-02-26T13:55:00Z", "2021-02-26T13:58:00Z", "Jane Roe")


def test_broken_jsonld_is_skipped_and_meta_tags_used():
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", broken</script>'
            '<meta property="article:published_time" content="2021-02-26T13:55:00Z">'
            '<meta property="article:modified_time" content="2021-02-26T13:58:00Z">'
            '<meta property="og:title" content="عنوان الخبر">')
    a = extract(page(ARTICLE_BODY, head), url="https://news.example/a")
    assert (a.title, a.published_at, a.updated_at) == ("عنوان الخبر", "2021-02-26T13:55:00Z", "2021-02-26T13:58:00Z")


def test_itemprop_and_time_elements():
    body = ('<article><h1>T</h1><time itemprop="datePublished" datetime="2024-03-03T10:00:00Z">3 March</time>'
            '<time class="updated" datetime="2024-03-03T12:30:00+01:00">later</time>' + ARTICLE_BODY + "</article>")
    a = extract(page(body, lang="en"), url="https://news.example/a")
    assert (a.published_at, a.updated_at) == ("2024-03-03T10:00:00Z", "2024-03-03T11:30:00Z")


def test_meta_tag_holding_arabic_prose_is_ignored_not_a_crash():
    head = '<meta property="article:published_time" content="منذ ساعتين تقريباً">'
    a = extract(page(ARTICLE_BODY, head), url="https://news.example/a")
    assert a.published_at is None


def test_updated_before_published_is_not_trusted():
    head = ('<meta property="article:published_time" content="2021-02-26T13:55:00Z">'
            '<meta property="article:modified_time" content="2020-01-01T00:00:00Z">')
    a = extract(page(ARTICLE_BODY, head), url="https://news.example/a")
    assert a.published_at == "2021-02-26T13:55:00Z" and a.updated_at is None


def test_header_clock_is_not_the_article_stamp():
    body = ('<header class="site-header"><span>آخر تحديث: 2024/05/01 الساعة 09:00 بتوقيت غرينتش</span></header>'
            '<article><h1>خبر</h1><div class="meta">تم النشر: 2021/02/26 الساعة 13:55 بتوقيت غرينتش</div>'
            + ARTICLE_BODY + "</article>")
    a = extract(page(body), url="https://news.example/a")
    assert a.published_at == "2021-02-26T13:55:00Z"
    assert a.updated_at is None


@pytest.mark.parametrize("phrase, expected", [
    ("تم النشر: 2021/02/26 الساعة 13:55 بتوقيت غرينتش", "2021-02-26T13:55:00Z"),
    ("تم التحديث: ٢٠٢١/٠٢/٢٦ الساعة ١٣:٥٨ بتوقيت غرينتش", "2021-02-26T13:58:00Z"),
    ("نُشر في 26 شباط 2021 - 05:30 م بتوقيت مكة المكرمة", "2021-02-26T14:30:00Z"),
    ("آخر تحديث: 12 كانون الثاني 2024 10:00 بتوقيت القدس", "2024-01-12T08:00:00Z"),
    ("الأحد 14 نيسان / أبريل 2024 09:15 ص", "2024-04-14T09:15:00Z"),
    ("12 جانفي 2023 على الساعة 11:00", "2023-01-12T11:00:00Z"),
    ("تاريخ النشر: 3 مايو 2024 - 8:20 مساءً بتوقيت القاهرة", "2024-05-03T17:20:00Z"),
    ("Updated 5:02 PM GMT, 3 March 2024", "2024-03-03T17:02:00Z"),
    ("Published February 26, 2021 at 9:05 am EST", "2021-02-26T14:05:00Z"),
    ("محدثة 26/02/2021 13:58 GMT+0400", "2021-02-26T09:58:00Z"),
    ("Last updated: 14 January 2024 at 18:05 GMT", "2024-01-14T18:05:00Z"),
    ("تم النشر: 3 يناير 2024 - 9:15 صباحاً بتوقيت القاهرة", "2024-01-03T07:15:00Z"),
    ("نشر بتاريخ 7 فيفري 2023 على الساعة 15:40", "2023-02-07T15:40:00Z"),
    ("الأحد 21 تموز/يوليو 2024 - 10:05 م بتوقيت بيروت", "2024-07-21T19:05:00Z"),
])
def test_visible_date_phrases(phrase, expected):
    assert parse_phrase(phrase) == expected


@pytest.mark.parametrize("phrase, kind", [
    ("تم النشر: 2021/02/26", "published"), ("نُشر في 26 شباط 2021", "published"), ("تاريخ النشر: 3 مايو 2024", "published"),
    ("تم التحديث: 2021/02/26", "updated"), ("آخر تحديث: منذ ساعتين", "updated"), ("محدثة 26/02/2021", "updated"),
    ("Published 3 March 2024", "published"), ("Updated 5:02 PM GMT", "updated"), ("Last updated on 3 March", "updated"),
])
def test_labels_say_which_stamp(phrase, kind):
    assert label_of(phrase) == kind


def test_iso_parsing_edge_cases():
    assert parse_iso("2021-02-26T13:55:00+03:00") == "2021-02-26T10:55:00Z"
    assert parse_iso("2021-02-26 13:55", "Asia/Riyadh") == "2021-02-26T10:55:00Z"
    assert parse_iso("not a date") is None and parse_iso(None) is None


def test_windows_1256_page_decodes():
    html = ('<html lang="ar"><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'
            '<title>مقتل 22 شخصاً</title></head><body><article><h1>مقتل 22 شخصاً في غارة</h1>'
            + ARTICLE_BODY + "</article></body></html>")
    a = extract(html.encode("cp1256"), url="https://news.example/a")
    assert a.title == "مقتل 22 شخصاً في غارة" and "المرصد السوري" in a.text


def test_page_that_lies_about_its_charset_still_reads():
    html = ('<html lang="ar"><head><meta charset="utf-8"></head><body><article><h1>مقتل 22 شخصاً في غارة</h1>'
            + ARTICLE_BODY + "</article></body></html>")
    a = extract(html.encode("cp1256"), url="https://news.example/a", content_type="text/html; charset=utf-8")
    assert a.title == "مقتل 22 شخصاً في غارة"


@pytest.mark.parametrize("body", [b"", b"   ", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))])
def test_empty_or_binary_input_is_a_clear_error(body):
    with pytest.raises(ExtractionError):
        extract(body, url="https://news.example/a")


def test_malformed_html_does_not_crash():
    a = extract(b"<html><body><h1>Title<p>Unclosed <b>tags <div></span>" + ARTICLE_BODY.encode() + b"</td>",
                url="https://news.example/a")
    assert a.title and "Title" in a.title


def test_microdata_stamp_of_another_item_is_not_the_article_stamp():
    body = ('<div itemscope itemtype="https://schema.org/VideoObject">'
            '<meta itemprop="datePublished" content="2015-01-02T16:00:31Z"></div>'
            '<article itemscope itemtype="https://schema.org/NewsArticle"><h1>T</h1>'
            '<meta itemprop="datePublished" content="2014-12-16T11:45:18-05:00">' + ARTICLE_BODY + "</article>")
    assert extract(page(body, lang="en"), url="https://news.example/a").published_at == "2014-12-16T16:45:18Z"


@pytest.mark.parametrize("phrase, expected", [
    ("نشر قبل 12 دقيقة", "2021-02-26T13:48:00Z"),
    ("آخر تحديث: منذ ساعتين", "2021-02-26T12:00:00Z"),
    ("منذ ٣ أيام", "2021-02-23T14:00:00Z"),
    ("Updated 2 hours ago", "2021-02-26T12:00:00Z"),
    ("an hour ago", "2021-02-26T13:00:00Z"),
])
def test_relative_stamps_resolve_against_the_fetch_time(phrase, expected):
    assert parse_phrase(phrase, now="2021-02-26T14:00:00Z") == expected
    assert parse_phrase(phrase) is None            # without a fetch time there is nothing to resolve against


def test_relative_updated_stamp_on_a_page_uses_fetched_at():
    body = ('<article><h1>خبر</h1><div class="meta">تم النشر: 2021/02/26 الساعة 10:00 بتوقيت غرينتش</div>'
            '<div class="meta">آخر تحديث: منذ ساعتين</div>' + ARTICLE_BODY + "</article>")
    a = extract(page(body), url="https://news.example/a", fetched_at="2021-02-26T14:00:00Z")
    assert (a.published_at, a.updated_at) == ("2021-02-26T10:00:00Z", "2021-02-26T12:00:00Z")


def test_persian_digits_and_date_only_stamps():
    assert parse_phrase("تاریخ انتشار: ۱۴۰۲ ۲۰۲۴/۰۳/۰۵") == "2024-03-05"
    assert parse_phrase("5 مارس 2024") == "2024-03-05"
    assert parse_iso("2024-03-05") == "2024-03-05"


def test_date_only_stamp_yields_to_a_precise_one_of_the_same_day():
    head = '<meta property="article:published_time" content="2024-03-05T08:10:00Z">'
    body = '<article><h1>T</h1><time class="published" datetime="2024-03-05">5 March</time>' + ARTICLE_BODY + "</article>"
    assert extract(page(body, head, "en"), url="https://news.example/a").published_at == "2024-03-05T08:10:00Z"


def test_iso_8859_6_page_decodes():
    html = ('<html lang="ar"><head><meta charset="iso-8859-6"></head><body><article><h1>مقتل 22 شخصا في غارة</h1>'
            + ARTICLE_BODY.replace("ً", "") + "</article></body></html>")
    a = extract(html.encode("iso-8859-6", errors="ignore"), url="https://news.example/a")
    assert a.title == "مقتل 22 شخصا في غارة" and "المرصد السوري" in a.text


def test_liveblogposting_marks_the_article_live():
    head = '<script type="application/ld+json">{"@type":"LiveBlogPosting","headline":"Live: strikes"}</script>'
    assert extract(page(ARTICLE_BODY, head, "en"), url="https://news.example/live").live is True
    assert extract(page(ARTICLE_BODY, "", "en"), url="https://news.example/a").live is False


@pytest.mark.parametrize("phrase, expected", [
    ("2 تير 1399 - 12:09:08 ب.ظ", "2020-06-22T12:09:00Z"),          # Solar Hijri month name, Persian PM
    ("۱۳۹۹/۰۲/۲۱ - ۱۸:۵۹", "2020-05-10T18:59:00Z"),                   # Solar Hijri, Persian digits
    ("1442/07/14 هـ الموافق 2021/02/26", "2021-02-26"),              # lunar Hijri skipped, Gregorian read
    ("الجمعة 14 رجب 1442 هـ", None),                                  # lunar Hijri alone: not guessed
])
def test_persian_and_hijri_calendars(phrase, expected):
    assert parse_phrase(phrase) == expected


def test_jalali_conversion():
    from crawler.extract.dates import jalali_to_gregorian
    assert jalali_to_gregorian(1403, 1, 1) == (2024, 3, 20)       # Nowruz
    assert jalali_to_gregorian(1398, 11, 29) == (2020, 2, 18)



def test_an_undeclared_charset_is_read_the_same_whatever_the_furniture():
    """No charset declared anywhere: the guess must not flip when only a page's furniture changes (it did
    on one corpus page: UTF-8 one fetch, mac_cyrillic the next, so an unchanged article became mojibake).
    Every real page of ../shared/corpora, served by the benchmark's page server with two furniture rounds."""
    from bench.pageserver import CorporaMissing, Site, load_bases
    from crawler.extract.encoding import decode
    try:
        bases = load_bases()
    except CorporaMissing as e:
        pytest.skip(f"needs ../shared/corpora: {e}")
    site = Site(bases, 500)
    site.set_base("http://127.0.0.1:18777")
    first = [decode(b"".join(site.body(i)), "text/html")[1] for i in range(site.n)]
    flips = []
    for _ in range(4):
        site.advance(percent=0, furniture=True)
        flips += [i for i in range(site.n) if decode(b"".join(site.body(i)), "text/html")[1] != first[i]]
    assert flips == []
