"""Shared fixtures: the demo site on 127.0.0.1, fresh SQLite files, and the real `marsad` command."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scheduler.demo_site import DemoSite, render_article

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTICLE_URL = "https://arabicpost.net/news/2021/02/26/russia-annoyed-us-strike-syria/"


@pytest.fixture
def site():
    with DemoSite("v1") as s:
        yield s


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "marsad.db"


@pytest.fixture
def demo_pages(tmp_path):
    """The three demo states saved as files, as a user would save them from a browser."""
    out = {}
    for state in ("v1", "v2", "v3"):
        p = tmp_path / f"{state}.html"
        p.write_bytes(render_article(state))
        out[state] = p
    return out


LOOPBACK_CONFIG = ROOT / "tests" / "fixtures" / "loopback.toml"


class Marsad:
    """Runs the installed command line in a subprocess (a fresh process per call: Scrapy's reactor
    cannot restart inside one test process). Without a --config of its own, a call gets
    tests/fixtures/loopback.toml: the test servers are on 127.0.0.1, which marsad refuses by default."""

    def __call__(self, *args, check=True, env=None, timeout=120):
        e = dict(os.environ)
        e.pop("MARSAD_CONFIG", None), e.pop("MARSAD_DB", None)
        e.update(env or {})
        if "--config" not in map(str, args) and "MARSAD_CONFIG" not in e:
            e["MARSAD_CONFIG"] = str(LOOPBACK_CONFIG)
        proc = subprocess.run([sys.executable, "-m", "scheduler.cli", *map(str, args)], capture_output=True,
                              text=True, timeout=timeout, cwd=ROOT, env=e)
        if check and proc.returncode != 0:
            raise AssertionError(f"marsad {' '.join(map(str, args))} exited {proc.returncode}:\n{proc.stderr}")
        return proc

    def json_lines(self, *args, **kw):
        return [json.loads(line) for line in self(*args, **kw).stdout.splitlines() if line.strip()]


@pytest.fixture
def marsad():
    return Marsad()
