"""Storage: real SQLite files, one transaction per check, nothing half-written."""
from __future__ import annotations

import sqlite3

import pytest

import storage.record
from alerts import AlertRule
from crawler.extract import extract
from scheduler.demo_site import render_article
from storage import CheckResult, StorageError, history, open_db, record_check, schema_version, track
from storage.blobs import unpack
from storage.schema import known_version

from .conftest import ARTICLE_URL

RULES = (AlertRule(to=("desk@newsroom.example",)),)


def check(db, state, at, **kw):
    html = render_article(state)
    return record_check(db, CheckResult(url=ARTICLE_URL, fetched_at=at, status=200,
                                        article=extract(html, url=ARTICLE_URL), html=html), rules=RULES, **kw)


def counts(db):
    return {t: db[t].count for t in ("articles", "versions", "checks", "changes", "alerts")}


def test_database_is_wal_with_foreign_keys_and_migrations(db_path):
    db = open_db(db_path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    latest = known_version()
    assert schema_version(db) == latest
    db2 = open_db(db_path)                      # reopening applies nothing twice
    assert schema_version(db2) == latest and db2["_migrations"].count == latest


def test_a_version_1_database_is_migrated_in_place(db_path):
    import sqlite_utils
    from storage.schema import MIGRATIONS, migrate
    db = sqlite_utils.Database(db_path)
    db["_migrations"].create({"version": int, "name": str, "applied_at": str}, pk="version")
    MIGRATIONS[0][2](db)
    db["_migrations"].insert({"version": 1, "name": "core tables", "applied_at": "2026-01-01T00:00:00Z"})
    db["sites"].insert({"name": "old"})
    assert migrate(db) == list(range(2, known_version() + 1))
    assert "live" in db["versions"].columns_dict and db["sites"].count == 1


def test_versions_changes_and_alerts_for_the_demo_states(db_path):
    db = open_db(db_path)
    r1 = check(db, "v1", "2021-02-26T13:56:00Z")
    assert (r1.outcome, r1.version) == ("new", 1)
    r2 = check(db, "v2", "2021-02-26T14:00:00Z")
    assert (r2.outcome, r2.version, r2.alert) == ("changed", 2, True)
    r3 = check(db, "v3", "2021-02-26T14:10:00Z")
    assert (r3.outcome, r3.version) == ("unchanged", 2)
    c = counts(db)
    assert c["versions"] == 2 and c["checks"] == 3 and c["alerts"] == 1
    kinds = {r["kind"] for r in db.query("SELECT kind FROM changes")}
    assert {"figure_changed", "updated_time_changed", "title_changed", "sentence_added"} <= kinds
    fig = next(db.query("SELECT old, new, severity, detail FROM changes WHERE kind = 'figure_changed'"))
    assert (fig["old"], fig["new"], fig["severity"]) == ("17", "22", "high") and '"up"' in fig["detail"]
    art = next(db.query("SELECT version_count, last_changed_at, status FROM articles"))
    assert art == {"version_count": 2, "last_changed_at": "2021-02-26T14:00:00Z", "status": "active"}
    v2 = next(db.query("SELECT summary, raw_html FROM versions WHERE n = 2"))
    assert v2["summary"].startswith("killed: 17 → 22 (up)")
    assert unpack(v2["raw_html"]) == render_article("v2")


def test_unchanged_check_adds_only_a_check_row(db_path):
    db = open_db(db_path)
    check(db, "v2", "2021-02-26T14:00:00Z")
    before = counts(db)
    check(db, "v3", "2021-02-26T14:10:00Z")
    after = counts(db)
    assert after["checks"] == before["checks"] + 1
    assert {k: v for k, v in after.items() if k != "checks"} == {k: v for k, v in before.items() if k != "checks"}


def test_removed_once_then_quiet_and_not_modified_and_errors(db_path):
    db = open_db(db_path)
    check(db, "v1", "2021-02-26T13:56:00Z")
    nm = record_check(db, CheckResult(url=ARTICLE_URL, fetched_at="2021-02-26T13:57:00Z", status=304))
    err = record_check(db, CheckResult(url=ARTICLE_URL, fetched_at="2021-02-26T13:58:00Z", status=503,
                                       error="HTTP 503"))
    gone = record_check(db, CheckResult(url=ARTICLE_URL, fetched_at="2021-02-26T14:00:00Z", status=410), rules=RULES)
    again = record_check(db, CheckResult(url=ARTICLE_URL, fetched_at="2021-02-26T15:00:00Z", status=410), rules=RULES)
    assert [nm.outcome, err.outcome, gone.outcome, again.outcome] == ["not_modified", "error", "removed", "removed"]
    assert [c.kind for c in gone.changes] == ["removed"] and gone.alert and again.changes == ()
    assert db.execute("SELECT count(*) FROM changes WHERE kind = 'removed'").fetchone()[0] == 1
    assert db.execute("SELECT status FROM articles").fetchone()[0] == "removed"
    assert [r[0] for r in db.execute("SELECT outcome FROM checks ORDER BY id")] == [
        "new", "not_modified", "error", "removed", "removed"]


def test_failure_inside_record_check_leaves_nothing_half_written(db_path, monkeypatch):
    db = open_db(db_path)
    check(db, "v1", "2021-02-26T13:56:00Z")
    before = counts(db)
    real = storage.record._write_changes

    def crash_after_writing_changes(*a, **kw):
        real(*a, **kw)                                  # the version and its changes are written...
        raise RuntimeError("disk on fire")              # ...then the process fails before the commit

    monkeypatch.setattr(storage.record, "_write_changes", crash_after_writing_changes)
    with pytest.raises(RuntimeError):
        check(db, "v2", "2021-02-26T14:00:00Z")
    assert counts(db) == before
    assert db.execute("SELECT version_count, last_checked_at FROM articles").fetchone() == (1, "2021-02-26T13:56:00Z")
    monkeypatch.setattr(storage.record, "_write_changes", real)
    assert check(db, "v2", "2021-02-26T14:01:00Z").outcome == "changed"   # the retry records it once
    assert db["versions"].count == 2


def test_revisit_policy_sets_next_check(db_path):
    from scheduler.revisit import Ladder
    db = open_db(db_path)
    check(db, "v1", "2021-02-26T13:56:00Z", revisit=Ladder())
    assert db.execute("SELECT next_check_at FROM articles").fetchone()[0] == "2021-02-26T14:01:00Z"


def test_track_is_idempotent(db_path):
    db = open_db(db_path)
    assert track(db, ["https://a.example/1", "https://a.example/2"], "2021-02-26T13:00:00Z") == 2
    assert track(db, ["https://a.example/1"], "2021-02-26T14:00:00Z") == 0
    assert db["articles"].count == 2


def test_history_lists_versions_with_their_changes(db_path):
    db = open_db(db_path)
    check(db, "v1", "2021-02-26T13:56:00Z")
    check(db, "v2", "2021-02-26T14:00:00Z")
    h = history(db, ARTICLE_URL)
    assert [v["n"] for v in h["versions"]] == [1, 2]
    assert h["versions"][0]["changes"] == [] and len(h["versions"][1]["changes"]) >= 4


def test_unreadable_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "not.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError, match="cannot open"):
        open_db(bad)
    with pytest.raises(StorageError, match="no database"):
        open_db(tmp_path / "missing.db", create=False)
    plain = tmp_path / "plain.db"
    sqlite3.connect(plain).execute("CREATE TABLE x (a)").connection.commit()
    with pytest.raises(StorageError, match="not a marsad database"):
        open_db(plain, create=False, readonly=True)
