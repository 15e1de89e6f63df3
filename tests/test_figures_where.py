"""Figures where they stand: per position, background and disease counts, English phrasings, and
compare() reporting each figure that moved, on pages made here in several markups (not the devset)."""
from __future__ import annotations

import json

import pytest

from crawler.extract import extract
from detector import Article, compare, find_figures
from detector.figures import figures_in_sentence, story_figures
from detector.models import Figure


def art(text, title="t", **kw):
    a = Article(url="u", title=title, text=text, **kw)
    return Article(**{**a.__dict__, "figures": find_figures(a.title, a.text)})


def figs(sentence):
    return sorted((f.measure, f.value) for f in figures_in_sentence(sentence))


@pytest.mark.parametrize("sentence, expected", [
    ("At least 22 people were killed in the blast.", [("killed", 22)]),
    ("The strike hit a market, killing 22.", [("killed", 22)]),
    ("The death toll rose to 22 on Monday.", [("killed", 22)]),
    ("Floods leave 22 dead in the north.", [("killed", 22)]),
    ("The storm left 22 dead.", [("killed", 22)]),
    ("The fire claimed 22 lives.", [("killed", 22)]),
    ("The fighting displaced 3,400 people.", [("displaced", 3400)]),
    ("65 people were detained after the match.", [("arrested", 65)]),
    ("65 people were arrested overnight.", [("arrested", 65)]),
    ("Twenty-two people were killed.", [("killed", 22)]),
    ("Two dozen people were wounded.", [("injured", 24)]),
    ("Between 20 and 25 people were killed.", [("killed", 25)]),
    ("أودى الزلزال بحياة 22 شخصاً", [("killed", 22)]),
    ("بين 20 و25 قتيلاً في القصف", [("killed", 25)]),
    ("The lifeguards saved 22 lives.", []),
    ("The court heard 22 cases.", []),                         # a case count needs a disease
])
def test_english_and_arabic_phrasings(sentence, expected):
    assert figs(sentence) == expected


def test_ranges_and_number_words_are_approximate_dozens_too():
    f = figures_in_sentence("20 to 25 people died in the crash")[0]
    assert (f.value, f.approximate, f.qualifier) == (25, True, "range")
    assert figures_in_sentence("Dozens of people were killed")[0].approximate


def test_disease_counts_are_cases_never_injured():
    assert figs("سجلت وزارة الصحة 190 ألف إصابة بفيروس كورونا") == [("cases", 190000)]
    assert figs("The ministry reported 2,300 new cases of cholera.") == [("cases", 2300)]
    assert figs("أسفر الحادث عن إصابة 40 شخصاً بجروح") == [("injured", 40)]
    # the disease named in the headline makes the body's bare إصابة count a case count
    found = find_figures("ارتفاع إصابات كورونا", "أعلنت الوزارة تسجيل 500 إصابة جديدة خلال يوم.")
    assert {(f.measure, f.value) for f in found} == {("cases", 500)}


def test_background_figures_never_mask_the_story_toll():
    a = art("At least 106 people were killed in the quake on Friday, officials said.\n\n"
            "As many as 200 people have died in earthquakes in the region in past years.\n\n"
            "A 2019 attack killed 300 people in the same town.", title="Quake hits east")
    assert {(f.value, f.background) for f in a.figures} == {(106, False), (200, True), (300, True)}
    assert story_figures(a.figures)["killed"].value == 106
    b = art(a.text.replace("106", "115"), title="Quake hits east")
    ch = [c for c in compare(a, b).changes if c.kind == "figure_changed"]
    assert [(c.field, c.old, c.new, c.detail["direction"], c.detail["where"]) for c in ch] == \
        [("killed", 106, 115, "up", "lede")]
    assert "115" in ch[0].detail["sentence"]


def test_where_each_figure_stands():
    a = art("قال المرصد إن 17 شخصاً قتلوا في الغارة.\n\nوأصيب 40 آخرون بجروح.", title="مقتل 17 شخصاً في غارة")
    assert [(f.where, f.measure, f.value) for f in a.figures] == \
        [("headline", "killed", 17), ("lede", "killed", 17), ("body", "injured", 40)]


def test_one_change_per_figure_that_moved_not_an_article_maximum():
    text = "A bus crash killed 12 people, police said.\n\nIn a separate crash, 3 people were killed on the coast road."
    a = art(text, title="Bus crash")
    b = art(text.replace("3 people", "5 people"), title="Bus crash")
    ch = [c for c in compare(a, b).changes if c.kind == "figure_changed"]
    assert [(c.field, c.old, c.new, c.detail["where"]) for c in ch] == [("killed", 3, 5, "body")]
    assert compare(a, b).alert


def test_headline_and_lede_stating_the_same_move_is_one_change():
    a = art("Officials said 17 people were killed.", title="17 killed in strike")
    b = art("Officials said 22 people were killed.", title="22 killed in strike")
    ch = [c for c in compare(a, b).changes if c.kind == "figure_changed"]
    assert [(c.old, c.new, c.detail["where"]) for c in ch] == [(17, 22, "headline")]


def test_a_vaguer_restatement_is_not_a_figure_move():
    a = art("Police said 65 people were detained.", title="Police detain 65")
    b = art("Police said 65 people were detained.", title="Dozens detained at camp")
    assert not [c for c in compare(a, b).changes if c.kind == "figure_changed"]


def test_versions_stored_before_where_are_placed_from_their_sentences():
    a = art("Officials said 17 people were killed.\n\nIn 2019 a similar attack killed 300 people.", title="Attack")
    old_shape = [{k: v for k, v in f.to_dict().items() if k not in ("where", "background")} for f in a.figures]
    stored = Article.from_dict(json.loads(json.dumps({**a.to_dict(), "figures": old_shape})))
    assert all(f.where == "" for f in stored.figures)
    b = art(a.text.replace("17", "19"), title="Attack")
    ch = [c for c in compare(stored, b).changes if c.kind == "figure_changed"]
    assert [(c.old, c.new) for c in ch] == [(17, 19)]
    assert Figure.from_dict({"measure": "killed", "value": 3, "sentence": "s"}).where == ""


WORDPRESS = """<html lang="en"><head><title>{title} – Courier</title></head><body><article class="post">
<h1 class="entry-title">{title}</h1><div class="entry-content"><p>{p1}</p><p>{p2}</p><p>{p3}</p></div></article></body></html>"""
JSONLD = """<html lang="ar"><head><script type="application/ld+json">{{"@type": "NewsArticle", "headline": "{title}",
"datePublished": "2024-03-05T10:00:00Z"}}</script></head><body><div class="x"><div class="t">{title}</div>
<div class="b"><p>{p1}</p><p>{p2}</p><p>{p3}</p></div></div></body></html>"""


@pytest.mark.parametrize("markup, title, paras, old, new, want", [
    (WORDPRESS, "Quake hits eastern province",
     ["At least 106 people were killed when the earthquake struck the eastern province on Friday, officials said.",
      "As many as 200 people have died in earthquakes in the region in past years, the disaster agency said.",
      "Rescue teams worked through the night to pull survivors from the rubble of collapsed buildings."],
     "106", "115", ("killed", 106, 115)),
    (JSONLD, "فيضانات في ولاية نهر النيل",
     ["وقالت الأمم المتحدة إن نحو 3400 شخص نزحوا من قراهم في ولاية نهر النيل خلال يومين بسبب السيول الجارفة.",
      "وفي عام 2019 أودت فيضانات مماثلة بحياة 300 شخص في الولاية نفسها، بحسب أرقام رسمية نشرتها الحكومة.",
      "وحذرت هيئة الأرصاد من استمرار هطول الأمطار خلال الأيام المقبلة، ودعت السكان إلى الابتعاد عن مجاري السيول."],
     "3400", "5100", ("displaced", 3400, 5100)),
])
def test_extracted_pages_report_the_figure_that_moved(markup, title, paras, old, new, want):
    def page(ps):
        return markup.format(title=title, p1=ps[0], p2=ps[1], p3=ps[2]).encode()
    a = extract(page(paras), url="https://example.org/a")
    b = extract(page([p.replace(old, new) for p in paras]), url="https://example.org/a")
    ch = [(c.field, c.old, c.new) for c in compare(a, b).changes if c.kind == "figure_changed"]
    assert ch == [want]
