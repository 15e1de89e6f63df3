"""Update stamps of every common shape (crawler/extract/stamps.py), read from the text of their block:
sibling spans, an icon's tail text, a label and its time on two lines, a data-* epoch, <time> inside a
byline; relative stamps carry their precision; slash dates follow the page's language or profile.
Every page here is written for the test, in English and Arabic."""
from __future__ import annotations

import pytest

from crawler.extract import extract
from crawler.extract.dates import read_phrase
from crawler.extract.profiles import Profile
from detector import compare

EN_PARAS = [
    "The port reopened on Monday after a week-long strike by dock workers ended with a pay deal agreed late on Sunday night.",
    "Shipping companies said it would take several days to clear the backlog of containers that had built up along the quays.",
    "Union leaders said members had voted by a large majority to accept the offer, which raises wages by nine percent over two years.",
    "The transport ministry said extra customs officers would work through the weekend to speed up inspections of waiting cargo.",
]
AR_PARAS = [
    "أعيد فتح الميناء يوم الاثنين بعد إضراب استمر أسبوعاً نفذه عمال الرصيف وانتهى باتفاق على زيادة الأجور ليلة الأحد.",
    "وقالت شركات الشحن إن إخلاء الحاويات المتراكمة على الأرصفة سيستغرق عدة أيام قبل أن تعود الحركة إلى طبيعتها.",
    "وأوضح قادة النقابة أن الأعضاء صوتوا بأغلبية كبيرة لصالح العرض الذي يرفع الأجور بنسبة تسعة في المئة على عامين.",
    "وقالت وزارة النقل إن موظفي جمارك إضافيين سيعملون طوال عطلة نهاية الأسبوع لتسريع تفتيش البضائع المنتظرة.",
]


def page(meta_html: str, lang: str = "en", head: str = "", byline: str = "") -> bytes:
    paras = EN_PARAS if lang.startswith("en") else AR_PARAS
    title = "Port reopens after strike" if lang.startswith("en") else "إعادة فتح الميناء بعد الإضراب"
    return (f'<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
            '<meta property="article:published_time" content="2021-02-26T09:00:00Z">'
            f'{head}</head><body><article><h1>{title}</h1>{byline}{meta_html}'
            + "".join(f"<p>{p}</p>" for p in paras) + "</article></body></html>").encode()


FETCHED = "2021-02-26T18:00:00Z"

SHAPES = [
    # a label and its time in sibling spans
    ("en", '<div class="dates"><span class="label">Updated</span><span class="value">Feb. 26, 2021 1:58 PM ET</span></div>',
     "2021-02-26T18:58:00Z"),
    ("ar", '<div class="dates"><span class="lbl">آخر تحديث</span><span class="val">26-02-2021 15:58 بتوقيت القاهرة</span></div>',
     "2021-02-26T13:58:00Z"),
    # the label is the tail text after an icon element
    ("en", '<div class="meta"><i class="icon icon-clock"></i> Updated: 26 Feb 2021, 13:58 GMT</div>', "2021-02-26T13:58:00Z"),
    ("ar", '<div class="post-meta"><i class="fa fa-clock-o"></i> تم التحديث: 26 فبراير 2021 - 01:58 م (ت.غ)</div>',
     "2021-02-26T13:58:00Z"),
    # the label on one line, the time on the next
    ("en", '<div class="article-date"><div>Last updated</div><div>February 26, 2021 at 8:58 a.m. EST</div></div>',
     "2021-02-26T13:58:00Z"),
    ("ar", '<div class="date">آخر تحديث<br>٢٦ فبراير ٢٠٢١ ٠١:٥٨ م بتوقيت غرينتش</div>', "2021-02-26T13:58:00Z"),
    # the time as an epoch in a custom element's data-* attribute (seconds, milliseconds)
    ("en", '<div class="page-meta"><span class="label">Updated</span> <bsp-timestamp data-timestamp="1614347880000">'
     '</bsp-timestamp></div>', "2021-02-26T13:58:00Z"),
    ("ar", '<div class="info"><span>تم التحديث</span> <time-ago data-epoch="1614347880"></time-ago></div>',
     "2021-02-26T13:58:00Z"),
    # wire style, in one element
    ("en", '<span class="Timestamp">Updated 1:58 PM GMT, February 26, 2021</span>', "2021-02-26T13:58:00Z"),
]


@pytest.mark.parametrize("lang,html,want", SHAPES)
def test_printed_update_stamp_read_from_its_block(lang, html, want):
    a = extract(page(html, lang), url="https://news.example/a", fetched_at=FETCHED)
    assert a.updated_at == want
    assert a.published_at == "2021-02-26T09:00:00Z"
    assert a.updated_precision_s is None                  # printed: exact
    assert "1:58" not in a.text and "13:58" not in a.text and "تحديث" not in a.text   # never a body paragraph


@pytest.mark.parametrize("lang,byline", [
    ("en", '<div class="byline">By Jane Doe · Updated <time datetime="2021-02-26T13:58:00Z">Feb. 26</time></div>'),
    ("ar", '<div class="byline">كتب: محمد علي - آخر تحديث <time datetime="2021-02-26T16:58:00+03:00">26 فبراير</time></div>'),
])
def test_time_element_inside_a_byline_is_the_update(lang, byline):
    a = extract(page("", lang, byline=byline), url="https://news.example/a", fetched_at=FETCHED)
    assert a.updated_at == "2021-02-26T13:58:00Z"
    assert a.byline in ("Jane Doe", "محمد علي")


def test_a_machine_value_after_the_label_wins_over_relative_text():
    html = '<span class="upd">Updated</span> <amp-timeago datetime="2021-02-26T13:58:00Z">3 hours ago</amp-timeago>'
    a = extract(page(html), url="https://news.example/a", fetched_at=FETCHED)
    assert a.updated_at == "2021-02-26T13:58:00Z" and a.updated_precision_s is None


@pytest.mark.parametrize("lang,html,fetched,want,precision", [
    ("en", '<span class="updated">Updated 14 min ago</span>', "2021-02-26T14:12:00Z", "2021-02-26T13:58:00Z", 60),
    ("en", '<span class="updated">Updated 2 hours ago</span>', "2021-02-26T15:58:00Z", "2021-02-26T13:58:00Z", 3600),
    ("ar", '<span class="updated">تم التحديث قبل 25 دقيقة</span>', "2021-02-26T14:23:00Z", "2021-02-26T13:58:00Z", 60),
    ("ar", '<span class="updated">آخر تحديث: منذ ساعتين</span>', "2021-02-26T15:58:00Z", "2021-02-26T13:58:00Z", 3600),
])
def test_relative_stamp_resolved_against_the_fetch_with_its_precision(lang, html, fetched, want, precision):
    a = extract(page(html, lang), url="https://news.example/a", fetched_at=fetched)
    assert a.updated_at == want
    assert a.updated_precision_s == precision


def test_relative_stamp_moving_with_the_clock_is_no_update():
    """"2 hours ago" read again 22 minutes later resolves 22 minutes later: time passed, no update. The
    same move printed as a clock time is an update."""
    def fetch(html, lang, at):
        return extract(page(html, lang), url="https://news.example/a", fetched_at=at)

    for html, lang in (('<span class="updated">آخر تحديث: منذ ساعتين</span>', "ar"),
                       ('<span class="updated">Updated 2 hours ago</span>', "en")):
        old, new = fetch(html, lang, "2021-02-26T15:58:00Z"), fetch(html, lang, "2021-02-26T16:20:00Z")
        assert old.updated_at != new.updated_at and new.updated_precision_s == 3600
        assert "updated_time_changed" not in {c.kind for c in compare(old, new).changes}
    printed = [fetch(f'<span class="Timestamp">Updated {t} GMT, February 26, 2021</span>', "en", FETCHED)
               for t in ("1:58 PM", "2:20 PM")]
    assert "updated_time_changed" in {c.kind for c in compare(*printed).changes}


SLASH = '<p class="last-updated">Updated: 03/04/2021 14:05 GMT</p>'


@pytest.mark.parametrize("lang,want", [
    ("en", "2021-03-04T14:05:00Z"),          # "en" alone, as most American outlets declare it: month first
    ("en-US", "2021-03-04T14:05:00Z"),
    ("en-GB", "2021-04-03T14:05:00Z"),       # British English: day first
    ("ar", "2021-04-03T14:05:00Z"),          # Arabic: day first
])
def test_slash_dates_follow_the_pages_language(lang, want):
    assert extract(page(SLASH, lang), url="https://news.example/a").updated_at == want


def test_slash_dates_follow_the_profiles_date_order():
    ar_html = page('<div class="time">آخر تحديث: 03/04/2021 14:05 بتوقيت غرينتش</div>', "ar")
    mdy = Profile(name="Example", key="example", domains=("news.example",), date_order="mdy")
    dmy = Profile(name="Example", key="example", domains=("news.example",), date_order="dmy")
    assert extract(ar_html, url="https://news.example/a", profile=mdy).updated_at == "2021-03-04T14:05:00Z"
    assert extract(page(SLASH, "en-US"), url="https://news.example/a", profile=dmy).updated_at == "2021-04-03T14:05:00Z"


def test_a_date_only_one_way_is_read_that_way_whatever_the_order():
    assert read_phrase("Updated 26/02/2021 13:58 GMT", month_first=True).utc == "2021-02-26T13:58:00Z"
    assert read_phrase("Updated 02/26/2021 13:58 GMT", month_first=False).utc == "2021-02-26T13:58:00Z"


@pytest.mark.parametrize("head", [
    '<meta property="article:modified_time" content="2021-02-26T16:58:00+03:00">',
    '<meta property="og:updated_time" content="2021-02-26T13:58:00Z">',
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "x", '
    '"datePublished": "2021-02-26T09:00:00Z", "dateModified": "2021-02-26T13:58:00Z"}</script>',
])
def test_machine_only_update_stamps(head):
    assert extract(page("", head=head), url="https://news.example/a").updated_at == "2021-02-26T13:58:00Z"


def test_stamps_in_page_chrome_are_not_the_articles():
    clock = '<header class="site-header"><span>آخر تحديث: 2021/03/09 الساعة 23:00</span></header>'
    html = page("", "ar").replace(b"<body>", b"<body>" + clock.encode())
    assert extract(html, url="https://news.example/a").updated_at is None


# --- shapes found by the first fresh batch (bench/devpages/fresh.py), each written here as a rule -------

def bare_page(stamp_html: str, lang: str = "en", head: str = "") -> bytes:
    """A page with no machine stamp at all: what it prints is all there is."""
    paras = EN_PARAS if lang.startswith("en") else AR_PARAS
    title = "Port reopens after strike" if lang.startswith("en") else "إعادة فتح الميناء بعد الإضراب"
    return (f'<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>{head}</head><body><article>'
            f'<h1>{title}</h1>{stamp_html}' + "".join(f"<p>{p}</p>" for p in paras) + "</article></body></html>").encode()


@pytest.mark.parametrize("lang", ["en", "en-US"])
def test_dotted_and_dashed_dates_are_day_first_even_on_a_month_first_page(lang):
    dotted = '<p class="last-updated">Updated: 11.05.2022 14:37 GMT</p>'
    assert extract(page(dotted, lang), url="https://news.example/a").updated_at == "2022-05-11T14:37:00Z"
    assert read_phrase("Updated 11-05-2022 14:37 GMT", month_first=True).utc == "2022-05-11T14:37:00Z"
    assert read_phrase("Updated 11/05/2022 14:37 GMT", month_first=True).utc == "2022-11-05T14:37:00Z"


@pytest.mark.parametrize("lang,html,want_pub", [
    ("en", '<time><span>February 26, 2021</span><span>1:58 PM GMT</span><span>Updated 2 hours ago</span></time>',
     "2021-02-26T13:58:00Z"),
    ("ar", '<time><span>26 فبراير 2021</span><span>01:58 م بتوقيت غرينتش</span><span>تم التحديث منذ ساعتين</span></time>',
     "2021-02-26T13:58:00Z"),
])
def test_an_unlabelled_time_of_spans_gives_date_and_time(lang, html, want_pub):
    """<time> without datetime whose spans hold the day, the time and an update label: the published
    stamp is the text before the label, its pieces read apart (not glued into "20211:58")."""
    a = extract(bare_page(html, lang), url="https://news.example/a", fetched_at=FETCHED)
    assert a.published_at == want_pub
    assert a.updated_at == "2021-02-26T16:00:00Z" and a.updated_precision_s == 3600


@pytest.mark.parametrize("lang,html", [
    ("en", '<div class="meta"><span class="tarih">26.02.2021 13:58 GMT</span></div>'),
    ("en", '<div class="dateline">Friday 26 February 2021 1:58 PM GMT</div>'),
    ("ar", '<div class="newsStoryDate">الجمعة، 26 فبراير 2021 01:58 م بتوقيت غرينتش</div>'),
    ("ar", '<span class="date">٢٦/٠٢/٢٠٢١ ١٣:٥٨ ت.غ</span>'),
])
def test_an_unlabelled_dateline_gives_the_published_day_its_minute(lang, html):
    head = '<meta property="article:published_time" content="2021-02-26">'      # the day, no time
    a = extract(bare_page(html, lang, head), url="https://news.example/a")
    assert a.published_at == "2021-02-26T13:58:00Z"
    assert "13:58" not in a.text and "1:58" not in a.text and "١٣:٥٨" not in a.text


def test_a_dateline_of_another_day_or_with_a_label_is_not_the_published_minute():
    head = '<meta property="article:published_time" content="2021-02-26">'
    other_day = '<div class="dateline">27.02.2021 08:00 GMT</div>'
    assert extract(bare_page(other_day, head=head), url="https://news.example/a").published_at == "2021-02-26"
    labelled = '<div class="upd">آخر تحديث: 26 فبراير 2021 17:30 بتوقيت غرينتش</div>'
    a = extract(bare_page(labelled, "ar", head), url="https://news.example/a")
    assert a.published_at == "2021-02-26" and a.updated_at == "2021-02-26T17:30:00Z"
