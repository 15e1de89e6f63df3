"""Every link in a mail lands: the article page at the pair the mail reports, and the front page, answered
200 by a running `marsad serve` on 127.0.0.1; a take-down's mail carries the story's last text."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from scheduler.demo import free_port
from scheduler.notify import send_due
from storage import CheckResult, open_db, record_check
from scheduler.jobs import make_store

from .conftest import LOOPBACK_CONFIG, ROOT
from .test_alerts import Sink, cfg
from .test_digest import AR, EN, revise


def answer(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def serve(db_path, port):
    env = {**os.environ, "MARSAD_CONFIG": str(LOOPBACK_CONFIG)}
    env.pop("MARSAD_DB", None)
    proc = subprocess.Popen([sys.executable, "-m", "scheduler.cli", "serve", "--db", str(db_path), "--port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(300):                       # until it listens (or gives up): a readiness wait, not a timing test
        if proc.poll() is not None:
            raise AssertionError(f"marsad serve exited: {proc.stderr.read().decode(errors='replace')}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("marsad serve did not start")


def test_every_link_in_single_digest_and_take_down_mails_answers_200(db_path):
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    with Sink() as sink:
        db = open_db(db_path)
        now_cfg = cfg(sink.port, serve={"public_url": public})
        digest_cfg = cfg(sink.port, serve={"public_url": public},
                         alerts=[{"to": ["desk@newsroom.example"], "digest": "30m"}])
        revise(db, now_cfg, "https://s.example/a", "غارات على مخازن", AR, 12, "2026-12-02T10:01:00Z")
        revise(db, now_cfg, "https://s.example/a", "غارات على مخازن", AR, 19, "2026-12-02T10:05:00Z")
        assert send_due(db, now_cfg, now="2026-12-02T10:06:00Z").messages == 1            # a single mail
        revise(db, digest_cfg, "https://s.example/b", "Strike on depot", EN, 4, "2026-12-02T10:07:00Z")
        revise(db, digest_cfg, "https://s.example/b", "Strike on depot", EN, 6, "2026-12-02T10:08:00Z")
        revise(db, digest_cfg, "https://s.example/b", "Strike on depot", EN, 9, "2026-12-02T10:09:00Z")
        assert send_due(db, digest_cfg, now="2026-12-02T10:30:00Z").messages == 1          # a digest
        store = make_store(db, now_cfg)
        record_check(db, CheckResult(url="https://s.example/a", fetched_at="2026-12-02T10:40:00Z", status=410,
                                     site="عربي بوست"), policy=store.policy, rules=store.rules)
        assert send_due(db, now_cfg, now="2026-12-02T10:41:00Z").messages == 1            # a take-down
        single, digest, gone = sink.messages
    db.conn.close()
    texts = [m.get_body(("plain",)).get_content() for m in (single, digest, gone)]
    assert f"{public}/-/marsad/article/1?from=1&to=2" in texts[0]
    assert f"{public}/-/marsad/article/2?from=1&to=3" in texts[1]                         # the window's pair
    assert "قال المرصد إن 19 شخصاً قُتلوا" in texts[2] and "Last text marsad holds (version 2" in texts[2]
    links = sorted({u for t in texts for u in re.findall(re.escape(public) + r"\S*", t)})
    assert len(links) >= 4
    proc = serve(db_path, port)
    try:
        if answer(f"{public}/-/marsad/") == 404:
            pytest.skip("the plugin's pages (/-/marsad/) are not served by this tree")
        assert {u: answer(u) for u in links} == {u: 200 for u in links}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
