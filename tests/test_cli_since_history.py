"""The command line as people type it: `history` with the URL as copied (trailing slash or not, a query,
a fragment), `--since` as a duration, a day or an ISO time (anything else is exit 2 naming the value),
and `changes` writing into a pipe that closes early (`marsad changes | head -1`)."""
from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from datetime import datetime, timezone

import click
import pytest

from scheduler.cli_support import parse_since
from storage import open_db
from storage.queries import url_candidates

from .conftest import ROOT
from .newsroom import build

NOW = datetime(2026, 12, 2, 6, 0, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "newsroom.db"
    build(path)
    return path


@pytest.mark.parametrize("value, expected", [
    ("2h", "2026-12-02T04:00:00Z"), ("30m", "2026-12-02T05:30:00Z"), ("7d", "2026-11-25T06:00:00Z"),
    ("1w", "2026-11-25T06:00:00Z"), (" 90s ", "2026-12-02T05:58:30Z"),
    ("2026-12-01", "2026-12-01T00:00:00Z"), ("2026-12-01T08:15:00Z", "2026-12-01T08:15:00Z"),
    ("2026-12-01T08:15Z", "2026-12-01T08:15:00Z"), ("2026-12-01T11:15:00+03:00", "2026-12-01T08:15:00Z"),
    ("2026-12-01 08:15", "2026-12-01T08:15:00Z"),
])
def test_since_accepts_durations_days_and_iso_times(value, expected):
    assert parse_since(value, NOW) == expected


@pytest.mark.parametrize("value", ["yesterday", "2 hours", "2h ago", "-2h", "2026-13-01", "2026-02-30",
                                   "2026-12-01T25:00:00Z", "12/01/2026", "", "100000000d"])
def test_since_refuses_anything_else_naming_the_value(value):
    with pytest.raises(click.BadParameter) as e:
        parse_since(value, NOW)
    assert repr(value) in str(e.value)


def marsad(*args, **kw):
    return subprocess.run([sys.executable, "-m", "scheduler.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=60, **kw)


def test_changes_since_yesterday_is_exit_2(newsroom):
    r = marsad("changes", "--db", newsroom, "--since", "yesterday")
    assert r.returncode == 2 and "'yesterday'" in r.stderr and "--since" in r.stderr and r.stdout == ""
    assert "Traceback" not in r.stderr


def test_changes_since_selects_by_time(newsroom):
    recent = marsad("changes", "--db", newsroom, "--since", "10m").stdout.splitlines()
    everything = marsad("changes", "--db", newsroom, "--since", "2026-01-01").stdout.splitlines()
    assert 0 < len(recent) < len(everything)          # the newsroom's last 10 minutes, out of its last hour
    assert marsad("changes", "--db", newsroom, "--since", "2099-01-01").stdout == ""


def test_url_candidates_forgive_what_browsers_add():
    got = url_candidates("HTTPS://Coastal.Example/world/fire/?utm_source=x#comments")
    assert got[0] == "HTTPS://Coastal.Example/world/fire/?utm_source=x#comments"
    assert "https://coastal.example/world/fire" in got and "https://coastal.example/world/fire/" in got
    assert got.index("https://coastal.example/world/fire/?utm_source=x") < got.index("https://coastal.example/world/fire")


@pytest.mark.parametrize("typed", [
    "https://coastal.example/world/port-warehouse-fire",            # as stored
    "https://coastal.example/world/port-warehouse-fire/",           # with a trailing slash
    "https://coastal.example/world/port-warehouse-fire?utm_source=mail",
    "https://coastal.example/world/port-warehouse-fire#comments",
    "https://COASTAL.example/world/port-warehouse-fire/?x=1#top",
    "https://alsahil.example/news/2026/12/02/grain-stores-strike",  # stored with a slash, typed without
])
def test_history_finds_the_article_as_the_url_is_pasted(newsroom, typed):
    r = marsad("history", "--db", newsroom, typed)
    assert r.returncode == 0, r.stderr
    assert "version(s)" in r.stdout and ("port-warehouse-fire" in r.stdout or "grain-stores-strike" in r.stdout)


def test_history_prefers_the_exact_url(tmp_path):
    from detector import Article
    from storage import CheckResult, record_check
    path = tmp_path / "two.db"
    db = open_db(path)
    for url, title in (("https://x.example/a", "Without a slash"), ("https://x.example/a/", "With a slash")):
        record_check(db, CheckResult(url=url, fetched_at="2026-12-02T05:00:00Z", status=200,
                                     article=Article(url=url, title=title, text="Some text here.")))
    db.conn.close()
    assert "With a slash" in marsad("history", "--db", path, "https://x.example/a/").stdout
    assert "Without a slash" in marsad("history", "--db", path, "https://x.example/a").stdout
    r = marsad("history", "--db", path, "https://x.example/b")
    assert r.returncode == 1 and "is not tracked" in r.stderr


def test_changes_survives_a_closed_pipe(tmp_path):
    """More output than the pipe holds, and a reader that reads one line and goes away."""
    from detector import Article
    from storage import CheckResult, record_check
    path = tmp_path / "many.db"
    db = open_db(path)
    for i in range(60):
        url = f"https://x.example/story-{i}"
        for k, n in enumerate((10, 20)):
            record_check(db, CheckResult(url=url, fetched_at=f"2026-12-02T05:{k:02d}:00Z", status=200, article=Article(
                url=url, title=f"Story {i}: {n} hurt", text=f"Officials said {n} people were injured in story {i}.")))
    db.conn.close()
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, 1031, 4096)                  # F_SETPIPE_SZ: a small pipe, so the writer blocks
    proc = subprocess.Popen([sys.executable, "-m", "scheduler.cli", "changes", "--db", str(path), "--limit", "1000"],
                            stdout=write_end, stderr=subprocess.PIPE, cwd=ROOT, text=True)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        first = reader.readline()
    _, err = proc.communicate(timeout=60)
    assert first.startswith(b"2026-12-02T05:01:00Z")
    assert proc.returncode in (0, 1) and err == ""       # quietly: no traceback, no "Broken pipe" line
