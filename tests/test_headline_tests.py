"""Headline tests through the real crawl: a headline served in turn with another (A → B → A → B → A) is
one probable A/B test, one alert naming the variants, not one per flip; several headlines in a short
window are one too, unless their numbers move (a toll rising is news). Real Scrapy over HTTP on
127.0.0.1, real SQLite, a real SMTP server on loopback, the served pages; plus the pure detector."""
from __future__ import annotations

import email
import sqlite3
from email import policy

import pytest

from detector.headline_tests import annotate, find_test
from detector.models import Change
from scheduler.demo_site import DemoSite
from scheduler.demo_site.newsdesk import story_page

AR_A = "مقتل 22 شخصاً في غارة على مخازن الحبوب شمال المدينة"
AR_B = "غارة تدمّر مخازن الحبوب: 22 قتيلاً والدفاع المدني يبحث عن ناجين"
AR_TEXT = ["قال الدفاع المدني إن 22 شخصاً قتلوا في غارة استهدفت مخازن الحبوب شمال المدينة فجر اليوم.",
           "وأضاف المتحدث باسم الدفاع المدني أن فرق الإنقاذ ما زالت تبحث عن ناجين تحت الأنقاض.",
           "ولم تعلن أي جهة مسؤوليتها عن الغارة حتى الآن بحسب مصادر محلية في المدينة."]
EN_TEXT = ["The city's football club sacked its manager on Tuesday after a run of seven defeats.",
           "The club said in a statement that the assistant coach would take charge of the team.",
           "Supporters had called for the manager to leave after Saturday's home defeat."]
TOLL_TEXT = ["A bus fell into a ravine on the mountain road on Tuesday morning, the police said.",
             "Rescue teams were still searching the ravine for survivors in the afternoon.",
             "The road had been closed twice this year after landslides, residents said."]

# path: (language, text, the headline at each of the five crawls)
STORIES = {
    "/news/2026/12/01/strike/": ("ar", AR_TEXT, [AR_A, AR_B, AR_A, AR_B, AR_A]),
    "/sport/2026/12/01/manager/": ("en", EN_TEXT, ["Club sacks manager after seven defeats",
                                                   "Manager sacked after seven straight defeats",
                                                   "Seven defeats and out: club sacks its manager",
                                                   "Club parts ways with manager after losing run",
                                                   "Club parts ways with manager after losing run"]),
    "/news/2026/12/01/bus/": ("en", TOLL_TEXT, ["3 killed as bus falls into ravine", "5 killed as bus falls into ravine",
                                                "9 killed as bus falls into ravine", "12 killed as bus falls into ravine",
                                                "12 killed as bus falls into ravine"]),
}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    from tests.conftest import Marsad
    from scheduler.config import load
    from scheduler.demo import MailSink
    from scheduler.notify import send_due
    from storage import open_db
    tmp = tmp_path_factory.mktemp("abtests")
    db, cfg = tmp / "marsad.db", tmp / "marsad.toml"
    marsad = Marsad()
    steps = []
    with MailSink() as sink, DemoSite() as site:
        cfg.write_text(f"""[politeness]\nallow_private_addresses = true\ndelay_seconds = 0.0\n
[smtp]\nhost = "127.0.0.1"\nport = {sink.port}\nfrom = "marsad <alerts@desk.example>"\n
[delivery]\nburst = 50\nper_hour = 50\n
[[alerts]]\nname = "headlines"\nto = ["desk@desk.example"]\nkinds = ["title_changed"]\n""")
        urls = [site.base_url + p for p in STORIES]
        for i in range(5):
            for path, (lang, text, titles) in STORIES.items():
                site.pages[path] = (200, "text/html; charset=utf-8",
                                    story_page(titles[i], text, published="2026-12-01T08:00:00Z", lang=lang))
            rows = marsad.json_lines("--config", cfg, "crawl", "--db", db, *urls, "--json")
            steps.append({r["url"].removeprefix(site.base_url): r for r in rows})
        send_due(open_db(db), load(cfg))
        mails = [email.message_from_bytes(m, policy=policy.default) for m in sink.received]
    return {"db": db, "steps": steps, "mails": mails}


def _title_change(row):
    return next((c for c in row["changes"] if c["kind"] == "title_changed"), None)


def test_alternating_headlines_are_one_probable_test(crawled):
    rows = [s["/news/2026/12/01/strike/"] for s in crawled["steps"]]
    assert [r["outcome"] for r in rows] == ["new", "changed", "changed", "changed", "changed"]
    second, third, fourth, fifth = (_title_change(r) for r in rows[1:])
    assert "headline_test" not in second["detail"] and rows[1]["alert"] is True    # one change: a rewrite, as far as anyone knows
    test = third["detail"]["headline_test"]
    assert test["variants"] == [AR_A, AR_B] and test["flips"] == 2 and test["repeat"] is False
    assert rows[2]["alert"] is True
    for row, change in ((rows[3], fourth), (rows[4], fifth)):
        assert change["detail"]["headline_test"]["repeat"] is True and row["alert"] is False


def test_several_headlines_in_a_short_window_but_not_a_rising_toll(crawled):
    manager = [_title_change(s["/sport/2026/12/01/manager/"]) for s in crawled["steps"][1:4]]
    assert ["headline_test" in c["detail"] for c in manager] == [False, False, True]
    assert len(manager[2]["detail"]["headline_test"]["variants"]) == 4
    bus = [_title_change(s["/news/2026/12/01/bus/"]) for s in crawled["steps"][1:4]]
    assert all("headline_test" not in c["detail"] for c in bus)


def test_one_alert_names_the_variants(crawled):
    con = sqlite3.connect(crawled["db"])
    per_article = dict(con.execute("SELECT a.url, count(*) FROM alerts al JOIN articles a ON a.id = al.article_id"
                                   " GROUP BY a.url").fetchall())
    strike = next(v for k, v in per_article.items() if k.endswith("/strike/"))
    assert strike == 2                          # the first rewrite, then the test once; not four
    mails = [m for m in crawled["mails"] if "headline A/B test" in m["Subject"]]
    assert len(mails) == 2                      # the Arabic test and the English one
    [ar] = [m for m in mails if "\u2068" in m["Subject"]]
    text = ar.get_body(("plain",)).get_content()
    html = ar.get_body(("html",)).get_content()
    assert "[HEADLINE TEST] probable A/B test, 2 headlines served in turn (2 flips" in text
    assert f"  1. \u2068{AR_A}\u2069" in text and f"  2. \u2068{AR_B}\u2069" in text   # each variant isolated
    assert '<span class="badge abtest">headline test</span>' in html
    assert f'<li dir="rtl">{AR_A}</li>' in html and f'<li dir="rtl">{AR_B}</li>' in html


def test_the_article_page_lists_the_variants(crawled):
    from tests.newsroom import Served
    con = sqlite3.connect(crawled["db"])
    aid = con.execute("SELECT id FROM articles WHERE url LIKE '%/strike/'").fetchone()[0]
    with Served(crawled["db"]) as server:
        _, _, page = server.get(f"/-/marsad/article/{aid}?from=2&to=3")
        _, _, history = server.get(f"/-/marsad/article/{aid}")
    assert "Probable A/B test: 2 headlines served in turn (2 flips)" in page
    assert f'<li dir="rtl">{AR_A}</li>' in page and f'<li dir="rtl">{AR_B}</li>' in page
    assert history.count("ev-abtest") >= 3                # versions 3, 4 and 5 in the history


def test_the_detector_reads_the_history_it_is_given():
    a, b = "Headline one", "Headline two"
    flip = Change("title_changed", "title", b, a, "high", {})
    h = [("2026-12-01T08:00:00Z", a), ("2026-12-01T09:00:00Z", b), ("2026-12-02T10:00:00Z", a)]
    assert find_test(h) is None                            # the headline came back after more than a day
    assert find_test(h[:2] + [("2026-12-01T10:00:00Z", a)])["variants"] == [a, b]
    [marked] = annotate([flip], h[:2] + [("2026-12-01T10:00:00Z", a)])
    assert marked.detail["headline_test"]["repeat"] is False
    assert annotate([Change("sentence_added", "text", None, "x", "medium", {})], h) == \
        [Change("sentence_added", "text", None, "x", "medium", {})]
