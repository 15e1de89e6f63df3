"""The same article gives the same text whatever changes around it, in every layout a body comes in
(crawler/extract/body.py, article.py): an article in a layout table (one cell, or one row per cell,
with a banner, a most-read column and counters in other cells), a data table inside an article,
`<br><br>`-separated paragraphs and single `<br>` line breaks, Arabic and English. Each pair of pages
written here changes only the furniture (counters, a most-read window) or only the headline; the body
text must be byte-identical and compare() must report no sentence change."""
from __future__ import annotations

import pytest

from crawler.extract import extract
from crawler.extract.body import filter_noise, is_counter
from detector import compare

PARAS = {
    "en": ["The storm hit the coast on Monday night and cut power to thousands of homes across the region.",
           "Officials said schools would stay closed on Tuesday while crews cleared roads of fallen trees.",
           "The weather service warned of more rain later in the week and urged residents to stay indoors."],
    "ar": ["ضربت العاصفة الساحل ليل الاثنين وقطعت الكهرباء عن آلاف المنازل في أنحاء المنطقة.",
           "وقال مسؤولون إن المدارس ستبقى مغلقة يوم الثلاثاء بينما تزيل الفرق الأشجار المتساقطة من الطرق.",
           "وحذرت هيئة الأرصاد من مزيد من الأمطار في وقت لاحق من الأسبوع ودعت السكان إلى البقاء في منازلهم."],
}
HEADLINES = {"en": ("Storm cuts power to thousands", "Storm leaves thousands in the dark"),
             "ar": ("العاصفة تقطع الكهرباء عن الآلاف", "آلاف المنازل بلا كهرباء بعد العاصفة")}
SITE = {"en": "Coast Courier", "ar": "صوت الساحل"}
MOST_READ = {"en": ["Markets rally as oil prices fall again", "Local team wins the cup in a late final",
                    "Museum reopens after a long renovation"],
             "ar": ["ارتفاع أسعار الذهب في الأسواق المحلية", "منتخب الشباب يتأهل إلى نصف النهائي",
                    "افتتاح معرض الكتاب بمشاركة مئات دور النشر"]}
COUNTERS = {"en": "{v:,} views {c} comments", "ar": "عدد القراءات: {v:,} {c} تعليق"}


def _furniture(lang: str, side: int) -> dict:
    """What differs between two fetches of the same article: the most-read window and the counters."""
    pool = MOST_READ[lang]
    most = "".join(f'<tr><td><a href="/top/{k}">{pool[(k + side) % 3]}</a></td></tr>' for k in range(2))
    label = "Most read" if lang == "en" else "الأكثر قراءة"
    return {"side": f'<table class="most-read"><tr><td><b>{label}</b></td></tr>{most}</table>',
            "counters": COUNTERS[lang].format(v=1234 + 377 * side, c=12 + 9 * side)}


def _p(paras):
    return "".join(f"<p>{p}</p>" for p in paras)


# Each layout: (headline, paragraphs, furniture, site) -> the page's <body>.
LAYOUTS = {
    # the story in one cell: the headline in bold, then <br><br>-separated paragraphs; the counters and
    # the most-read column in cells of the same row
    "one_cell_br": lambda h, ps, f, s: (
        f'<table width="100%"><tr><td colspan="2">{s}</td></tr><tr><td width="75%"><b>{h}</b><br>'
        + "<br><br>".join(ps) + f'<br><span>{f["counters"]}</span></td><td>{f["side"]}</td></tr></table>'),
    # an old template: nested tables, a banner row, the headline and the byline in cells of their own,
    # paragraphs in <p> inside the text cell, a counters row
    "nested_rows": lambda h, ps, f, s: (
        f'<table width="100%" border="0"><tr><td colspan="2" class="banner">{s}</td></tr><tr><td valign="top">'
        f'<table><tr><td class="title"><font size="5"><b>{h}</b></font></td></tr><tr><td class="text">{_p(ps)}'
        f'</td></tr><tr><td>{f["counters"]}</td></tr></table></td><td valign="top">{f["side"]}</td></tr></table>'),
    # rows of one cell each: the headline row, one row per paragraph, the counters row
    "one_cell_rows": lambda h, ps, f, s: (
        f'<table><tr><td class="hl">{h}</td></tr>' + "".join(f"<tr><td>{p}</td></tr>" for p in ps)
        + f'<tr><td>{f["counters"]}</td></tr></table>{f["side"]}'),
    # a data table inside an article (kept as rows of cells), the counters under the article
    "data_table": lambda h, ps, f, s: (
        f'<article><h1>{h}</h1><p>{ps[0]}</p><table><tr><th>Town</th><th>Homes</th></tr>'
        f'<tr><td>Eastport</td><td>1,200</td></tr><tr><td>Westbay</td><td>800</td></tr></table>{_p(ps[1:])}'
        f'<p>{f["counters"]}</p></article>{f["side"]}'),
    # a data table inside an article that is itself laid out in a table cell
    "data_in_layout_cell": lambda h, ps, f, s: (
        f'<table width="100%"><tr><td>{s}</td></tr><tr><td valign="top"><b>{h}</b>{_p(ps[:1])}'
        f'<table><tr><td>Eastport</td><td>1,200</td></tr><tr><td>Westbay<br>harbour</td><td>800</td></tr></table>'
        f'{_p(ps[1:])}<p>{f["counters"]}</p></td><td>{f["side"]}</td></tr></table>'),
    # a body that is one block with <br><br> between paragraphs
    "br_paragraphs": lambda h, ps, f, s: (
        f'<div id="content"><h1 class="news-title">{h}</h1><div class="news-text">' + "<br><br>".join(ps)
        + f'</div><div class="stats"><span>{f["counters"]}</span></div></div><div class="left">{f["side"]}</div>'),
    # single <br> line breaks inside a paragraph
    "br_in_paragraph": lambda h, ps, f, s: (
        f'<article><h1>{h}</h1><p>{ps[0]}<br>{ps[1]}</p><p>{ps[2]}</p><p>{f["counters"]}</p>'
        f'</article>{f["side"]}'),
}


def _page(layout: str, lang: str, headline: str, side: int) -> bytes:
    body = LAYOUTS[layout](headline, PARAS[lang], _furniture(lang, side), SITE[lang])
    return (f'<!DOCTYPE html><html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}"><head><meta charset="utf-8">'
            f'<title>{SITE[lang]} - {headline}</title></head><body>{body}</body></html>').encode()


CASES = [(layout, lang) for layout in LAYOUTS for lang in ("en", "ar")]


@pytest.mark.parametrize("layout,lang", CASES)
def test_furniture_changes_leave_the_text_byte_identical(layout, lang):
    head = HEADLINES[lang][0]
    old = extract(_page(layout, lang, head, 0), url="https://c.example/a")
    new = extract(_page(layout, lang, head, 1), url="https://c.example/a")
    assert old.text == new.text
    assert compare(old, new).changes == ()


@pytest.mark.parametrize("layout,lang", CASES)
def test_a_headline_change_is_only_a_title_change(layout, lang):
    old = extract(_page(layout, lang, HEADLINES[lang][0], 0), url="https://c.example/a")
    new = extract(_page(layout, lang, HEADLINES[lang][1], 1), url="https://c.example/a")
    assert old.text == new.text
    assert [c.kind for c in compare(old, new).changes] == ["title_changed"]


@pytest.mark.parametrize("layout,lang", CASES)
def test_the_body_is_the_paragraphs_without_headline_banner_or_counters(layout, lang):
    art = extract(_page(layout, lang, HEADLINES[lang][0], 0), url="https://c.example/a")
    for p in PARAS[lang]:
        assert p in art.text
    for furniture in (HEADLINES[lang][0], SITE[lang], "views", "القراءات", "Most read", "الأكثر قراءة"):
        assert furniture not in art.text


@pytest.mark.parametrize("layout,lang", [("one_cell_br", "en"), ("one_cell_br", "ar"),
                                         ("nested_rows", "en"), ("nested_rows", "ar")])
def test_paragraphs_of_a_layout_cell_stay_paragraphs(layout, lang):
    """A cell's <p> and <br><br> breaks are paragraph breaks, as anywhere else (trafilatura alone
    flattens a cell into one line)."""
    art = extract(_page(layout, lang, HEADLINES[lang][0], 0), url="https://c.example/a")
    assert art.text.split("\n\n") == PARAS[lang]


@pytest.mark.parametrize("layout", ["data_table", "data_in_layout_cell"])
def test_a_data_table_keeps_its_rows_and_cells(layout):
    """Only layout tables are read as blocks: a data table (header cells, or short cells that break a line
    at most once), in an article or in a layout cell, keeps its rows."""
    lines = extract(_page(layout, "en", HEADLINES["en"][0], 0), url="https://c.example/a").text.split("\n\n")
    assert "Eastport | 1,200" in lines
    assert lines.index(PARAS["en"][0]) < lines.index("Eastport | 1,200") < lines.index(PARAS["en"][1])


@pytest.mark.parametrize("line", ["1,234 views 12 comments", "Views: 1,234 · Comments: 12", "1,611 views | 21 comments",
                                  "عدد القراءات: 1,234 12 تعليق", "٥٢٣ مشاهدة | ٤ تعليقات"])
def test_counters_side_by_side_are_one_counter_line(line):
    assert is_counter(line)
    assert filter_noise([PARAS["en"][0], line]) == [PARAS["en"][0]]


@pytest.mark.parametrize("line", ["The clip drew 1,234 views and 12 comments within an hour, the ministry said.",
                                  "1,234 views of the city from the new tower"])
def test_a_sentence_with_counts_is_text(line):
    assert not is_counter(line)
