"""Smoke runs of the throughput benchmark and its page server (the real marsad command line, the real
Scrapy baselines, a real server on 127.0.0.1). No timing is asserted: the numbers belong to
`marsad bench throughput`; here, every row is there, every page was checked, and the server's modes
produce exactly the pages each phase needs."""
from __future__ import annotations

import http.client
import re

import pytest

from bench.pageserver import CorporaMissing, ServerProcess, load_bases

N = 60
REVISED = 3       # 5% of 60

try:
    load_bases()
    HAVE_CORPORA = True
except CorporaMissing as e:
    HAVE_CORPORA, WHY = False, str(e)

pytestmark = pytest.mark.skipif(not HAVE_CORPORA, reason=f"needs ../shared/corpora: {'' if HAVE_CORPORA else WHY}")


def _get(srv, path, headers=None):
    host, port = srv.base_url.split("//")[1].split(":")
    c = http.client.HTTPConnection(host, int(port), timeout=10)
    c.request("GET", path, headers=headers or {})
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, dict(r.getheaders()), body


def _bodies(srv):
    return [_get(srv, f"/a/{i}/")[2] for i in range(N)]


def test_page_server_modes():
    with ServerProcess(N, "--conditional") as srv:
        status, _, sitemap = _get(srv, "/sitemap.xml")
        assert status == 200 and len(re.findall(rb"<loc>", sitemap)) == N
        assert b"Allow: /" in _get(srv, "/robots.txt")[2]
        first = _bodies(srv)
        assert len(set(first)) > N // 2                      # real, varied pages
        assert _bodies(srv) == first                         # identical: byte for byte
        srv.control("advance", revise=5, furniture=0)
        revised = _bodies(srv)
        diff = [i for i in range(N) if revised[i] != first[i]]
        assert len(diff) == REVISED and all(b"Update 1: officials said" in revised[i] for i in diff)
        srv.control("advance", revise=5, furniture=1)
        assert all(a != b for a, b in zip(revised, _bodies(srv)))     # furniture: every page changed
        st, hdr, _ = _get(srv, "/a/0/")
        st304, _, body = _get(srv, "/a/0/", {"If-None-Match": hdr["ETag"]})
        assert st == 200 and (st304, body) == (304, b"")
        srv.control("set", conditional=0)
        assert "ETag" not in _get(srv, "/a/0/")[1]


def test_per_fetch_rounds_need_no_coordination():
    with ServerProcess(N, "--per-fetch", "--percent", "50", "--revise-from", "2") as srv:
        a, b = _bodies(srv), _bodies(srv)
        assert sum(x != y for x, y in zip(a, b)) == N // 2


def test_throughput_smoke_every_row():
    from bench.throughput import PHASES, report, run
    res = run(N, server_passes=1, plain_runs=1)
    rows = {r["key"]: r for r in res["rows"]}
    assert set(rows) == {k for k, _ in PHASES}
    for key, r in rows.items():
        assert r["pages_per_s"] > 0 and r["cpu_ms_per_page"] >= 0 and r["rss_kb"] > 0, (key, r)
        assert sum(r["outcomes"].values()) == N, (key, r["outcomes"])      # every page fetched once
    assert rows["first"]["outcomes"] == {"new": N}
    for key in ("identical", "furniture"):
        assert rows[key]["outcomes"] == {"unchanged": N - REVISED, "changed": REVISED}, (key, rows[key])
    assert rows["conditional"]["served"].get("304") == N - REVISED
    assert rows["conditional"]["outcomes"] == {"not_modified": N - REVISED, "changed": REVISED}
    assert res["server_pages_per_s"] > 0 and res["machine"]["nproc"] >= 1
    text = report(res)
    assert all(label in text for _, label in PHASES)
