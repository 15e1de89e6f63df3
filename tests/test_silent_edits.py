"""Silent edits and re-stamps, through the real crawl (Scrapy over HTTP on 127.0.0.1, real SQLite), the
alert rules, a real SMTP server on loopback and the served pages.

One local site holds five stories; the second crawl finds each revised one way: quietly (the figure
and a sentence changed, the update stamp did not move), openly (the stamp moved), only re-stamped
(the stamp moved, nothing else), a spelling fix, and an edit with a correction notice.
"""
from __future__ import annotations

import email
import json
import sqlite3
from email import policy

import pytest

from scheduler.demo_site import DemoSite
from scheduler.demo_site.newsdesk import story_page

PUBLISHED, FIRST_UPDATE, LATER_UPDATE = "2026-12-01T08:00:00Z", "2026-12-01T09:30:00Z", "2026-12-01T11:05:00Z"
FLOOD = ["Flood waters reached the old town on Tuesday after the river burst its banks, officials said.",
         "At least 12 people were injured, the civil defence said in a statement on Tuesday evening.",
         "The mayor said the city had failed to maintain the flood defences for years.",
         "Residents were told to move to higher ground until the water recedes."]
BRIDGE = ["The northern bridge was closed to traffic on Tuesday after engineers found cracks in a pillar.",
          "Repairs are expected to take at least three weeks, the roads agency said.",
          "Drivers were told to use the ring road, which adds about twenty minutes to the journey."]
BUDGET = ["The city council approved next year's budget on Tuesday by a narrow margin of votes.",
          "Spending on schools will rise while the transport budget is cut, the council said.",
          "The vote came after a debate that lasted more than six hours in the council chamber."]
TYPO = ["The goverment announced new rules for street markets on Tuesday after a long consultation.",
        "Traders will need a permit from January, the announcement said.",
        "Market associations said they would study the rules before commenting on them."]
MARKET = ["Police arrested four men after a fight at the central market on Tuesday afternoon.",
          "The men were released later without charge, police said.",
          "Stall holders said fights at the market had become more common this year."]

STORIES = {  # path: (title, first paragraphs, then (title, paragraphs, updated stamp) of the revision)
    "/news/2026/12/01/flood/": ("Flood waters reach the old town", FLOOD, FIRST_UPDATE,
                                ("Flood waters reach the old town",
                                 [FLOOD[0], FLOOD[1].replace("12", "19"), FLOOD[3]], FIRST_UPDATE)),
    "/news/2026/12/01/bridge/": ("Northern bridge closed after cracks found", BRIDGE, FIRST_UPDATE,
                                 ("Northern bridge closed for a month after cracks found",
                                  [BRIDGE[0], BRIDGE[1].replace("three weeks", "a month"), BRIDGE[2]], LATER_UPDATE)),
    "/news/2026/12/01/budget/": ("Council approves budget", BUDGET, FIRST_UPDATE,
                                 ("Council approves budget", BUDGET, LATER_UPDATE)),
    "/news/2026/12/01/markets/": ("New rules for street markets", TYPO, FIRST_UPDATE,
                                  ("New rules for street markets",
                                   [TYPO[0].replace("goverment", "government"), *TYPO[1:]], FIRST_UPDATE)),
    "/news/2026/12/01/market-fight/": ("Four arrested after market fight", MARKET, FIRST_UPDATE,
                                       ("Four arrested after market fight",
                                        [MARKET[0].replace("four", "five"), *MARKET[1:],
                                         "Correction: An earlier version of this story said four men were "
                                         "arrested. Five were."], FIRST_UPDATE)),
}


def _serve(site: DemoSite, revised: bool) -> None:
    for path, (title, paras, updated, revision) in STORIES.items():
        if revised:
            title, paras, updated = revision
        site.pages[path] = (200, "text/html; charset=utf-8",
                            story_page(title, paras, published=PUBLISHED, updated=updated))


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """Two crawls of the five stories into one database, with three alert rules; the SMTP sink's mails."""
    from tests.conftest import Marsad
    from scheduler.config import load
    from scheduler.demo import MailSink
    from scheduler.notify import send_due
    tmp = tmp_path_factory.mktemp("silent")
    db = tmp / "marsad.db"
    marsad = Marsad()
    with MailSink() as sink, DemoSite() as site:
        cfg = tmp / "marsad.toml"
        cfg.write_text(f"""[politeness]\nallow_private_addresses = true\ndelay_seconds = 0.0\n
[smtp]\nhost = "127.0.0.1"\nport = {sink.port}\nfrom = "marsad <alerts@desk.example>"\n
[[alerts]]\nname = "quiet edits"\nto = ["standards@desk.example"]\nonly_silent = true\n
[[alerts]]\nname = "stamps"\nto = ["stamps@desk.example"]\nrestamped = true\nkinds = ["updated_time_changed"]\n
[[alerts]]\nname = "desk"\nto = ["desk@desk.example"]\n""")
        urls = [site.base_url + p for p in STORIES]
        _serve(site, revised=False)
        first = marsad.json_lines("--config", cfg, "crawl", "--db", db, *urls, "--json")
        _serve(site, revised=True)
        second = marsad.json_lines("--config", cfg, "crawl", "--db", db, *urls, "--json")
        send_due(__import__("storage").open_db(db), load(cfg))
        mails = [email.message_from_bytes(m, policy=policy.default) for m in sink.received]
    rows = {r["url"].removeprefix(site.base_url): r for r in second}
    return {"db": db, "first": first, "rows": rows, "mails": mails}


def _changes(row, kind=None):
    return [c for c in row["changes"] if kind is None or c["kind"] == kind]


def test_a_change_with_the_stamp_left_alone_is_silent(crawled):
    assert [r["outcome"] for r in crawled["first"]] == ["new"] * 5
    flood = crawled["rows"]["/news/2026/12/01/flood/"]
    assert flood["outcome"] == "changed"
    kinds = {c["kind"] for c in flood["changes"]}
    assert {"figure_changed", "sentence_removed"} <= kinds and "updated_time_changed" not in kinds
    for c in flood["changes"]:
        if c["kind"] in ("figure_changed", "sentence_removed"):
            assert c["detail"]["silent"] is True and c["detail"]["stamp"] == "unchanged"


def test_an_open_edit_a_typo_and_a_corrected_edit_are_not_silent(crawled):
    rows = crawled["rows"]
    bridge = rows["/news/2026/12/01/bridge/"]
    assert {"title_changed", "updated_time_changed"} <= {c["kind"] for c in bridge["changes"]}
    typo = rows["/news/2026/12/01/markets/"]
    assert [c["detail"].get("typo") for c in typo["changes"]] == [True]
    corrected = rows["/news/2026/12/01/market-fight/"]
    assert "correction_added" in {c["kind"] for c in corrected["changes"]}
    for row in (bridge, typo, corrected):
        assert not any(c["detail"].get("silent") for c in row["changes"]), row["url"]


def test_a_moved_stamp_alone_is_a_re_stamp_and_quiet(crawled):
    budget = crawled["rows"]["/news/2026/12/01/budget/"]
    assert budget["outcome"] == "changed" and budget["alert"] is False
    [c] = budget["changes"]
    assert c["kind"] == "updated_time_changed" and c["detail"]["restamped"] is True
    assert (c["old"], c["new"]) == (FIRST_UPDATE, LATER_UPDATE)


def test_the_views_carry_silent_and_restamped(crawled):
    con = sqlite3.connect(crawled["db"])
    silent = {r[0].rsplit("/", 2)[-2] for r in con.execute("SELECT url FROM recent_changes WHERE silent = 1")}
    assert silent == {"flood"}
    restamped = [r[0] for r in con.execute("SELECT url FROM article_timeline WHERE restamped = 1")]
    assert [u.rsplit("/", 2)[-2] for u in restamped] == ["budget"]
    assert [r[0] for r in con.execute("SELECT silent FROM article_timeline WHERE url LIKE '%/flood/'"
                                      " ORDER BY n")] == [0, 1]


def test_alert_rules_only_silent_and_restamped(crawled):
    con = sqlite3.connect(crawled["db"])
    by_rule = {}
    for rule, url in con.execute("SELECT al.rule, a.url FROM alerts al JOIN articles a ON a.id = al.article_id"):
        by_rule.setdefault(rule, set()).add(url.rsplit("/", 2)[-2])
    assert by_rule["quiet edits"] == {"flood"}
    assert by_rule["stamps"] == {"budget"}                   # a re-stamp alerts only the rule that asks
    assert "budget" not in by_rule["desk"] and {"flood", "bridge", "market-fight"} <= by_rule["desk"]


def test_the_mail_shows_the_silent_edit_badge(crawled):
    [mail] = [m for m in crawled["mails"] if m["To"] == "standards@desk.example"]
    html = mail.get_body(("html",)).get_content()
    text = mail.get_body(("plain",)).get_content()
    assert '<span class="badge silent">silent edit</span>' in html
    assert "the update stamp did not move and no correction notice was added" in html
    assert "[SILENT EDIT] the update stamp did not move and no correction notice was added" in text
    [restamp] = [m for m in crawled["mails"] if m["To"] == "stamps@desk.example"]
    assert "[RE-STAMPED]" in restamp.get_body(("plain",)).get_content()
    bridge = [m for m in crawled["mails"] if m["To"] == "desk@desk.example" and "bridge" in m["Subject"].lower()]
    assert bridge and "badge silent" not in bridge[0].get_body(("html",)).get_content()


def test_the_pages_show_the_silent_edit_badge(crawled):
    from tests.newsroom import Served
    con = sqlite3.connect(crawled["db"])
    flood = con.execute("SELECT id FROM articles WHERE url LIKE '%/flood/'").fetchone()[0]
    budget = con.execute("SELECT id FROM articles WHERE url LIKE '%/budget/'").fetchone()[0]
    with Served(crawled["db"]) as server:
        _, _, front = server.get("/-/marsad/")
        _, _, article = server.get(f"/-/marsad/article/{flood}")
        _, _, stamps = server.get(f"/-/marsad/article/{budget}")
    row = front.split("Flood waters reach the old town")[1].split("</li>")[0]
    assert 'class="m-evidence ev-silent"' in row and ">silent edit<" in row
    assert "The update stamp did not move and no correction notice was added" in article
    assert article.count('ev-silent') >= 2                    # the comparison and the history row
    assert 'ev-restamped' in stamps and 'ev-silent' not in stamps


def test_silent_is_in_the_change_detail_json(crawled):
    con = sqlite3.connect(crawled["db"])
    details = [json.loads(d) for (d,) in con.execute(
        "SELECT detail FROM changes c JOIN articles a ON a.id = c.article_id WHERE a.url LIKE '%/flood/'")]
    assert details and all(d.get("silent") for d in details)


def _art(text, updated=None, live=False, title="Flood waters reach the old town"):
    from detector import Article
    return Article(url="https://desk.example/a/", title=title, text=text, updated_at=updated, live=live)


def test_silent_on_a_page_without_a_stamp_and_never_for_a_live_blogs_entries():
    from detector import compare
    old = "\n\n".join(FLOOD[:3])
    no_stamp = compare(_art(old), _art(old + "\n\n" + FLOOD[3])).changes
    assert [(c.kind, c.detail["silent"], c.detail["stamp"]) for c in no_stamp] == [("sentence_added", True, "none")]
    live = compare(_art(old, live=True), _art(old + "\n\n" + FLOOD[3] + "\n\nA second entry with enough words.",
                                               live=True)).changes
    assert live and not any(c.detail.get("silent") for c in live)


def test_a_stamp_that_appears_is_not_a_re_stamp():
    from detector import compare
    text = "\n\n".join(FLOOD)
    [c] = compare(_art(text), _art(text, updated=FIRST_UPDATE)).changes
    assert c.kind == "updated_time_changed" and "restamped" not in c.detail
