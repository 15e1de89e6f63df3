"""Storage size on real pages (issue 11, item 3): a new version costs at most 40% of its raw HTML (zstd
raw HTML, text stored once, a search index of the normalized text only), an unchanged check at most 200
bytes. Sizes, not timings: what the database file grows by, WAL checkpointed, free pages not counted."""
from __future__ import annotations

import pytest

from bench.corpora import DEFAULT as CORPORA
from storage import CheckResult, open_db, record_check

PAGES = 40
ROUNDS = 5                              # unchanged checks of every page: enough rows to fill whole pages

pytestmark = pytest.mark.skipif(not (CORPORA / "load.py").exists(),
                                reason=f"no corpora at {CORPORA}: storage size on real pages not measured")


@pytest.fixture(scope="module")
def pages():
    from bench.corpora import loader
    from crawler.extract import extract
    load = loader()
    recs = [r for c in ("aeb", "arabic", "htmldate_mediacloud") for r in load.iter_records(c)][::3][:PAGES]
    out = []
    for r in recs:
        html = load.read_html(r["html"])
        out.append((r["url"], html, extract(html, url=r["url"])))
    return out


def used_bytes(db) -> int:
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    count, free, size = (db.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "freelist_count", "page_size"))
    return (count - free) * size


def record_all(db, pages, at):
    for url, html, article in pages:
        record_check(db, CheckResult(url=url, fetched_at=at, status=200, article=article, html=html))


@pytest.fixture(scope="module")
def measured(pages, tmp_path_factory):
    db = open_db(tmp_path_factory.mktemp("size") / "size.db")
    empty = used_bytes(db)
    record_all(db, pages, "2024-05-01T10:00:00Z")
    after_versions = used_bytes(db)
    fts = db.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'versions_fts%'").fetchone()[0]
    for hour in range(11, 11 + ROUNDS):
        record_all(db, pages, f"2024-05-01T{hour}:00:00Z")
    after_checks = used_bytes(db)
    n = len(pages)
    out = {"raw": sum(len(h) for _, h, _ in pages) / n, "version": (after_versions - empty) / n,
           "fts": fts / n, "unchanged": (after_checks - after_versions) / (n * ROUNDS),
           "outcomes": [r[0] for r in db.execute("SELECT outcome FROM checks ORDER BY id")]}
    db.conn.close()
    print(f"\n{n} corpus pages: raw HTML {out['raw']:.0f} B, a new version {out['version']:.0f} B "
          f"({out['version'] / out['raw']:.1%}; search index {out['fts']:.0f} B), an unchanged check "
          f"{out['unchanged']:.0f} B")
    return out


def test_a_new_version_costs_at_most_40_percent_of_its_raw_html(measured):
    assert measured["outcomes"][:PAGES] == ["new"] * PAGES
    assert measured["version"] <= 0.40 * measured["raw"], measured


def test_an_unchanged_check_costs_at_most_200_bytes(measured):
    assert measured["outcomes"][PAGES:] == ["unchanged"] * PAGES * ROUNDS
    assert measured["unchanged"] <= 200, measured
