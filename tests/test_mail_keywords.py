"""Keyword rules scoped to the headline, the lede or the text; whole words, Arabic normalized; and the
mail says which rule matched, with the word and where."""
from __future__ import annotations

import pytest

from alerts import AlertRule, matching
from alerts.rules import lede
from detector import Change

from .test_digest import EN, revise
from .test_alerts import Sink, cfg

TITLE = Change("title_changed", "title", "a", "b", "high")
TEXT = ("غزة — قال مسؤولون إن الغارات استهدفت مخازن للأسلحة في ريف دمشق فجر الثلاثاء وأوقعت قتلى وجرحى.\n\n"
        "وأضافوا أن فرق الإنقاذ ما زالت تبحث تحت الأنقاض.\n\n"
        "وفي سياق آخر، تحدث الوزير عن لبنان في مؤتمر صحفي.")


def hits(rule, title, text=""):
    return bool(matching([rule], "S", [TITLE], "u", title, text))


@pytest.mark.parametrize("scope, headline, lede_, text", [("headline", False, False, False),
                                                          ("lede", False, True, True), ("text", False, True, True)])
def test_a_keyword_counts_only_in_its_scope(scope, headline, lede_, text):
    in_lede = AlertRule(to=("x",), keywords=("ريف دمشق",), scope=scope)
    in_text = AlertRule(to=("x",), keywords=("لبنان",), scope=scope)
    assert hits(in_lede, "غارات جديدة", TEXT) is lede_
    assert hits(in_text, "غارات جديدة", TEXT) is (scope == "text")
    assert hits(AlertRule(to=("x",), keywords=("غارات",), scope=scope), "غارات جديدة", "") is True


def test_whole_words_with_arabic_clitics_and_normalization():
    gaza = AlertRule(to=("x",), keywords=("غزة",), scope="headline")
    for title in ("قصف على غزة", "قصف على غزّة", "وغزة تحت القصف", "قصف في بغزة", "أهالي لغزة", "قصف الغزه"):
        assert hits(gaza, title), title
    assert not hits(gaza, "غزوات قديمة") and not hits(gaza, "غزةستان")
    en = AlertRule(to=("x",), keywords=("Gaza",), scope="headline")
    assert hits(en, "Strike on GAZA") and hits(en, "Gaza's hospitals") and hits(en, "Gaza-based group")
    assert not hits(en, "Gazan officials say")
    observatory = AlertRule(to=("x",), keywords=("المرصد",), scope="headline")
    assert hits(observatory, "قال للمرصد") and hits(observatory, "والمرصد يقول") and not hits(observatory, "مرصد فلكي")
    two = AlertRule(to=("x",), keywords=("قطاع غزة",), scope="headline")
    assert hits(two, "في قطاع غزة اليوم") and not hits(two, "قطاع النقل في غزة")


def test_the_lede_is_the_first_paragraph_or_more_when_it_is_a_dateline():
    assert lede("GAZA (Reuters) -\n\nAt least 19 people were killed on Tuesday, officials said, in the strike that "
                "hit the depot before dawn.\n\nLater paragraph.").count("\n\n") == 1
    assert lede(TEXT) == TEXT.split("\n\n")[0]


def test_why_names_the_rule_the_word_and_where():
    rule = AlertRule(to=("x",), keywords=("Gaza", "depot"), scope="lede", name="Gaza desk")
    assert rule.why("Strike on depot", "") == "rule “Gaza desk”: “depot” in the headline"
    assert rule.why("Strike", "Officials in Gaza said.") == "rule “Gaza desk”: “Gaza” in the lede"
    assert AlertRule(to=("x",), name="all").why("t", "x") == "rule “all”"


def test_the_mail_names_the_rule_that_matched(db_path):
    from scheduler.notify import send_due
    from storage import open_db
    with Sink() as sink:
        db = open_db(db_path)
        config = cfg(sink.port, alerts=[{"name": "Depot desk", "to": ["d@newsroom.example"], "keywords": ["depot"],
                                         "in": "headline"},
                                        {"name": "Rubble", "to": ["d@newsroom.example"], "keywords": ["rubble"],
                                         "in": "headline"}])
        revise(db, config, "https://s.example/a", "Strike on depot", EN, 12, "2026-12-02T10:00:00Z")
        revise(db, config, "https://s.example/a", "Strike on depot", EN, 19, "2026-12-02T10:05:00Z")
        assert send_due(db, config, now="2026-12-02T10:06:00Z").messages == 1
        assert db.execute("SELECT DISTINCT rule FROM alerts").fetchall() == [("Depot desk",)]   # rubble: text only
        text = sink.messages[0].get_body(("plain",)).get_content()
        assert "Matched: rule “Depot desk”: “depot” in the headline" in text
