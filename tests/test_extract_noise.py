"""What is never article text (crawler/extract/body.py, noise_words.py): "Read also" teasers, counters,
newsletter boxes, one-link lines, stamp lines, site-name lines, headings with the teasers under them;
and the default-mode fallback never wins on link text alone. Each family in Arabic and English, on
lines and on pages written for the test."""
from __future__ import annotations

import pytest

from crawler.extract import extract
from crawler.extract.body import filter_noise
from detector.normalize import loose

from .test_extract_stamps import AR_PARAS, EN_PARAS

EN = EN_PARAS[0]
AR = AR_PARAS[0]


@pytest.mark.parametrize("text,line", [
    (EN, "Read also: Dock workers vote on the new pay deal"),
    (EN, "READ MORE - Union leader re-elected for a third term"),
    (AR, "اقرأ أيضاً: عمال الرصيف يصوتون على اتفاق الأجور"),
    (AR, "إقرأ ايضا | إعادة انتخاب رئيس النقابة"),
])
def test_inline_read_also_teaser(text, line):
    assert filter_noise([text, line]) == [text]


@pytest.mark.parametrize("line", ["1,234 views", "Views: 1,234", "12 comments", "No comments yet",
                                  "عدد القراءات: ٥٢٣", "٥٢٣ مشاهدة", "12 تعليق", "لا توجد تعليقات"])
def test_counters(line):
    assert filter_noise([EN, line, AR]) == [EN, AR]


def test_a_sentence_with_a_number_of_views_is_text():
    s = "The video had 1,234 views within an hour of being posted, the ministry said on Monday."
    assert filter_noise([s]) == [s]


@pytest.mark.parametrize("line", ["Sign up for our morning newsletter", "Get the day's top stories in your inbox",
                                  "Follow us on Twitter and Facebook", "اشترك في النشرة البريدية",
                                  "تابعونا على تويتر وفيسبوك"])
def test_newsletter_and_follow_boxes(line):
    assert filter_noise([EN, line]) == [EN]


def test_a_line_that_is_one_links_text():
    teaser = "Union leader re-elected for a third term"
    assert filter_noise([EN, teaser], anchors={loose(teaser)}) == [EN]
    assert filter_noise([EN, teaser], anchors=set()) == [EN, teaser]


@pytest.mark.parametrize("line", ["Updated 1:58 PM GMT, February 26, 2021", "Feb. 26, 2021 1:58 PM ET",
                                  "Updated 14 min ago", "Updated", "تم التحديث: 2021/02/26 الساعة 13:58 بتوقيت غرينتش",
                                  "آخر تحديث: منذ ساعتين", "٢٦ فبراير ٢٠٢١ ٠١:٥٨ م", "منذ ساعتين"])
def test_stamp_lines(line):
    assert filter_noise([EN, line]) == [EN]


def test_a_sentence_that_mentions_a_date_or_now_is_text():
    keep = ["The strike began on 12 February 2021 and ended with a pay deal agreed on Sunday night.",
            "ماذا يحدث الآن؟", "Published reports said the deal was close."]
    assert filter_noise(keep) == keep


def test_site_name_lines():
    assert filter_noise(["Metro Herald", EN, "الوطن اليوم"], sites={"metro herald", loose("الوطن اليوم")}) == [EN]


@pytest.mark.parametrize("heading,teasers", [
    ("Related stories", ["Dock workers vote on deal", "Union leader re-elected"]),
    ("Most read", ["Markets slide as oil prices tumble", "Five things to know about the visa rules"]),
    ("الأكثر قراءة", ["عمال الرصيف يصوتون على الاتفاق", "إعادة انتخاب رئيس النقابة"]),
    ("اقرأ أيضاً:", ["ارتفاع أسعار الوقود", "افتتاح جسر جديد"]),
    ("Tags", ["Strikes", "Shipping"]),
])
def test_a_heading_and_the_teasers_under_it_then_text_again(heading, teasers):
    after = EN_PARAS[1]                      # a sentence-ended paragraph ends the teaser run
    assert filter_noise([EN, heading, *teasers, after]) == [EN, after]


# --- on pages -----------------------------------------------------------------------------------------------

def page(lang, extra_in_article="", extra_after="") -> bytes:
    paras = EN_PARAS if lang == "en" else AR_PARAS
    title = "Port reopens after strike" if lang == "en" else "إعادة فتح الميناء بعد الإضراب"
    return (f'<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f'<nav><a href="/">Home</a></nav><article><h1>{title}</h1>'
            + "".join(f"<p>{p}</p>" for p in paras[:2]) + extra_in_article
            + "".join(f"<p>{p}</p>" for p in paras[2:]) + f"</article>{extra_after}<footer>© 2021</footer></body></html>").encode()


@pytest.mark.parametrize("lang,inside,after,gone", [
    ("en", '<p><strong>Read also:</strong> <a href="/n/1">Dock workers vote on the new pay deal</a></p>',
     '<div class="stats"><span class="views">1,234 views</span></div>', ["Dock workers vote", "1,234 views"]),
    ("ar", '<p><strong>اقرأ أيضاً:</strong> <a href="/n/1">عمال الرصيف يصوتون على اتفاق الأجور</a></p>',
     '<div class="stats">عدد القراءات: ٥٢٣</div>', ["عمال الرصيف يصوتون", "عدد القراءات"]),
    ("en", '<div class="newsletter-box"><h3>Sign up for our morning newsletter</h3></div>',
     '<div class="related"><h3>Related stories</h3><ul><li><a href="/n/2">Markets slide as oil prices tumble</a></li>'
     '<li><a href="/n/3">Five things to know about the visa rules</a></li></ul></div>',
     ["newsletter", "Markets slide", "Five things"]),
    ("ar", '<div class="newsletter-box"><h3>اشترك في النشرة البريدية</h3></div>',
     '<div class="related-news"><h3>الأكثر قراءة</h3><ul><li><a href="/n/2">ارتفاع أسعار الوقود في العاصمة</a></li>'
     '<li><a href="/n/3">افتتاح جسر جديد فوق النهر</a></li></ul></div>', ["النشرة البريدية", "ارتفاع أسعار", "افتتاح جسر"]),
])
def test_noise_on_pages(lang, inside, after, gone):
    a = extract(page(lang, inside, after), url="https://news.example/a")
    for p in (EN_PARAS if lang == "en" else AR_PARAS):
        assert loose(p) in loose(a.text)
    for g in gone:
        assert loose(g) not in loose(a.text)


@pytest.mark.parametrize("lang,box,teaser", [
    ("en", '<div class="related"><h4>Related</h4><a href="/x">Dock workers vote on deal</a></div>', "Dock workers vote"),
    ("ar", '<div class="related"><h4>ذات صلة</h4><a href="/x">عمال الرصيف يصوتون على الاتفاق</a></div>', "عمال الرصيف يصوتون"),
])
def test_a_short_page_keeps_precision_mode_when_default_adds_only_links(lang, box, teaser):
    """On a short article precision mode returns "too little"; trafilatura's default mode then returns
    the page as one line with the related box glued on. It must not win for its link text."""
    paras = (EN_PARAS if lang == "en" else AR_PARAS)[:2]
    html = (f'<html lang="{lang}"><body><nav><a href="/">Home</a></nav><article><h1>Port</h1>'
            + "".join(f"<p>{p}</p>" for p in paras) + f"{box}</article><footer>© 2024</footer></body></html>").encode()
    a = extract(html, url="https://news.example/a")
    assert all(loose(p) in loose(a.text) for p in paras)
    assert loose(teaser) not in loose(a.text)


# --- found by the first fresh batch (bench/devpages/fresh.py): a dateline line with a weekday, a month
# and a zone phrase is a stamp line; the words counted against a line are those not in the date tables.

@pytest.mark.parametrize("line", ["الجمعة، 26 فبراير 2021 01:58 م بتوقيت غرينتش", "Thursday, December 1, 2022 9:05 AM Pacific Time",
                                  "السبت ٢٠ أغسطس ٢٠٢٢ - ١١:٤٩ صباحا بتوقيت مكة",
                                  # and, as before, a stamp with a few other words (a name) is one too
                                  "5:45 AM PST 11/19/2019 by Patrick Shanley", "10:15 ص 2021/02/26 كتب محمد علي"])
def test_a_dateline_with_weekday_month_and_zone_is_a_stamp_line(line):
    assert filter_noise([EN, line, AR]) == [EN, AR]


@pytest.mark.parametrize("line", ["The minister said on 26 February 2021 that", "وقال الوزير في 26 فبراير 2021 إن المحادثات"])
def test_a_short_sentence_with_a_date_is_text(line):
    assert filter_noise([line]) == [line]


@pytest.mark.parametrize("lang,dateline", [
    ("ar", '<div class="newsStoryDate">الجمعة، 26 فبراير 2021 01:58 م بتوقيت غرينتش</div>'),
    ("en", '<div class="dateline">Thursday, February 25, 2021 9:05 AM Pacific Time</div>'),
])
def test_a_dateline_above_the_text_is_not_in_the_body(lang, dateline):
    paras = EN_PARAS if lang == "en" else AR_PARAS
    html = (f'<html lang="{lang}"><head><meta charset="utf-8"><title>Port</title></head><body><article><h1>Port</h1>'
            f'{dateline}' + "".join(f"<p>{p}</p>" for p in paras) + "</article></body></html>").encode()
    a = extract(html, url="https://news.example/a")
    assert a.text.startswith(paras[0][:30]) and "2021" not in a.text
