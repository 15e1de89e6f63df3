"""The pure core: normalization, sentences, figures, compare(), summaries."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from detector import Article, compare, find_figures, normalize, summarize, version_hash
from detector.figures import figures_in_sentence
from detector.normalize import loose
from detector.sentences import split_sentences

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "arabi-post-2021-02-26.txt"


def art(text, title="t", **kw):
    a = Article(url="u", title=title, text=text, **kw)
    return Article(**{**a.__dict__, "figures": find_figures(a.title, a.text)})


def figs(sentence):
    return sorted((f.measure, f.value) for f in figures_in_sentence(sentence))


# --- normalization -------------------------------------------------------------------------------

def test_normalize_removes_tashkeel_tatweel_and_unifies_letters_and_digits():
    assert normalize("قُتِلوا") == normalize("قتلوا")
    assert normalize("الحصيلـــة") == normalize("الحصيلة")
    assert normalize("إيران") == normalize("ايران")
    assert normalize("٢٢ قتيلاً") == normalize("22 قتيلا")
    assert normalize("مدرسة") == normalize("مدرسه")


def test_loose_ignores_punctuation_and_quote_styles():
    assert loose("روسيا “منزعجة”، اليوم.") == loose('روسيا "منزعجة" اليوم')


# --- sentences -----------------------------------------------------------------------------------

def test_arabic_comma_does_not_end_a_sentence_but_question_mark_and_semicolon_do():
    s = [t for _, t in split_sentences("قال المرصد، الجمعة، إن الحصيلة ارتفعت. هل تتغير؟ ربما؛ لا أحد يعرف")]
    assert s == ["قال المرصد، الجمعة، إن الحصيلة ارتفعت.", "هل تتغير؟", "ربما؛", "لا أحد يعرف"]


def test_english_abbreviations_decimals_and_quotes():
    s = [t for _, t in split_sentences('Mr. Kirby said the U.S. strike was "proportionate." It cost 3.5 million.')]
    assert s == ['Mr. Kirby said the U.S. strike was "proportionate."', "It cost 3.5 million."]


def test_paragraphs_are_kept_apart():
    assert [p for p, _ in split_sentences("أ. ب.\n\nج.")] == [0, 0, 1]


# --- figures -------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, expected", [
    ("حصيلة الضربة ترتفع لـ22 قتيلاً", [("killed", 22)]),
    ("مقتل 22 شخصاً في غارة جوية", [("killed", 22)]),
    ("ارتفعت حصيلة القتلى إلى 22", [("killed", 22)]),
    ("أن 22 شخصاً من الميليشيات قد قُتلوا على الأقل", [("killed", 22)]),
    ("22 killed in the strike", [("killed", 22)]),
    ("The death toll rises to 22", [("killed", 22)]),
    ("At least 30 people were injured", [("injured", 30)]),
    ("وأصيب ٣٠ شخصاً بجروح", [("injured", 30)]),
    ("مقتل ثلاثة أشخاص وإصابة 12 آخرين", [("injured", 12), ("killed", 3)]),
    ("police arrested 12 protesters", [("arrested", 12)]),
    ("the toll rose to at least 1,200", [("killed", 1200)]),
])
def test_tolls_in_arabic_and_english(sentence, expected):
    assert figs(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "وأدى هجوم صاروخي في 15 فبراير/شباط على قاعدة جوية إلى مقتل مدني",
    "إحياء الاتفاق النووي المبرم مع إيران عام 2015",
    "لتدمير 3 شاحنات للذخيرة بشكل كامل",
    "عند الساعة الواحدة بعد منتصف الليل",
    "تم النشر: 2021/02/26 الساعة 13:55 بتوقيت غرينتش",
    "He was 22 years old", "killed in 2015", "The 22-year-old was arrested", "no one was killed",
    "Prices rose 22% after 3 attacks",
])
def test_times_dates_ages_and_counts_of_things_are_not_tolls(sentence):
    assert figs(sentence) == []


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seed is not beside this checkout")
def test_seed_article_figures_are_all_22_killed():
    lines = SEED.read_text(encoding="utf-8").split("\n")
    found = find_figures(lines[0], "\n\n".join(l for l in lines[1:] if l.strip()))
    assert found and {(f.measure, f.value) for f in found} == {("killed", 22)}


def test_eastern_arabic_digits_equal_ascii():
    assert figs("مقتل ٢٢ شخصاً") == figs("مقتل 22 شخصاً")


def test_qualifier_at_least():
    f = figures_in_sentence("وصل إلى 22 قتيلاً على الأقل")[0]
    assert f.qualifier == "at_least"


# --- compare ---------------------------------------------------------------------------------------

V1 = art("قال المرصد إن 17 شخصاً قد قُتلوا.\n\nوأكد لافروف الخبر.", title="مقتل 17 شخصاً",
         published_at="2021-02-26T13:55:00Z", updated_at="2021-02-26T13:55:00Z")
V2 = art("قال المرصد إن 22 شخصاً قد قُتلوا.\n\nوأكد لافروف الخبر.\n\nوالعدد مرشح للارتفاع.",
         title="حصيلة الضربة ترتفع لـ22 قتيلاً", published_at="2021-02-26T13:55:00Z",
         updated_at="2021-02-26T13:58:00Z")


def kinds(result):
    return sorted(c.kind for c in result.changes)


def test_revision_reports_figure_stamp_headline_and_paragraph():
    r = compare(V1, V2)
    by = {c.kind: c for c in r.changes}
    assert by["figure_changed"].field == "killed"
    assert (by["figure_changed"].old, by["figure_changed"].new) == (17, 22)
    assert by["figure_changed"].detail["direction"] == "up" and by["figure_changed"].severity == "high"
    assert (by["updated_time_changed"].old, by["updated_time_changed"].new) == ("2021-02-26T13:55:00Z",
                                                                               "2021-02-26T13:58:00Z")
    assert by["updated_time_changed"].severity == "low"
    assert "title_changed" in by and "sentence_added" in by
    assert r.alert
    assert summarize(r.changes) == "killed: 17 → 22 (up) · updated 13:55 → 13:58 GMT · headline changed · 1 paragraph added"


def test_falling_toll_is_medium_and_direction_down():
    c = [c for c in compare(V2, V1).changes if c.kind == "figure_changed"][0]
    assert c.detail["direction"] == "down" and c.severity == "medium"


def test_only_the_updated_stamp_moving_does_not_alert():
    later = Article(**{**V1.__dict__, "updated_at": "2021-02-26T14:30:00Z"})
    r = compare(V1, later)
    assert kinds(r) == ["updated_time_changed"] and not r.alert


def test_diacritics_and_punctuation_only_are_cosmetic_and_never_alert():
    edited = art("قال المَرصدُ إنّ 17 شخصاً قد قُتِلوا!\n\nوأكد لافروف «الخبر».", title="مقتل 17 شخصاً",
                 published_at=V1.published_at, updated_at=V1.updated_at)
    r = compare(V1, edited)
    assert kinds(r) == ["cosmetic"] and not r.alert and r.changes[0].severity == "none"


def test_correction_notice_is_its_own_kind():
    fixed = art(V1.text + "\n\nتصحيح: ذكرت نسخة سابقة من هذا التقرير اسم الوزير خطأً.", title=V1.title,
                published_at=V1.published_at, updated_at=V1.updated_at)
    r = compare(V1, fixed)
    assert kinds(r) == ["correction_added"] and r.changes[0].severity == "high"


def test_moved_and_edited_sentences():
    a = art("First sentence here. Second one is about the port. Third closes it.")
    b = art("Third closes it. First sentence here. Second one is about the old port.")
    k = kinds(compare(a, b))
    assert "sentence_moved" in k and "sentence_edited" in k and "sentence_added" not in k


def test_first_version_reports_nothing():
    assert compare(None, V1).changes == ()


def test_version_hash_ignores_figures_but_not_text():
    assert version_hash(V1) == version_hash(Article(**{**V1.__dict__, "figures": ()}))
    assert version_hash(V1) != version_hash(V2)


def test_arabic_summary():
    assert summarize(compare(V1, V2).changes, "ar").startswith("القتلى: من 17 إلى 22 (ارتفاع)")


# --- properties ------------------------------------------------------------------------------------

words = st.sampled_from(["المرصد", "قال", "إن", "الضربة", "سوريا", "the", "strike", "port", "said", "22", "قتيلاً",
                         "شخصاً", "مقتل", "killed", "people"])
texts = st.lists(st.lists(words, min_size=1, max_size=12).map(" ".join), min_size=1, max_size=6).map(
    lambda ss: "\n\n".join(s + "." for s in ss))


@settings(max_examples=60, deadline=None)
@given(texts, st.text(min_size=0, max_size=30))
def test_compare_with_itself_reports_nothing(text, title):
    a = art(text, title=title)
    assert compare(a, a).changes == ()


@settings(max_examples=60, deadline=None)
@given(texts, st.sampled_from(["fatha", "shadda", "tatweel", "spaces", "punctuation", "digits"]))
def test_cosmetic_edits_never_alert(text, edit):
    marks = {"fatha": "\u064e", "shadda": "\u0651", "tatweel": "\u0640"}
    if edit in marks:
        edited = text.replace("ل", "ل" + marks[edit]).replace("ق", "ق" + marks[edit])
    elif edit == "spaces":
        edited = text.replace(" ", "   ")
    elif edit == "punctuation":
        edited = text.replace(".", "!").replace("إن", "إن،")
    else:
        edited = text.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert not compare(art(text), art(edited)).alert


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=99999), st.sampled_from(["مقتل {} شخصاً", "{} قتيلاً", "أصيب {} شخصاً"]))
def test_eastern_arabic_figure_equals_ascii_figure(n, template):
    eastern = str(n).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert figs(template.format(n)) == figs(template.format(eastern))
    assert figs(template.format(n)) != []


def test_labels_and_counters_are_fragments_that_do_not_alert():
    a = art("Economy\n\nThe minister said reforms would come this year.\n\n21")
    b = art("Banking\n\nThe minister said reforms would come this year.\n\n24")
    r = compare(a, b)
    assert r.changes and all(c.severity == "low" and c.detail.get("fragment") for c in r.changes)
    assert not r.alert and summarize(r.changes) == "minor text changes (labels, counters)"


@pytest.mark.parametrize("old, new", [
    ("Updated 5 minutes ago. The port reopened on Monday.", "Updated 7 minutes ago. The port reopened on Monday."),
    ("آخر تحديث قبل 5 دقائق. أعيد فتح الميناء يوم الإثنين.", "آخر تحديث منذ ساعتين. أعيد فتح الميناء يوم الإثنين."),
    ("The video has 1,234 views. The port reopened on Monday.", "The video has 1,240 views. The port reopened on Monday."),
    ("حصل المقال على 12 تعليقاً. أعيد فتح الميناء يوم الإثنين.", "حصل المقال على 15 تعليقاً. أعيد فتح الميناء يوم الإثنين."),
])
def test_relative_times_and_counters_are_not_changes(old, new):
    r = compare(art(old), art(new))
    assert [c.kind for c in r.changes] == ["cosmetic"] and not r.alert


def test_a_stamp_known_only_to_the_day_never_alerts():
    a = Article(**{**V1.__dict__, "published_at": "2015-01-02"})
    b = Article(**{**V1.__dict__, "published_at": "2015-01-03"})
    assert not compare(a, b).alert
    refined = Article(**{**V1.__dict__, "published_at": "2021-02-26"})
    assert compare(refined, V1).changes == ()          # the same day, now with its time


def test_published_moving_onto_the_previous_update_is_a_template_change():
    a = Article(**{**V1.__dict__, "published_at": "2015-10-15T02:19:15Z", "updated_at": "2015-12-11T14:28:34Z"})
    b = Article(**{**V1.__dict__, "published_at": "2015-12-11T14:28:34Z", "updated_at": None})
    assert not compare(a, b).alert
    backdated = Article(**{**V1.__dict__, "published_at": "2021-02-20T09:00:00Z"})
    c = compare(V1, backdated)                # a re-dating is recorded and shown, but never alerts alone
    assert not c.alert and [(x.kind, x.severity) for x in c.changes] == [("published_time_changed", "low")]


def test_live_blog_entries_are_one_change_not_a_storm():
    old = Article(url="u", title="Live: strikes on the border", live=True,
                  text="09:00 The first strike hit the crossing. Witnesses reported smoke.")
    new = Article(url="u", title="Live: strikes on the border", live=True,
                  text="11:00 Officials say the crossing will reopen tomorrow. Aid trucks are waiting.\n\n"
                       "10:00 A second strike hit the warehouse district. Fire crews are at the scene.\n\n"
                       "09:00 The first strike hit the crossing. Witnesses reported smoke.")
    r = compare(old, new)
    added = [c for c in r.changes if c.kind == "sentence_added"]
    assert len(added) == 1 and added[0].detail == {"live_blog": True, "entries": 2, "sentences": 4}
    assert summarize(r.changes) == "live blog: +2 entries"
    plain = compare(Article(**{**old.__dict__, "live": False}), Article(**{**new.__dict__, "live": False}))
    assert sum(c.kind == "sentence_added" for c in plain.changes) == 4


def test_html_rendering_escapes_page_text_and_sets_direction():
    from detector import render_html
    a = art("قال المرصد إن 17 شخصاً قد قُتلوا.", title="<script>alert(1)</script> مقتل 17")
    b = art("قال المرصد إن 22 شخصاً قد قُتلوا. <img src=x onerror=alert(2)> أضيفت جملة جديدة هنا.",
            title="<script>alert(1)</script> مقتل 22")
    html = render_html(compare(a, b).changes, "ar")
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img" in html
    assert 'dir="rtl"' in html and "<ins>" in html and "<del>" in html


def test_text_rendering_marks_edits():
    from detector import render_text
    a = art("The port reopened on Monday after the strike. Officials gave no details.")
    b = art("The port reopened on Tuesday after the strike. Officials gave no details. Trade resumed.")
    text = render_text(compare(a, b).changes)
    assert "[-Monday-] {+Tuesday+}" in text and "+ Trade resumed." in text


@pytest.mark.parametrize("sentence, measure, value, approximate", [
    ("قُتل ما بين 20-25 شخصاً في الاشتباكات", "killed", 25, True),
    ("مقتل عشرات المدنيين في القصف", "killed", 10, True),
    ("نزوح مئات العائلات من القرى الحدودية", "displaced", 100, True),
    ("Hundreds of people were displaced by the floods", "displaced", 100, True),
    ("مقتل ثلاثة أشخاص في الحادث", "killed", 3, False),
    ("more than 40 people were injured", "injured", 40, False),
])
def test_ranges_and_number_words(sentence, measure, value, approximate):
    found = {(f.measure, f.value, f.approximate) for f in figures_in_sentence(sentence)}
    assert (measure, value, approximate) in found


def test_more_than_and_subject():
    f = figures_in_sentence("more than 40 civilians were injured")[0]
    assert (f.qualifier, f.subject) == ("more_than", "civilians")


@pytest.mark.parametrize("sentence, expected", [
    ("The number of dead rose to 30", [("killed", 30)]),
    ("Fatalities rose to 12 on Monday", [("killed", 12)]),
    ("the toll stood at 80", [("killed", 80)]),
    ("توفي 5 أشخاص متأثرين بجراحهم", [("killed", 5)]),
    ("لقي 4 عمال مصرعهم", [("killed", 4)]),
    ("أكثر من 200 ألف نازح", [("displaced", 200000)]),
    ("ارتفاع حصيلة ضحايا الزلزال إلى 1200", [("killed", 1200)]),
    ("سقوط قتيلين وثلاثة جرحى", [("injured", 3), ("killed", 2)]),
    ("The toll booth at exit 12 was closed", []),
    ("The meeting starts at 10", []),
    ("Call +971 4 1234567 or 0501234567", []),
])
def test_more_phrasings(sentence, expected):
    assert figs(sentence) == expected


def test_spelling_fix_is_recorded_but_quiet():
    a = art("The goverment announced new measures on Monday. Officials gave no details.")
    b = art("The government announced new measures on Monday. Officials gave no details.")
    r = compare(a, b)
    assert [c.kind for c in r.changes] == ["sentence_edited"] and r.changes[0].detail["typo"] and not r.alert
    assert summarize(r.changes) == "1 spelling fix"
    real = art("The government announced new curfews on Monday. Officials gave no details.")
    assert compare(b, real).alert                                   # a changed word is not a typo
    for old, new in (("increase", "decrease"), ("lawful", "unlawful"), ("won", "win")):
        x = art(f"The court said the {old} was confirmed on Monday. Officials gave no details.")
        y = art(f"The court said the {new} was confirmed on Monday. Officials gave no details.")
        assert compare(x, y).alert, (old, new)                     # similar spelling, different meaning
    numbers = art("The government announced 5 new measures on Monday. Officials gave no details.")
    assert compare(art("The government announced 3 new measures on Monday. Officials gave no details."), numbers).alert


def test_abbreviation_style_is_cosmetic():
    a = art("The U.S. envoy arrived on Monday.", title="U.S. envoy in Doha")
    b = art("The US envoy arrived on Monday.", title="US envoy in Doha")
    r = compare(a, b)
    assert [c.kind for c in r.changes] == ["cosmetic"] and not r.alert


def test_decimal_point_still_matters():
    a = art("The fund was worth 3.5 million dollars last year. Nothing else changed.")
    b = art("The fund was worth 35 million dollars last year. Nothing else changed.")
    assert compare(a, b).alert
