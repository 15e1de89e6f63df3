"""The daemon over real HTTP and a real SQLite file, in a subprocess, with short intervals."""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time


from .conftest import ROOT
from .readonly import query


def config(tmp_path, site, **schedule):
    sched = {"tick": '"1s"', "discovery_every": '"2s"', "revisit": '[["1h", "1s"]]'} | schedule
    cfg = tmp_path / "daemon.toml"
    cfg.write_text("[politeness]\nallow_private_addresses = true\ndelay_seconds = 0.0\nretries = 0\nautothrottle = false\n[schedule]\n"
                   + "".join(f"{k} = {v}\n" for k, v in sched.items())
                   + f'[[sites]]\nname = "Arabi Post (local)"\nfeeds = ["{site.feed_url}"]\n'
                   + "article_pattern = '/\\d{4}/\\d{2}/\\d{2}/'\n")
    return cfg


def start(cfg, db):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}
    return subprocess.Popen([sys.executable, "-m", "scheduler.cli", "--config", str(cfg), "--db", str(db), "daemon"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@contextlib.contextmanager
def running(cfg, db):
    """A daemon for the length of a with-block; killed if the test leaves it running."""
    proc = start(cfg, db)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def wait_for(pred, timeout=30.0, proc=None):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"daemon exited early ({proc.returncode}):\n{proc.stderr.read()}")
        time.sleep(0.2)
    raise AssertionError("timed out")


def versions(db):
    return [r[0] for r in query(db, "SELECT n FROM versions ORDER BY n")]


def outcomes(db):
    return [r[0] for r in query(db, "SELECT outcome FROM checks ORDER BY id")]


def stop(proc, sig=signal.SIGTERM, timeout=15):
    proc.send_signal(sig)
    t0 = time.monotonic()
    proc.wait(timeout=timeout)
    return time.monotonic() - t0


def test_daemon_finds_every_change_at_the_expected_check(site, tmp_path):
    db = tmp_path / "d.db"
    with running(config(tmp_path, site), db) as proc:
        wait_for(lambda: versions(db) == [1], proc=proc)
        wait_for(lambda: "not_modified" in outcomes(db), proc=proc)      # revisits on the 1 s rung, 304s
        site.state = "v2"
        wait_for(lambda: versions(db) == [1, 2], proc=proc)
        site.state = "v3"
        wait_for(lambda: "unchanged" in outcomes(db), proc=proc)
        wait_for(lambda: outcomes(db)[-1] == "not_modified", proc=proc)
        took = stop(proc)
    assert proc.returncode == 0 and took < 10
    seq = outcomes(db)
    assert seq[0] == "new" and seq.count("changed") == 1 and seq.count("new") == 1
    first_changed = seq.index("changed")
    assert set(seq[1:first_changed]) == {"not_modified"}             # nothing reported before the edit
    after = seq[first_changed + 1:]
    assert "unchanged" in after and set(after) <= {"not_modified", "unchanged"}
    figure = query(db, "SELECT field, old, new FROM changes WHERE kind = 'figure_changed'")
    assert figure == [("killed", "17", "22")]
    assert query(db, "SELECT count(*) FROM cycles WHERE kind = 'discovery'")[0][0] >= 1
    log = proc.stderr.read()
    assert "cycle: checked" in log and "stopped" in log
    assert "discovery: 0 new" not in log                # a round that found nothing is no log line
    assert "v2: killed: 17 → 22 (up) · updated 13:55 → 13:58 GMT" in log     # what changed, in the log too


def test_second_daemon_on_the_same_database_refuses(site, tmp_path):
    db = tmp_path / "d.db"
    cfg = config(tmp_path, site)
    with running(cfg, db) as first:
        wait_for(lambda: versions(db) == [1], proc=first)
        with running(cfg, db) as second:
            second.wait(timeout=30)
            assert second.returncode != 0 and "already using" in second.stderr.read()
        assert stop(first, signal.SIGINT) < 10 and first.returncode == 0


def test_kill_9_mid_fetch_then_restart_loses_nothing_and_duplicates_nothing(site, tmp_path):
    db = tmp_path / "d.db"
    cfg = config(tmp_path, site)
    with running(cfg, db) as proc:
        wait_for(lambda: versions(db) == [1], proc=proc)
        site.state, site.delay = "v2", 3.0
        before = len(site.requests)
        wait_for(lambda: any(p.startswith("/news/") for p, _ in site.requests[before:]), proc=proc)
        proc.kill()                                   # SIGKILL while the article request is in flight
        proc.wait(timeout=10)
    assert versions(db) == [1]                        # the in-flight check was lost, nothing half-written
    site.delay = 0.0
    with running(cfg, db) as again:                   # the lock died with the killed process
        wait_for(lambda: versions(db) == [1, 2], proc=again)
        wait_for(lambda: outcomes(db)[-1] == "not_modified", proc=again)
        assert stop(again) < 10 and again.returncode == 0
    assert versions(db) == [1, 2]
    assert query(db, "SELECT count(*) FROM changes WHERE kind = 'figure_changed'")[0][0] == 1
    assert query(db, "SELECT count(*) FROM articles")[0][0] == 1


def test_daemon_sends_the_alert_through_smtp(site, tmp_path):
    from .test_alerts import Sink
    db = tmp_path / "d.db"
    cfg = config(tmp_path, site)
    with Sink() as sink:
        cfg.write_text(cfg.read_text() + f'[smtp]\nhost = "127.0.0.1"\nport = {sink.port}\n'
                       '[delivery]\nevery = "1s"\n[[alerts]]\nto = ["desk@newsroom.example"]\n')
        with running(cfg, db) as proc:
            wait_for(lambda: versions(db) == [1], proc=proc)
            site.state = "v2"
            wait_for(lambda: query(db, "SELECT status FROM alerts") == [("sent",)], proc=proc)
            assert stop(proc) < 10 and proc.returncode == 0
        assert len(sink.messages) == 1 and "killed 17 → 22" in sink.messages[0]["Subject"]
