"""The article fingerprint (crawler/fingerprint.py): page furniture never moves it, anything an extractor
reads always does, and a page whose fingerprint did not move is `unchanged` without being extracted."""
from __future__ import annotations

import pytest

from crawler.analyze import Job, Previous, analyze
from crawler.fingerprint import fingerprint
from detector import DEFAULT_POLICY, version_hash
from crawler.extract import extract

URL = "https://news.example/2021/02/26/strike/"

MOST_READ = ["Storm hits the coast", "Markets fall again", "Election results", "A new stadium", "Fuel prices"]


def page(*, title="At least 22 killed in strike", toll="22", csrf="a1b2c3", rotate=0, modified="2021-02-26T13:58:00Z",
         ld_modified="2021-02-26T13:58:00Z", byline="Jane Doe", epoch="1614347880", extra_para="",
         main_list=("Timeline of the war", "Who are the rebels", "Map of the region"), lang="en",
         body_para="The strike hit a market in the city centre on Friday morning, witnesses said."):
    box = MOST_READ[rotate:] + MOST_READ[:rotate]
    most_read = "".join(f'<li><a href="/2021/02/2{i}/story-{i}/">{t}</a></li>' for i, t in enumerate(box))
    related = "".join(f'<li><a href="/r/{i}/">{t}</a></li>' for i, t in enumerate(main_list))
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title} | News</title>
<meta name="csrf-token" content="{csrf}"><meta property="article:modified_time" content="{modified}">
<script>window.__ads = {{"slot": "{csrf}"}};</script>
<script type="application/ld+json">{{"@type": "NewsArticle", "dateModified": "{ld_modified}"}}</script>
</head><body><header><nav><a href="/">Home</a><a href="/world/">World</a><a href="/sport/">Sport</a></nav></header>
<aside class="most-read"><h3>Most read</h3><ol>{most_read}</ol></aside>
<article><h1>{title}</h1><p class="byline">By <a rel="author" href="/staff/jd/">{byline}</a></p>
<span class="stamp" data-updated-epoch="{epoch}">Updated</span>
<p>At least {toll} people were killed in an air strike, officials said.</p>
<p>{body_para}</p>{extra_para}
<ul class="in-article">{related}</ul></article>
<form class="newsletter"><input type="hidden" name="token" value="{csrf}">Sign up for our newsletter</form>
<footer><a href="/about/">About</a><a href="/contact/">Contact</a><a href="/jobs/">Jobs</a></footer>
</body></html>""".encode()


@pytest.mark.parametrize("furniture", [dict(csrf="zz99"), dict(rotate=2), dict(csrf="q", rotate=4)])
def test_furniture_never_moves_the_fingerprint(furniture):
    assert fingerprint(page()) == fingerprint(page(**furniture))
    assert page() != page(**furniture)


@pytest.mark.parametrize("edit", [
    dict(toll="23"), dict(title="At least 23 killed in strike"), dict(modified="2021-02-26T14:20:00Z"),
    dict(ld_modified="2021-02-26T14:20:00Z"), dict(byline="John Roe"), dict(epoch="1614349200"),
    dict(extra_para="<p>Correction: an earlier version misstated the location.</p>"),
    dict(main_list=("Timeline of the war", "Who are the rebels", "Satellite images")),
    dict(body_para="The strike hit a market in the city centre on Friday night, witnesses said."),
])
def test_what_an_extractor_reads_always_moves_it(edit):
    assert fingerprint(page()) != fingerprint(page(**edit))


def test_arabic_text_and_eastern_digits_move_it():
    a = page(title="مقتل ٢٢ شخصاً في غارة", lang="ar", body_para="قال المرصد إن ٢٢ شخصاً قُتلوا.")
    b = page(title="مقتل ٢٢ شخصاً في غارة", lang="ar", body_para="قال المرصد إن ٢٣ شخصاً قُتلوا.")
    assert fingerprint(a) != fingerprint(b)
    assert fingerprint(a) == fingerprint(page(title="مقتل ٢٢ شخصاً في غارة", lang="ar", csrf="new",
                                              rotate=1, body_para="قال المرصد إن ٢٢ شخصاً قُتلوا."))


@pytest.mark.parametrize("body", [b"", b"\x00\x01\x02" * 100, b"<html>" + b"<div>" * 5000 + b"x"])
def test_bad_input_gives_a_value_or_none_never_an_error(body):
    fp = fingerprint(body)
    assert fp is None or fp.startswith("f2:")


def job(body, prev_body=None, fp=None):
    prev = None
    if prev_body is not None:
        art = extract(prev_body, url=URL, fetched_at="2021-02-26T14:00:00Z")
        prev = Previous(version_hash(art), art, len(art.text))
    return Job(url=URL, fetched_at="2021-02-26T15:00:00Z", status=200, headers={"content-type": "text/html"},
               body=body, content_type="text/html", previous=prev, policy=DEFAULT_POLICY, fingerprint=fp)


def test_a_page_whose_fingerprint_did_not_move_is_unchanged_unextracted():
    first = analyze(job(page()))
    assert first.outcome == "new" and first.fingerprint == fingerprint(page())
    same = analyze(job(page(csrf="other", rotate=3), page(), first.fingerprint))
    assert same.outcome == "unchanged" and same.article is None       # no extraction happened
    assert same.content_hash == first.content_hash
    moved = analyze(job(page(toll="25", csrf="other"), page(), first.fingerprint))
    assert moved.outcome == "changed" and moved.fingerprint != first.fingerprint
    assert moved.changes


def test_without_a_stored_fingerprint_the_page_is_extracted_as_before():
    a = analyze(job(page(csrf="other"), page(), None))
    assert a.outcome == "unchanged" and a.fingerprint == fingerprint(page())


def test_a_crawl_stores_the_fingerprint_and_a_furniture_change_is_unchanged(marsad, site, db_path):
    """Real HTTP: the page's furniture changes between two crawls, its article does not; then it does."""
    path = "/2021/02/26/strike/"
    site.pages[path] = (200, "text/html; charset=utf-8", page())
    url = site.base_url + path
    assert [r["outcome"] for r in marsad.json_lines("crawl", "--db", db_path, url, "--json")] == ["new"]
    site.pages[path] = (200, "text/html; charset=utf-8", page(csrf="fresh", rotate=1))
    assert [r["outcome"] for r in marsad.json_lines("crawl", "--db", db_path, url, "--json")] == ["unchanged"]
    site.pages[path] = (200, "text/html; charset=utf-8", page(csrf="again", rotate=2, toll="30"))
    assert [r["outcome"] for r in marsad.json_lines("crawl", "--db", db_path, url, "--json")] == ["changed"]
    import sqlite3
    conn = sqlite3.connect(db_path)
    fp = conn.execute("SELECT fingerprint FROM articles WHERE url = ?", [url]).fetchone()[0]
    assert fp == fingerprint(page(csrf="again", rotate=2, toll="30"))
    assert conn.execute("SELECT count(*) FROM versions").fetchone()[0] == 2


def test_on_real_revision_pairs_an_equal_fingerprint_means_an_equal_article():
    """../shared/corpora's revision pairs (real pages of many outlets, two commits apart), the pages the
    validity gate accepts: wherever the fingerprints are equal, title, byline and updated stamp are too.
    The text is equal but where an extractor kept teaser lists of a section page (link lists outside
    the main text, furniture by marsad's noise rule), and the published day may differ where htmldate
    guessed one from furniture (a stylesheet's URL, a "sale ends" box): at most one pair in twenty
    (docs/architecture.md, "Fingerprints"). (Skipped without the corpora.)"""
    try:
        from bench.corpora import loader
        load = loader()
    except FileNotFoundError as e:
        pytest.skip(str(e))
    from crawler.validity import assess
    pairs = same = text_moved = 0
    for p in load.iter_revision_pairs():
        old, new = (load.read_html(p[k]) for k in ("old_html", "new_html"))
        old, new = (x.encode("utf-8") if isinstance(x, str) else x for x in (old, new))
        pairs += 1
        if fingerprint(old) != fingerprint(new):
            continue
        a = extract(old, url=p["url_old"], fetched_at="2021-01-01T00:00:00Z")
        b = extract(new, url=p["url_new"] or p["url_old"], fetched_at="2021-01-01T00:00:00Z")
        if any(assess(status=200, headers={"content-type": "text/html"}, body=x, article=y, previous_text_chars=None)
               for x, y in ((old, a), (new, b))):
            continue
        same += 1
        fields = ("title", "byline", "updated_at")
        assert [getattr(a, f) for f in fields] == [getattr(b, f) for f in fields], p["id"]
        text_moved += (a.text, a.published_at) != (b.text, b.published_at)
    assert pairs > 50 and same > 10
    assert text_moved * 20 <= same, f"{text_moved} of {same} pairs"
