"""Digests on the clock, through a real SQLite outbox and a real SMTP server on 127.0.0.1 (aiosmtpd).

One mail per window per recipient, covering every article that changed in it, each as it stands now
(the toll with its path "12 → 19 → 23"), nothing for an empty window, urgent changes at once.
"""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from alerts.schedule import Digest, ScheduleError, parse_digest
from detector import Article, find_figures
from scheduler.durations import seconds
from scheduler.jobs import make_store
from scheduler.notify import send_due
from storage import CheckResult, open_db, record_check

from .test_alerts import Sink, cfg

AR = "قال المرصد إن {n} شخصاً قُتلوا في الغارات على مخازن الأسلحة.\n\nوتواصل فرق الإنقاذ البحث تحت الأنقاض."
EN = "At least {n} people were killed in the strike on the depot, officials said.\n\nRescue teams searched the rubble."


@pytest.fixture
def sink():
    with Sink() as s:
        yield s


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def revise(db, config, url, title, body, n, at, site="عربي بوست"):
    text = body.format(n=n)
    art = Article(url=url, title=title, text=text, figures=find_figures(title, text), lang="ar" if body is AR else "en")
    store = make_store(db, config)
    record_check(db, CheckResult(url=url, fetched_at=at, status=200, article=art, site=site),
                 policy=store.policy, rules=store.rules)


def test_windows_fall_on_the_clock():
    half = Digest(every=1800)
    assert half.window_end(utc("2026-12-02T10:01:00Z")) == utc("2026-12-02T10:30:00Z")
    assert half.window_end(utc("2026-12-02T10:29:59Z")) == utc("2026-12-02T10:30:00Z")
    assert half.window_end(utc("2026-12-02T10:30:00Z")) == utc("2026-12-02T11:00:00Z")      # a boundary opens one
    assert half.window_start(utc("2026-12-02T10:30:00Z")) == utc("2026-12-02T10:00:00Z")
    riyadh = parse_digest("daily 07:00", "Asia/Riyadh", seconds)                             # UTC+3
    assert riyadh.window_end(utc("2026-12-02T03:30:00Z")) == utc("2026-12-02T04:00:00Z")
    assert riyadh.window_end(utc("2026-12-02T04:00:00Z")) == utc("2026-12-03T04:00:00Z")
    london = parse_digest("daily 07:00", "Europe/London", seconds)                           # clocks go forward
    assert london.window_end(utc("2026-03-28T12:00:00Z")) == utc("2026-03-29T06:00:00Z")     # 07:00 BST
    assert london.window_end(utc("2026-03-27T12:00:00Z")) == utc("2026-03-28T07:00:00Z")     # 07:00 GMT
    assert parse_digest("0m", "UTC", seconds) is None
    for bad in ("7m", "25h", "daily 25:00", "soon"):
        with pytest.raises(ScheduleError):
            parse_digest(bad, "UTC", seconds)


def test_one_mail_per_window_with_each_story_as_it_stands_now(sink, db_path):
    db = open_db(db_path)
    config = cfg(sink.port, alerts=[{"name": "Arabic desk", "to": ["desk@newsroom.example"], "digest": "30m"}],
                 serve={"public_url": "https://marsad.newsroom.example"})
    gaza, depot = "https://s.example/gaza", "https://s.example/depot"
    revise(db, config, gaza, "غارات على مخازن أسلحة", AR, 12, "2026-12-02T10:01:00Z")
    revise(db, config, depot, "Strike on depot", EN, 4, "2026-12-02T10:02:00Z", site="Reuters")
    revise(db, config, gaza, "غارات على مخازن أسلحة", AR, 19, "2026-12-02T10:05:00Z")
    revise(db, config, depot, "Strike on depot", EN, 6, "2026-12-02T10:10:00Z", site="Reuters")
    revise(db, config, gaza, "غارات على مخازن أسلحة في ريف دمشق", AR, 23, "2026-12-02T10:20:00Z")
    assert send_due(db, config, now="2026-12-02T10:29:59Z").messages == 0               # the window is open
    report = send_due(db, config, now="2026-12-02T10:30:00Z")
    assert report.messages == 1 and report.alerts_sent == 3 and len(sink.messages) == 1
    m = sink.messages[0]
    assert m["Subject"] == ("[marsad] 2 articles changed: \u2068killed 12 → 23\u2069 in \u2068غارات على مخازن أسلحة في ريف "
                            "دمشق\u2069; \u2068killed 4 → 6\u2069 in \u2068Strike on depot\u2069")
    text = m.get_body(("plain",)).get_content()
    assert "2 articles changed between 10:00 and 10:30 on 2026-12-02 (UTC)" in text
    assert "== High (2) ==" in text
    assert "killed 12 → 19 → 23 (as it stands now)" in text                      # the path, to the toll now
    assert "2 revisions, versions 1 → 3" in text
    assert "https://marsad.newsroom.example/-/marsad/article/1?from=1&to=3" in text
    assert "https://marsad.newsroom.example/-/marsad/article/2?from=1&to=2" in text
    assert "Matched: rule “Arabic desk”" in text
    assert "«غارات على مخازن أسلحة» → «غارات على مخازن أسلحة في ريف دمشق»" in text  # headline old → now
    assert send_due(db, config, now="2026-12-02T10:31:00Z").messages == 0               # sent once
    assert send_due(db, config, now="2026-12-02T11:00:00Z").messages == 0               # an empty window: nothing
    revise(db, config, gaza, "غارات على مخازن أسلحة في ريف دمشق", AR, 25, "2026-12-02T11:05:00Z")
    assert send_due(db, config, now="2026-12-02T11:29:00Z").messages == 0
    assert send_due(db, config, now="2026-12-02T11:30:00Z").messages == 1
    later = sink.messages[1]
    assert later["Subject"].startswith("[marsad] 1 article changed: \u2068killed 23 → 25\u2069")
    assert "article/1?from=3&to=4" in later.get_body(("plain",)).get_content()


def test_urgent_changes_go_at_once_and_the_rest_waits_for_the_window(sink, db_path):
    db = open_db(db_path)
    config = cfg(sink.port, alerts=[{"to": ["desk@newsroom.example"], "digest": "daily 07:00", "timezone": "Asia/Riyadh",
                                     "urgent": "high", "min_severity": "low"}])
    url = "https://s.example/a"
    revise(db, config, url, "Strike on depot", EN, 12, "2026-12-02T03:00:00Z")
    revise(db, config, url, "Strike on depot", EN, 19, "2026-12-02T03:10:00Z")               # high: a toll
    revise(db, config, url, "Strike on depot", EN + "\n\nAid convoys reached the town late on Tuesday evening.", 19,
           "2026-12-02T03:20:00Z")                                                          # medium: a paragraph
    report = send_due(db, config, now="2026-12-02T03:21:00Z")
    assert report.messages == 1 and "killed 12 → 19" in sink.messages[0]["Subject"]
    assert send_due(db, config, now="2026-12-02T03:59:00Z").messages == 0                   # 06:59 in Riyadh
    assert send_due(db, config, now="2026-12-02T04:00:00Z").messages == 1                   # 07:00 in Riyadh
    assert "1 article changed" in sink.messages[1]["Subject"]
    assert "from 2026-12-01 07:00 to 2026-12-02 07:00 (Asia/Riyadh)" in sink.messages[1].get_body(("plain",)).get_content()


def test_a_digest_claimed_then_crashed_is_resent_as_the_same_digest(sink, db_path, monkeypatch):
    import scheduler.notify
    db = open_db(db_path)
    config = cfg(sink.port, alerts=[{"to": ["desk@newsroom.example"], "digest": "1h"}])
    for i in range(3):
        revise(db, config, f"https://s.example/{i}", "Strike on depot", EN, 12, "2026-12-02T10:01:00Z")
        revise(db, config, f"https://s.example/{i}", "Strike on depot", EN, 14 + i, "2026-12-02T10:02:00Z")

    def crash(*a, **kw):
        raise SystemExit("killed after the server accepted the message")

    monkeypatch.setattr(scheduler.notify, "mark_sent", crash)
    with pytest.raises(SystemExit):
        send_due(db, config, now="2026-12-02T11:00:00Z")
    monkeypatch.undo()
    assert send_due(db, config, now="2026-12-02T11:00:00Z").messages == 1
    first, again = sink.messages
    assert first["Message-ID"] == again["Message-ID"] and first["Subject"] == again["Subject"]
    assert first["Subject"].startswith("[marsad] 3 articles changed")
    assert send_due(db, config, now="2026-12-02T12:00:00Z").messages == 0


def test_alerts_pending_shows_when_a_digest_row_goes_out(marsad, db_path, tmp_path):
    db = open_db(db_path)
    config_file = tmp_path / "m.toml"
    config_file.write_text('[[alerts]]\nto = ["desk@newsroom.example"]\ndigest = "daily 07:00"\n'
                           'timezone = "Asia/Riyadh"\n', encoding="utf-8")
    from scheduler.config import load
    config = load(str(config_file))
    revise(db, config, "https://s.example/a", "Strike on depot", EN, 12, "2026-12-02T05:00:00Z")
    revise(db, config, "https://s.example/a", "Strike on depot", EN, 19, "2026-12-02T05:10:00Z")
    db.conn.close()
    (row,) = marsad.json_lines("--config", config_file, "alerts", "pending", "--db", db_path, "--json")
    assert row["due"] == "2026-12-03T04:00:00Z"                  # 07:00 tomorrow in Riyadh
