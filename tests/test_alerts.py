"""Alerts end to end against a real SMTP server on 127.0.0.1 (aiosmtpd) and a real SQLite outbox."""
from __future__ import annotations

import email
import json
import threading
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import scheduler.notify
from alerts import AlertRule, matching
from crawler.extract import extract
from detector import Article, Change
from scheduler.config import validate
from scheduler.demo import MailSink, free_port
from scheduler.demo_site import render_article
from scheduler.jobs import make_store
from scheduler.notify import send_due
from storage import CheckResult, open_db, record_check

from .conftest import ARTICLE_URL

NOW = "2026-01-01T00:00:00Z"


class Sink(MailSink):
    """The demo's SMTP sink, with what it accepted parsed as e-mail messages."""

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(raw, policy=policy.default) for raw in self.received]


@pytest.fixture
def sink():
    with Sink() as s:
        yield s


def cfg(port, alerts=None, delivery=None, serve=None):
    return validate({"smtp": {"host": "127.0.0.1", "port": port, "from": "marsad <alerts@newsroom.example>"},
                     "alerts": alerts or [{"to": ["desk@newsroom.example"]}], "delivery": delivery or {},
                     "serve": serve or {}})


def record_revision(db, config, url=ARTICLE_URL, site="عربي بوست", states=("v1", "v2"), at=("2021-02-26T13:56:00Z",
                                                                                            "2021-02-26T14:00:00Z")):
    store = make_store(db, config)
    for state, t in zip(states, at):
        html = render_article(state)
        record_check(db, CheckResult(url=url, fetched_at=t, status=200, article=extract(html, url=ARTICLE_URL),
                                     html=html, site=site), policy=store.policy, rules=store.rules)


def test_arabi_post_alert_arrives_with_both_parts_subject_rtl_and_threading(sink, db_path):
    db = open_db(db_path)
    config = cfg(sink.port, serve={"public_url": "https://marsad.newsroom.example/"})
    record_revision(db, config)
    report = send_due(db, config, now=NOW)
    assert report.messages == 1 and len(sink.messages) == 1
    m = sink.messages[0]
    assert m["Subject"] == ("[marsad] \u2068عربي بوست\u2069: \u2068killed 17 → 22 · updated 13:58 GMT · headline changed"
                            "\u2069 — \u2068روسيا “منزعجة” من القصف الأمريكي للميليشيات الإيرانية في…\u2069")
    assert m.get_content_type() == "multipart/alternative"
    text = m.get_body(("plain",)).get_content()
    html = m.get_body(("html",)).get_content()
    assert "killed: 17 → 22 (up)" in text and "updated 13:55 → 13:58 GMT" in text and ARTICLE_URL in text
    page = "https://marsad.newsroom.example/-/marsad/article/1?from=1&amp;to=2"
    assert 'dir="rtl"' in html and "<ins>" in html and page in html and "<bdi>عربي بوست</bdi>" in html
    assert "https://marsad.newsroom.example/-/marsad/article/1?from=1&to=2" in text
    assert "https://marsad.newsroom.example/-/marsad/" in text and "Matched: rule “rule1”" in text
    assert m["List-Id"] == '"marsad: rule1" <rule1.alerts.newsroom.example>' and m["Auto-Submitted"] == "auto-generated"
    assert m["List-Unsubscribe"] == "<mailto:alerts@newsroom.example?subject=unsubscribe%20rule1>"
    assert "To stop it, write to alerts@newsroom.example" in text
    assert m["In-Reply-To"] == "<marsad.article.1@newsroom.example>" and m["Message-ID"].startswith("<marsad.alert.")
    raw = m.as_bytes()
    assert b"=?utf-8?" in raw.split(b"\n\n", 1)[0].lower()           # RFC 2047 headers
    assert db.execute("SELECT status, message_id FROM alerts").fetchone() == ("sent", m["Message-ID"])
    assert send_due(db, config, now=NOW).messages == 0                # a rerun never sends twice


def test_page_text_is_escaped_in_the_mail(sink, db_path):
    db = open_db(db_path)
    config = cfg(sink.port)
    store = make_store(db, config)
    a = Article(url="u", title="<script>alert(1)</script> مقتل 17", text="قال المرصد إن 17 شخصاً قُتلوا.")
    b = Article(url="u", title="<script>alert(1)</script> مقتل 22", text="قال المرصد إن 22 شخصاً قُتلوا. <b onmouseover=x>جديد</b> هنا.")
    from detector import find_figures
    for art, t in ((a, "2021-01-01T00:00:00Z"), (b, "2021-01-01T01:00:00Z")):
        art = Article(**{**art.__dict__, "figures": find_figures(art.title, art.text)})
        record_check(db, CheckResult(url="https://x.example/a", fetched_at=t, status=200, article=art),
                     rules=store.rules)
    send_due(db, config, now=NOW)
    html = sink.messages[0].get_body(("html",)).get_content()
    assert "<script>" not in html and "<b onmouseover" not in html and "&lt;script&gt;" in html


def test_server_down_then_back_delivers_once(db_path):
    db = open_db(db_path)
    port = free_port()
    config = cfg(port)
    record_revision(db, config)
    report = send_due(db, config, now=NOW)                       # nothing listens on the port
    assert report.retrying == 1 and report.messages == 0
    status, attempts, err, nxt = db.execute("SELECT status, attempts, last_error, next_attempt_at FROM alerts").fetchone()
    assert status == "pending" and attempts == 1 and "Refused" in err and nxt == "2026-01-01T00:01:00Z"
    assert send_due(db, config, now=NOW).messages == 0            # not due yet: backoff
    with Sink(port) as back:
        assert send_due(db, config, now="2026-01-01T00:02:00Z").messages == 1
        assert send_due(db, config, now="2026-01-01T01:00:00Z").messages == 0
        assert len(back.messages) == 1


def test_permanent_5xx_is_kept_with_its_error(sink, db_path):
    db = open_db(db_path)
    config = cfg(sink.port)
    record_revision(db, config)
    sink.reply = "550 5.1.1 mailbox unavailable"
    report = send_due(db, config, now=NOW)
    assert report.failed == 1
    status, err = db.execute("SELECT status, last_error FROM alerts").fetchone()
    assert status == "failed" and "550" in err
    sink.reply = None
    assert send_due(db, config, now="2026-01-02T00:00:00Z").messages == 0    # a failed row is not retried


def test_temporary_4xx_retries_then_gives_up_after_max_attempts(sink, db_path):
    db = open_db(db_path)
    config = cfg(sink.port, delivery={"max_attempts": 2})
    record_revision(db, config)
    sink.reply = "451 4.3.0 try again later"
    assert send_due(db, config, now=NOW).retrying == 1
    assert send_due(db, config, now="2026-01-01T01:00:00Z").failed == 1
    status, err = db.execute("SELECT status, last_error FROM alerts").fetchone()
    assert status == "failed" and "gave up after 2 attempts" in err and "451" in err


def test_digest_rule_groups_articles_into_one_message(sink, db_path):
    db = open_db(db_path)
    config = cfg(sink.port, alerts=[{"to": ["desk@newsroom.example"], "digest": "1h"}])
    for i in range(3):
        record_revision(db, config, url=f"{ARTICLE_URL}{i}/")
    assert send_due(db, config, now="2021-02-26T14:30:00Z").messages == 0       # still inside the hour
    report = send_due(db, config, now="2021-02-26T15:01:00Z")
    assert report.messages == 1 and report.alerts_sent == 3
    m = sink.messages[0]
    assert m["Subject"].startswith("[marsad] 3 articles changed: \u2068killed 17 → 22\u2069 in \u2068روسيا")
    text = m.get_body(("plain",)).get_content()
    assert all(f"the article on its site: {ARTICLE_URL}{i}/" in text for i in range(3))
    assert "3 articles changed between 14:00 and 15:00 on 2021-02-26 (UTC)" in text


def test_burst_of_changes_becomes_one_digest(sink, db_path):
    db = open_db(db_path)
    config = cfg(sink.port, delivery={"burst": 3})
    for i in range(8):                                   # a redesign touching many articles at once
        record_revision(db, config, url=f"{ARTICLE_URL}{i}/")
    report = send_due(db, config, now=NOW)
    assert report.messages == 1 and report.alerts_sent == 8 and len(sink.messages) == 1


def test_rate_limit_per_recipient_holds_the_rest(sink, db_path):
    db = open_db(db_path)
    config = cfg(sink.port, delivery={"per_hour": 1})
    record_revision(db, config, url=ARTICLE_URL + "a/")
    assert send_due(db, config, now=NOW).messages == 1
    record_revision(db, config, url=ARTICLE_URL + "b/")
    assert send_due(db, config, now="2026-01-01T00:10:00Z").messages == 0      # budget spent this hour
    assert send_due(db, config, now="2026-01-01T01:10:00Z").messages == 1


def test_crash_between_send_and_mark_sent_resends_with_the_same_message_id(sink, db_path, monkeypatch):
    db = open_db(db_path)
    config = cfg(sink.port)
    record_revision(db, config)

    def crash(*a, **kw):
        raise SystemExit("killed after the server accepted the message")

    monkeypatch.setattr(scheduler.notify, "mark_sent", crash)
    with pytest.raises(SystemExit):
        send_due(db, config, now=NOW)
    assert db.execute("SELECT status FROM alerts").fetchone()[0] == "sending"
    monkeypatch.undo()
    assert send_due(db, config, now=NOW).messages == 1
    assert len(sink.messages) == 2 and sink.messages[0]["Message-ID"] == sink.messages[1]["Message-ID"]
    assert db.execute("SELECT status, attempts FROM alerts").fetchone() == ("sent", 2)


def test_rule_filters():
    up = Change("figure_changed", "killed", 17, 22, "high", {"direction": "up"})
    small = Change("figure_changed", "killed", 17, 18, "high", {"direction": "up"})
    title = Change("title_changed", "title", "a", "b", "high")
    rule = AlertRule(to=("x",), measures=("killed",), min_rise=3, kinds=("figure_changed",))
    assert [i for _, i in matching([rule], "S", [up, small, title])] == [[0]]
    kw = AlertRule(to=("x",), keywords=("مرصد",))
    assert matching([kw], "S", [title], "u", "قال المرصد", "")                     # المرصد matches مرصد
    assert not matching([kw], "S", [title], "u", "خبر آخر", "")
    pat = AlertRule(to=("x",), url_patterns=(r"/politics/",), sites=("S",))
    assert matching([pat], "S", [title], "https://a/politics/1") and not matching([pat], "S", [title], "https://a/sport/1")
    assert not matching([pat], "T", [title], "https://a/politics/1")
    cosmetic = Change("cosmetic", "text", None, None, "none")
    assert not matching([AlertRule(to=("x",), min_severity="none")], "S", [cosmetic])


class Hook(BaseHTTPRequestHandler):
    received: list = []
    answers: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        code = Hook.answers.pop(0) if Hook.answers else 200
        if code == 200:
            Hook.received.append(json.loads(body))
        self.send_response(code)
        self.end_headers()

    def log_message(self, *a):
        pass


def test_webhook_gets_json_with_retries(db_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Hook.received, Hook.answers = [], [500]
    try:
        db = open_db(db_path)
        config = cfg(free_port(), alerts=[{"webhook": f"http://127.0.0.1:{server.server_address[1]}/hook"}])
        record_revision(db, config)
        assert send_due(db, config, now=NOW).retrying == 1
        assert send_due(db, config, now="2026-01-01T00:05:00Z").messages == 1
        payload = Hook.received[0]["alerts"][0]
        assert payload["summary"].startswith("killed: 17 → 22 (up)")
        assert {c["kind"] for c in payload["changes"]} >= {"figure_changed", "updated_time_changed"}
    finally:
        server.shutdown()


def test_alerts_commands_and_feed(marsad, sink, db_path, tmp_path):
    db = open_db(db_path)
    config_file = tmp_path / "m.toml"
    config_file.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {sink.port}\nfrom = "marsad <alerts@newsroom.example>"\n'
                           '[[alerts]]\nto = ["desk@newsroom.example"]\n')
    record_revision(db, cfg(sink.port))
    db.conn.close()
    pending = marsad.json_lines("--config", config_file, "alerts", "pending", "--db", db_path, "--json")
    assert [p["status"] for p in pending] == ["pending"] and pending[0]["recipient"] == "desk@newsroom.example"
    out = marsad("--config", config_file, "alerts", "send", "--db", db_path).stdout
    assert "sent 1 message(s)" in out and len(sink.messages) == 1
    assert "outbox empty" in marsad("--config", config_file, "alerts", "pending", "--db", db_path).stdout
    test = marsad("--config", config_file, "alerts", "test", "--to", "editor@newsroom.example").stdout
    assert "sample alert sent" in test and sink.messages[-1]["To"] == "editor@newsroom.example"
    atom = marsad("feed", "--db", db_path).stdout
    assert atom.startswith("<?xml") and "<entry>" in atom and "killed: 17 → 22 (up)" in atom
    import xml.etree.ElementTree as ET
    root = ET.fromstring(atom)
    content = root.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}content").text
    assert "<ins>" in content                                  # escaped HTML inside the XML, readable by readers


def test_alerts_test_with_the_server_down_is_one_clear_error(marsad, tmp_path):
    config_file = tmp_path / "m.toml"
    config_file.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {free_port()}\n')
    proc = marsad("--config", config_file, "alerts", "test", "--to", "x@example.org", check=False)
    assert proc.returncode == 1 and "failed" in proc.stderr and "Traceback" not in proc.stderr
