"""Mail headers that read right in every inbox: decoded with email.policy.default, they equal the text meant.

The standard library glues words where it folds a long encoded subject ("killed 12→ 19", "علىمخازن");
the first test shows it still does, so the second one proves something.
"""
from __future__ import annotations

import email
import random
from email import policy
from email.message import EmailMessage

import pytest

from alerts import build_message
from alerts.mailtext import FSI, PDI, fold_header, set_text_header
from detector import Change

WORDS = {"ar": "غارات على مخازن أسلحة في ريف دمشق الموقع العربي قال المرصد إن القتلى ارتفع".split(),
         "en": "killed 12 19 updated 13:58 GMT Israeli strike kills people in Gaza says the ministry".split(),
         "mixed": "killed 12 → 19 · — غارات على مخازن Gaza «quoted» الموقع العربي: 1 paragraph added".split()}


def sentence(kind: str, n: int, seed: int) -> str:
    rnd = random.Random(f"{kind}{n}{seed}")
    out = ""
    while len(out) < n:
        out += rnd.choice(WORDS[kind]) + " "
    return out[:n].strip()


def roundtrip(msg: EmailMessage) -> email.message.EmailMessage:
    return email.message_from_bytes(msg.as_bytes(), policy=policy.default)


def test_the_standard_library_folding_loses_spaces():
    lost = 0
    for n in range(20, 301):
        s = sentence("mixed", n, 0)
        m = EmailMessage()
        m["Subject"] = s
        lost += roundtrip(m)["Subject"] != s
    assert lost > 20


@pytest.mark.parametrize("kind", ["ar", "en", "mixed"])
def test_every_subject_from_20_to_300_characters_decodes_to_the_intended_text(kind):
    for n in range(20, 301):
        for seed in range(2):
            s = sentence(kind, n, seed)
            if seed:
                s = f"[marsad] {FSI}{s}{PDI}: {FSI}killed 12 → 19{PDI}"
            m = EmailMessage()
            set_text_header(m, "Subject", s)
            m.set_content("x")
            raw = m.as_bytes()
            head = raw.split(b"\n\n", 1)[0]
            assert all(len(line) <= 78 for line in head.split(b"\n")), head
            assert roundtrip(m)["Subject"] == s, (n, seed)


def test_folded_words_hold_whole_characters_within_line_limits():
    s = "على " * 80
    folded = fold_header("Subject", s)
    lines = folded.split("\n")
    assert len("Subject: " + lines[0]) <= 78 and all(len(line) <= 78 for line in lines[1:])
    assert all(line.lstrip().startswith("=?utf-8?b?") for line in lines)


def item(title, site="الموقع العربي", lang="ar", changes=None, **kw):
    changes = changes or [Change("figure_changed", "killed", 12, 19, "high", {"direction": "up"}),
                          Change("sentence_added", "text", None, "1 paragraph", "medium", {"whole_paragraph": True,
                                                                                           "paragraph": 1})]
    return {"article_id": 7, "version_id": 70, "version": 3, "from_n": 2, "url": "https://s.example/a", "site": site,
            "title": title, "old_title": title, "lang": lang, "at": "2026-12-02T05:00:00Z", "changes": changes,
            "rules": ["مكتب غزة"], "why": ["rule “مكتب غزة”: “غزة” in the headline"], **kw}


def test_why_isolates_arabic_rule_names_and_keywords():
    from alerts import AlertRule
    rule = AlertRule(to=("x",), keywords=("دمشق",), scope="headline", name="مكتب سوريا")
    assert rule.why("غارات في ريف دمشق", "") == f"rule “{FSI}مكتب سوريا{PDI}”: “{FSI}دمشق{PDI}” in the headline"


@pytest.mark.parametrize("title, site, lang", [
    ("غارات على مخازن أسلحة في ريف دمشق وارتفاع عدد القتلى إلى 19 بحسب المرصد السوري لحقوق الإنسان", "الموقع العربي", "ar"),
    ("Israeli strike on Gaza kills 19, ministry says, as talks resume in Cairo", "Reuters", "en"),
    ("Gaza: غارات على مخازن and 19 killed", "BBC عربي", "ar")])
def test_every_header_of_a_real_message_decodes_as_meant(title, site, lang):
    msg = build_message([item(title, site, lang)], sender="marsad <alerts@newsroom.example>",
                        recipient="مكتب غزة <gaza@newsroom.example>", msg_id="<m.1@newsroom.example>",
                        domain="newsroom.example", public_url="https://m.example")
    back = roundtrip(msg)
    rtl = lang == "ar" or any("\u0600" <= ch <= "\u06ff" for ch in title + site)
    iso = (lambda s: FSI + s + PDI) if rtl else (lambda s: s)
    from alerts.compose import _short
    assert back["Subject"] == f"[marsad] {iso(site)}: {iso('killed 12 → 19')} — {iso(_short(title))}"
    assert back["To"] == "مكتب غزة <gaza@newsroom.example>"
    assert back["List-Id"] == "marsad: مكتب غزة <rule.alerts.newsroom.example>"
    assert back["Auto-Submitted"] == "auto-generated"
    assert back["Message-ID"] == "<m.1@newsroom.example>" and back["In-Reply-To"] == "<marsad.article.7@newsroom.example>"
    assert back["References"] == "<marsad.article.7@newsroom.example>"
    assert back["List-Unsubscribe"].startswith("<mailto:alerts@newsroom.example?subject=unsubscribe%20")
    text = back.get_body(("plain",)).get_content()
    html = back.get_body(("html",)).get_content()
    assert "https://m.example/-/marsad/article/7?from=2&to=3" in text and "https://m.example/-/marsad/" in text
    assert "Matched: " in text and "“غزة” in the headline" in text
    assert f"<bdi>{site}</bdi>" in html and '<p class="why" dir="ltr">Matched: rule “مكتب غزة”' in html


def test_an_english_subject_stays_plain_ascii():
    msg = build_message([item("Strike kills 19", "Reuters", "en")], sender="marsad <a@x.example>", recipient="d@x.example",
                        msg_id="<m@x.example>", domain="x.example")
    raw = msg.as_bytes().split(b"\n\n", 1)[0]
    assert roundtrip(msg)["Subject"] == "[marsad] Reuters: killed 12 → 19 — Strike kills 19"     # no isolates
    plain = EmailMessage()
    set_text_header(plain, "Subject", "[marsad] Reuters: headline changed - Strike kills 19")
    assert b"Subject: [marsad] Reuters: headline changed" in plain.as_bytes()          # ASCII stays readable


def test_a_take_down_mail_carries_the_last_text_and_links_to_the_article_page():
    gone = Change("removed", "status", 200, 404, "high", {})
    last = "الفقرة الأولى من النص الأخير.\n\nالفقرة الثانية " + "كلمة " * 300
    it = item("خبر حذف", changes=[gone], version_id=None, version=None, from_n=None, last_text=last, last_n=4,
              last_at="2026-12-02T04:00:00Z")
    back = roundtrip(build_message([it], sender="marsad <a@x.example>", recipient="d@x.example", msg_id="<m@x.example>",
                                   domain="x.example", public_url="https://m.example/base/"))
    text = back.get_body(("plain",)).get_content()
    assert "taken down (HTTP 404)" in back["Subject"]
    assert "Last text marsad holds (version 4, fetched 2026-12-02 04:00 UTC):" in text
    assert "الفقرة الأولى من النص الأخير." in text and "…" in text and text.count("كلمة") < 200
    assert "https://m.example/base/-/marsad/article/7\n" in text
    assert "<blockquote>" in back.get_body(("html",)).get_content()
