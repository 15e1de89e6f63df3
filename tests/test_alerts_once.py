"""Alerts exactly once between concurrent senders, at least once (same Message-ID) across kill -9, and an
SMTP login failure held as a configuration error: a real aiosmtpd server on 127.0.0.1 (with AUTH where
needed), real SQLite files, real `marsad` processes."""
from __future__ import annotations

import asyncio
import email
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from email import policy

import pytest

from crawler.extract import extract
from scheduler.config import validate
from scheduler.daemon import DaemonRunning, acquire_lock
from scheduler.demo import MailSink, free_port
from scheduler.demo_site import render_article
from scheduler.jobs import make_store
from scheduler.notify import check_smtp, send_due
from storage import CheckResult, open_db, record_check
from storage.times import shift

from .conftest import ARTICLE_URL, ROOT

NOW = "2026-01-01T00:00:00Z"
PASSWORD = "pw-Zq9-never-shown"          # the right one
WRONG = "wrong-Xk7-never-shown"
USER = "marsad-bot"
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")     # loopback only


class Sink(MailSink):
    """The demo's SMTP sink, optionally slow (`delay` per message), requiring AUTH (`password`), or holding
    the `block_at`-th message after receiving it, until `release` is set (a client killed mid-send)."""

    def __init__(self, port=None, *, delay=0.0, password=None, block_at=None):
        super().__init__(port)
        from aiosmtpd.controller import Controller
        self.delay, self.block_at = delay, block_at
        self.blocked, self.release = threading.Event(), threading.Event()
        self.logins: list[tuple[str, bool]] = []     # (user, accepted) per AUTH command
        self.sessions: set[int] = set()              # connections that tried to log in
        kw = {}
        if password is not None:
            kw = {"auth_required": True, "auth_require_tls": False, "authenticator": self._auth(password)}
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, **kw)

    def _auth(self, password):
        from aiosmtpd.smtp import AuthResult

        def check(server, session, envelope, mechanism, data):
            ok = data.login.decode() == USER and data.password.decode() == password
            self.logins.append((data.login.decode(), ok))
            self.sessions.add(id(session))
            return AuthResult(success=ok, handled=False)      # the server answers 535
        return check

    async def handle_DATA(self, server, session, envelope):
        self.received.append(envelope.content)
        if self.block_at and len(self.received) == self.block_at:
            self.blocked.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        elif self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"

    def message_ids(self) -> Counter:
        return Counter(email.message_from_bytes(raw, policy=policy.default)["Message-ID"] for raw in self.received)

    def __exit__(self, *exc):
        self.release.set()
        super().__exit__(*exc)


def cfg(port, **delivery):
    smtp = {"host": "127.0.0.1", "port": port, "from": "marsad <alerts@newsroom.example>"}
    return validate({"smtp": smtp, "alerts": [{"to": ["desk@newsroom.example"]}],
                     "delivery": {"burst": 1000, "per_hour": 1000, **delivery}})


def config_file(tmp_path, port, user=None, **delivery):
    d = {"burst": 1000, "per_hour": 1000, **delivery}
    path = tmp_path / "alerts.toml"
    path.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nfrom = "marsad <alerts@newsroom.example>"\n'
                    + (f'user = "{USER}"\n' if user else "") + "[delivery]\n"
                    + "".join(f"{k} = {v!r}\n".replace("'", '"') for k, v in d.items())
                    + '[[alerts]]\nto = ["desk@newsroom.example"]\n')
    return path


_PAGES = {}


def revisions(db, config, n):
    """n articles, each revised once (v1 -> v2 of the demo story): n pending alerts, one message each."""
    if not _PAGES:
        for state in ("v1", "v2"):
            html = render_article(state)
            _PAGES[state] = (html, extract(html, url=ARTICLE_URL))
    store = make_store(db, config)
    for i in range(n):
        for state, at in (("v1", "2021-02-26T13:56:00Z"), ("v2", "2021-02-26T14:00:00Z")):
            html, art = _PAGES[state]
            record_check(db, CheckResult(url=f"{ARTICLE_URL}{i}/", fetched_at=at, status=200, article=art, html=html,
                                         site="عربي بوست"), policy=store.policy, rules=store.rules)
    assert db.execute("SELECT count(*) FROM alerts WHERE status = 'pending'").fetchone()[0] == n


def alert_rows(db_path):
    con = sqlite3.connect(db_path, timeout=10)
    try:
        return con.execute("SELECT id, status, attempts, message_id, last_error, lease_owner FROM alerts"
                           " ORDER BY id").fetchall()
    finally:
        con.close()


def cli(*args, env=None):
    e = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")} | (env or {})
    return subprocess.Popen([sys.executable, "-m", "scheduler.cli", *map(str, args)], cwd=ROOT, env=e,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def invoke(*args, env=None):
    """`marsad ...` in this process (click's runner): the commands that need no reactor or kill."""
    from click.testing import CliRunner
    from scheduler.cli import main
    r = CliRunner().invoke(main, [str(a) for a in args], env={"MARSAD_SMTP_PASSWORD": None, **(env or {})})
    return r.exit_code, r.stdout, r.stderr


def run(*args, env=None, timeout=60):
    proc = cli(*args, env=env)
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


# --- exactly once between senders ---------------------------------------------------------------------------

def test_four_concurrent_senders_in_threads_send_every_alert_exactly_once(db_path):
    with Sink(delay=0.01) as sink:
        config = cfg(sink.port)
        revisions(open_db(db_path), config, 40)
        dbs = [open_db(db_path) for _ in range(4)]         # one connection each, as separate senders have
        start, reports = threading.Barrier(4), []

        def sender(db):
            start.wait()
            reports.append(send_due(db, config, now=NOW))

        threads = [threading.Thread(target=sender, args=(db,)) for db in dbs]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        ids = sink.message_ids()
    assert len(ids) == 40 and set(ids.values()) == {1}          # 40 messages, no Message-ID twice
    assert sum(r.messages for r in reports) == 40
    rows = alert_rows(db_path)
    assert {r[1] for r in rows} == {"sent"} and {r[2] for r in rows} == {1} and {r[5] for r in rows} == {None}
    assert {r[3] for r in rows} == set(ids)


def test_alerts_send_while_the_daemon_delivers_sends_each_alert_once(site, db_path, tmp_path):
    """The issue's case: `marsad alerts send` run while the daemon's delivery job is mid-way (held on its
    third message until the command has finished)."""
    from .test_daemon import config as daemon_config, running, wait_for
    with Sink(block_at=3) as sink:
        revisions(open_db(db_path), cfg(sink.port), 20)
        cfg_path = daemon_config(tmp_path, site)
        cfg_path.write_text(cfg_path.read_text() + f'[smtp]\nhost = "127.0.0.1"\nport = {sink.port}\n'
                            '[delivery]\nevery = "1s"\nburst = 1000\nper_hour = 1000\n'
                            '[[alerts]]\nto = ["desk@newsroom.example"]\n')
        with running(cfg_path, db_path) as daemon:
            wait_for(sink.blocked.is_set, proc=daemon)                  # the daemon is sending
            code, out, err = invoke("--config", cfg_path, "alerts", "send", "--db", db_path)
            sink.release.set()
            wait_for(lambda: {r[1] for r in alert_rows(db_path)} == {"sent"}, proc=daemon)
            daemon.send_signal(signal.SIGTERM)
            daemon.wait(timeout=15)
        ids = sink.message_ids()
    assert code == 0 and "sent 0 message(s)" in out, err        # everything due was the daemon's
    assert len(ids) == 20 and set(ids.values()) == {1}


def test_two_alerts_send_processes_at_once_send_each_alert_once(db_path, tmp_path):
    with Sink(delay=0.03) as sink:
        revisions(open_db(db_path), cfg(sink.port), 20)
        path = config_file(tmp_path, sink.port)
        procs = [cli("--config", path, "alerts", "send", "--db", db_path) for _ in range(2)]
        outs = [p.communicate(timeout=60) for p in procs]
        ids = sink.message_ids()
    assert [p.returncode for p in procs] == [0, 0], outs
    assert len(ids) == 20 and set(ids.values()) == {1}
    sent = sorted(int(out.split("sent ")[1].split(" ")[0]) for out, _ in outs)
    assert sum(sent) == 20


def test_a_sender_that_lost_its_lease_sends_nothing_more(db_path):
    """Only while it owns a row does a sender send it: another sender took the rest (its lease ran out)."""
    with Sink() as sink:
        config = cfg(sink.port)
        db = open_db(db_path)
        revisions(db, config, 5)

        def steal(msg, recipient):
            other = open_db(db_path)
            with other.conn:
                other.conn.execute("UPDATE alerts SET lease_owner = 'elsewhere:1:ab' WHERE status = 'sending'")

        report = send_due(db, config, now=NOW, on_sent=steal)
        assert report.messages == 1 and len(sink.received) == 1
    rows = alert_rows(db_path)
    assert [r[1] for r in rows].count("sent") == 1
    assert [r[5] for r in rows].count("elsewhere:1:ab") == 4        # untouched: the other sender's to finish


# --- at least once across kill -9 -------------------------------------------------------------------------

def test_kill_9_mid_send_then_a_send_after_the_lease_delivers_every_alert(db_path, tmp_path):
    with Sink(block_at=5) as sink:
        config = cfg(sink.port)
        revisions(open_db(db_path), config, 12)
        path = config_file(tmp_path, sink.port, lease="1s")
        first = cli("--config", path, "alerts", "send", "--db", db_path)
        assert sink.blocked.wait(30), first.communicate(timeout=5)
        first.kill()                                        # SIGKILL while message 5 awaits the server's reply
        first.wait(timeout=10)
        sink.release.set()
        rows = alert_rows(db_path)
        assert [r[1] for r in rows].count("sent") == 4
        assert all(r[1] == "sending" and r[5] for r in rows[4:])     # claimed by the dead sender, leases held
        leased_until = sqlite3.connect(db_path).execute("SELECT max(lease_until) FROM alerts").fetchone()[0]
        early = send_due(open_db(db_path), cfg(sink.port), now=shift(leased_until, -1))
        assert early.messages == 0 and len(sink.received) == 5       # a live lease is respected
        while time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()) <= leased_until:
            time.sleep(0.1)
        code, out, err = run("--config", path, "alerts", "send", "--db", db_path)
        ids = sink.message_ids()
    assert code == 0 and "sent 8 message(s)" in out, err
    assert len(ids) == 12                                   # none lost
    assert sorted(ids.values()) == [1] * 11 + [2]           # the one in flight at the kill came twice, same ID
    rows = alert_rows(db_path)
    assert {r[1] for r in rows} == {"sent"} and {r[3] for r in rows} == set(ids)
    assert [r[2] for r in rows] == [1] * 4 + [2] * 8


def test_server_down_then_up_with_two_senders_sends_once(db_path):
    db = open_db(db_path)
    port = free_port()
    config = cfg(port)
    revisions(db, config, 3)
    report = send_due(db, config, now=NOW)                  # nothing listens
    assert report.retrying == 3 and {r[1] for r in alert_rows(db_path)} == {"pending"}
    later = shift(NOW, 120)
    with Sink(port) as back:
        reports = []
        threads = [threading.Thread(target=lambda: reports.append(send_due(open_db(db_path), config, now=later)))
                   for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert sum(r.messages for r in reports) == 3
        assert send_due(db, config, now=shift(NOW, 7200)).messages == 0
        ids = back.message_ids()
    assert len(ids) == 3 and set(ids.values()) == {1}
    assert [r[2] for r in alert_rows(db_path)] == [2, 2, 2]


# --- SMTP authentication is configuration ---------------------------------------------------------------

def _file_bytes(db_path) -> bytes:
    return b"".join(open(p, "rb").read() for p in (str(db_path), f"{db_path}-wal") if os.path.exists(p))


def test_wrong_password_keeps_alerts_pending_exits_2_and_never_shows_the_password(db_path, tmp_path):
    with Sink(password=PASSWORD) as sink:
        revisions(open_db(db_path), cfg(sink.port), 3)
        path = config_file(tmp_path, sink.port, user=True)
        code, out, err = invoke("--config", path, "alerts", "send", "--db", db_path,
                                env={"MARSAD_SMTP_PASSWORD": WRONG})
        assert code == 2 and "Traceback" not in err
        lines = [line for line in err.splitlines() if line.startswith("Error:")]
        assert lines == [f"Error: SMTP authentication failed at 127.0.0.1:{sink.port} as {USER}: "
                         "535 5.7.8 Authentication credentials invalid"]
        assert "3 held back" in out
        assert {(r[1], r[2], r[4]) for r in alert_rows(db_path)} == {("pending", 0, None)}     # nothing burnt
        assert len(sink.sessions) == 1 and not sink.received           # one connection, not one per alert
        assert {ok for _, ok in sink.logins} == {False}
        assert WRONG not in out + err and WRONG.encode() not in _file_bytes(db_path)
        # the operator fixes the password: everything goes out, once
        code, out, err = invoke("--config", path, "alerts", "send", "--db", db_path,
                             env={"MARSAD_SMTP_PASSWORD": PASSWORD})
        assert code == 0 and "sent 3 message(s)" in out, err
        assert PASSWORD not in out + err and PASSWORD.encode() not in _file_bytes(db_path)
        assert len(sink.message_ids()) == 3


def test_missing_password_or_missing_login_is_the_same_configuration_error(db_path, tmp_path):
    with Sink(password=PASSWORD) as sink:
        revisions(open_db(db_path), cfg(sink.port), 2)
        code, out, err = invoke("--config", config_file(tmp_path, sink.port, user=True), "alerts", "send",
                                "--db", db_path)
        assert code == 2 and "MARSAD_SMTP_PASSWORD" in err          # refused by the configuration, or at login
        assert not sink.logins                                      # not even tried
        code, out, err = invoke("--config", config_file(tmp_path, sink.port), "alerts", "send", "--db", db_path)
        assert code == 2 and "as (no smtp.user): 530 5.7.0 Authentication required" in err
        assert {(r[1], r[2]) for r in alert_rows(db_path)} == {("pending", 0)}
        code, out, err = invoke("--config", config_file(tmp_path, sink.port, user=True), "alerts", "test", "--to",
                             "editor@newsroom.example", env={"MARSAD_SMTP_PASSWORD": WRONG})
        assert code == 2 and "Error: SMTP authentication failed" in err and WRONG not in out + err


def test_auth_failure_in_the_delivery_job_is_reported_once_not_per_alert(db_path, caplog):
    import logging
    from alerts import SmtpSettings
    caplog.set_level(logging.DEBUG)
    with Sink(password=PASSWORD) as sink:
        db = open_db(db_path)
        config = cfg(sink.port)
        revisions(db, config, 4)
        wrong = SmtpSettings(port=sink.port, user=USER, password=WRONG, sender="marsad <alerts@newsroom.example>")
        report = send_due(db, config, now=NOW, settings=wrong)
        assert report.auth_error == (f"SMTP authentication failed at 127.0.0.1:{sink.port} as {USER}: "
                                     "535 5.7.8 Authentication credentials invalid")
        assert (report.messages, report.failed, report.retrying, report.held, report.errors) == (0, 0, 0, 4, [])
        assert len(sink.sessions) == 1
        assert {(r[1], r[2], r[5]) for r in alert_rows(db_path)} == {("pending", 0, None)}
        assert WRONG not in repr(wrong) and WRONG not in caplog.text
        right = SmtpSettings(port=sink.port, user=USER, password=PASSWORD, sender="marsad <alerts@newsroom.example>")
        assert send_due(db, config, now=NOW, settings=right).messages == 4
        assert PASSWORD not in caplog.text


def test_check_smtp_names_the_problem_or_returns_none(tmp_path, monkeypatch):
    with Sink(password=PASSWORD) as sink:
        config = cfg(sink.port)
        config.smtp["user"] = USER
        monkeypatch.setenv("MARSAD_SMTP_PASSWORD", PASSWORD)
        assert check_smtp(config) is None and sink.logins == [(USER, True)] and not sink.received
        monkeypatch.setenv("MARSAD_SMTP_PASSWORD", WRONG)
        problem = check_smtp(config)
        assert problem == (f"SMTP authentication failed at 127.0.0.1:{sink.port} as {USER}: "
                           "535 5.7.8 Authentication credentials invalid") and WRONG not in problem
        monkeypatch.delenv("MARSAD_SMTP_PASSWORD")
        assert "no password" in check_smtp(config)
        assert not sink.received                                    # a check sends no mail
    down = cfg(free_port())
    assert check_smtp(down).startswith(f"SMTP server 127.0.0.1:{down.smtp['port']} is not usable: ")
    hooks_only = validate({"alerts": [{"webhook": "http://127.0.0.1:9/hook"}]})
    assert check_smtp(hooks_only) is None                          # no rule sends e-mail: nothing to check


# --- one daemon per database, whatever its name -----------------------------------------------------------

def test_lock_is_on_the_real_path_so_a_symlink_cannot_get_a_second_one(tmp_path):
    real = tmp_path / "data" / "marsad.db"
    real.parent.mkdir()
    real.touch()
    link = tmp_path / "link.db"
    link.symlink_to(real)
    held = acquire_lock(str(real))
    try:
        with pytest.raises(DaemonRunning) as e:
            acquire_lock(str(link))                    # a second open file description: flock conflicts
        assert f"(pid {os.getpid()}) is already using {real} (reached as {link})" in str(e.value)
        with pytest.raises(DaemonRunning):
            acquire_lock(str(real))
    finally:
        held.close()
    again = acquire_lock(str(link))                    # released with the file: the next one gets it
    again.close()
    assert not (tmp_path / "link.db.lock").exists() and (tmp_path / "data" / "marsad.db.lock").exists()


def test_second_daemon_through_a_symlink_is_refused(site, tmp_path):
    from .test_daemon import config as daemon_config, running, wait_for
    db = tmp_path / "d.db"
    link = tmp_path / "other-name.db"
    link.symlink_to(db)
    cfg_path = daemon_config(tmp_path, site)
    lock = tmp_path / "d.db.lock"
    with running(cfg_path, db) as first:
        wait_for(lambda: lock.exists() and lock.read_text().strip() == str(first.pid), proc=first)
        with running(cfg_path, link) as second:
            second.wait(timeout=30)
            err = second.stderr.read()
        assert second.returncode != 0 and "Traceback" not in err
        assert f"Error: another marsad daemon (pid {first.pid}) is already using {db} (reached as {link})" in err
        assert first.poll() is None
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=15)
