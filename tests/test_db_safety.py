"""Only marsad's database is changed, read-only commands never write, migrations are all-or-nothing with a
backup, and a refused write (disk full, read-only, I/O error, locked) is recognised and loses nothing.
Real SQLite files; the full disk is a real 1-2 MB tmpfs (or a file-size limit in a child process)."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest
import sqlite_utils

import storage.schema
from detector import Article
from storage import CheckResult, StorageError, open_db, record_check, status
from storage.blobs import unpack
from storage.db import classify_write_error, get_state, set_state, upgrade
from storage.schema import APPLICATION_ID, MIGRATIONS, known_version
from storage.search import search

from .conftest import ROOT


def snapshot(path):
    st = os.stat(path)
    return path.read_bytes(), st.st_mtime_ns


def dump(path):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        header = [con.execute(f"PRAGMA {p}").fetchone()[0] for p in ("application_id", "user_version")]
        return header, list(con.iterdump())
    finally:
        con.close()


def fill(db, n=3, start=0, html=b"<html><body><p>page</p></body></html>"):
    for i in range(start, start + n):
        a = Article(url=f"https://news.example/{i}", title=f"Headline {i}", text=f"The ministry said {i} people left.")
        record_check(db, CheckResult(url=a.url, fetched_at="2024-05-01T10:00:00Z", status=200, article=a, html=html))


LATEST = max(v for v, _, _ in MIGRATIONS)     # the schema this marsad writes
OLD = 6                                       # the schema of a marsad from before application_id


def older_marsad_db(path, upto=OLD):
    """A database as a marsad from before application_id wrote it: migrations 1..upto, no id, some data."""
    db = sqlite_utils.Database(path)
    db.enable_wal()
    db["_migrations"].create({"version": int, "name": str, "applied_at": str}, pk="version")
    for version, name, fn in MIGRATIONS[:upto]:
        with db.conn:                                            # as that marsad did
            fn(db)
            db["_migrations"].insert({"version": version, "name": name, "applied_at": "2025-01-01T00:00:00Z"})
    fill(db)
    db.conn.close()
    return path


def foreign_db(path, tables=("articles", "users")):
    con = sqlite3.connect(path)
    for t in tables:
        con.execute(f"CREATE TABLE {t} (id INTEGER PRIMARY KEY, body TEXT)")
        con.execute(f"INSERT INTO {t} (body) VALUES ('theirs')")
    con.commit()
    con.close()
    return path


# -- whose database --------------------------------------------------------------------------------

def test_a_new_database_is_marked_as_marsads(tmp_path):
    db = open_db(tmp_path / "new.db")
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID == 0x6D727364
    assert db.execute("PRAGMA user_version").fetchone()[0] == known_version() == LATEST
    assert not list(tmp_path.glob("*.bak-before-*"))          # nothing to back up in a new file
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    assert open_db(empty).execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


@pytest.mark.parametrize("mode", ["write", "read"])
def test_another_programs_database_is_refused_and_left_byte_for_byte(tmp_path, mode):
    path = foreign_db(tmp_path / "theirs.db")
    before, listing = snapshot(path), sorted(os.listdir(tmp_path))
    with pytest.raises(StorageError) as e:
        open_db(path, mode=mode)
    assert str(e.value) == (f"{path} is not a marsad database (it has tables: articles, users); "
                            "marsad never changes another program's database")
    assert snapshot(path) == before and sorted(os.listdir(tmp_path)) == listing   # no -wal, -shm, backup


def test_an_other_application_id_and_non_sqlite_bytes_are_refused(tmp_path):
    tagged = tmp_path / "tagged.db"
    con = sqlite3.connect(tagged)
    con.execute("PRAGMA application_id = 1196444487")            # "GPKG": a GeoPackage
    con.commit(), con.close()
    before = snapshot(tagged)
    with pytest.raises(StorageError, match="another program's application_id 0x47504b47"):
        open_db(tagged)
    assert snapshot(tagged) == before
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"my notes, not a database\n" * 200)
    before = snapshot(junk)
    with pytest.raises(StorageError, match="it is not an SQLite database"):
        open_db(junk)
    assert snapshot(junk) == before


def test_an_older_marsads_database_is_adopted_backed_up_and_migrated(tmp_path):
    path = older_marsad_db(tmp_path / "old.db")
    (header, _), old_dump = dump(path), dump(path)[1]
    assert header == [0, 0]
    db = open_db(path)
    assert dump(path)[0] == [APPLICATION_ID, known_version()]
    assert db["articles"].count == 3 and search(db, "ministry said 1")[0]["title"] == "Headline 1"
    backup = tmp_path / f"old.db.bak-before-v{OLD + 1}"
    assert dump(backup)[1] == old_dump                           # the copy is the database as it was
    assert [r[0] for r in db.execute("SELECT version FROM _migrations ORDER BY version")] == list(range(1, LATEST + 1))


def test_the_search_index_holds_only_normalized_text_and_keeps_no_copy(tmp_path):
    db = open_db(tmp_path / "s.db")
    a = Article(url="https://ar.example/1", title="إيران تعلن", text="قال المرصد إنّ الحصيلة ارتفعت.", lang="ar")
    record_check(db, CheckResult(url=a.url, fetched_at="2024-05-01T10:00:00Z", status=200, article=a))
    cols = [r[1] for r in db.execute("PRAGMA table_info(versions_fts)")]
    assert cols == ["title_normalized", "text_normalized"]
    assert "versions_fts_content" not in db.table_names()         # contentless: the text lives in versions
    for q in ("ايران", "إيران", "مرصد", "إن الحصيله"):               # typed with or without hamza/shadda
        assert [r["id"] for r in search(db, q)] == [1], q


def test_datasettes_search_box_normalizes_the_query_like_the_index(tmp_path):
    import asyncio
    import urllib.parse
    from datasette.app import Datasette
    from storage.datasette_config import metadata_for
    path = tmp_path / "ds.db"
    db = open_db(path)
    a = Article(url="https://ar.example/1", title="إيران تعلن", text="قال المرصد إنّ الحصيلة ارتفعت.", lang="ar")
    record_check(db, CheckResult(url=a.url, fetched_at="2024-05-01T10:00:00Z", status=200, article=a))
    db.conn.close()
    ds = Datasette([str(path)], metadata=metadata_for("ds"))

    async def hits(q):
        r = await ds.client.get("/ds/versions.json?_shape=array&_search=" + urllib.parse.quote(q))
        assert r.status_code == 200, r.text
        return [row["id"] for row in r.json()]
    for q in ("إيران", "ايران", "الحصيلة", "الحصيله", "المرصد إنّ"):
        assert asyncio.run(hits(q)) == [1], q
    assert asyncio.run(hits("طهران")) == []


# -- read-only commands ----------------------------------------------------------------------------

def test_read_mode_never_creates_migrates_or_writes(tmp_path):
    missing = tmp_path / "missing.db"
    with pytest.raises(StorageError, match="no database at"):
        open_db(missing, mode="read")
    assert not missing.exists()
    old = older_marsad_db(tmp_path / "old.db")
    before = snapshot(old)
    with pytest.raises(StorageError, match=rf"has schema v{OLD} and this marsad reads v{LATEST}: run a command that writes"):
        open_db(old, mode="read")
    assert snapshot(old) == before and not list(tmp_path.glob("*.bak-*"))
    assert upgrade(old) == list(range(OLD + 1, LATEST + 1)) and upgrade(old) == []             # what a write command (or `marsad migrate`) does
    assert open_db(old, mode="read").execute("SELECT count(*) FROM articles").fetchone()[0] == 3
    current = tmp_path / "current.db"
    fill(open_db(current))
    ro = open_db(current, create=False, readonly=True)            # the older keywords still mean read mode
    assert ro.execute("SELECT count(*) FROM versions").fetchone()[0] == 3
    with pytest.raises(sqlite3.OperationalError) as e:
        ro.execute("DELETE FROM versions")
    assert classify_write_error(e.value) == "database is read-only"


def test_a_newer_marsads_database_is_refused_in_both_modes(tmp_path):
    path = tmp_path / "future.db"
    db = open_db(path)
    with db.atomic():
        db.execute("INSERT INTO _migrations VALUES (99, 'from the future', '2030-01-01T00:00:00Z')")
        db.execute("PRAGMA user_version = 99")
    db.conn.close()
    before = dump(path)
    for mode in ("write", "read"):
        with pytest.raises(StorageError, match=rf"written by a newer marsad \(schema v99; this marsad knows up to v{LATEST}\)"):
            open_db(path, mode=mode)
    assert dump(path) == before


@pytest.mark.parametrize("args", [["status"], ["history", "https://news.example/1"], ["changes"], ["feed"],
                                  ["alerts", "pending"]])
def test_read_commands_refuse_a_foreign_database_and_change_nothing(marsad, tmp_path, args):
    path = foreign_db(tmp_path / "theirs.db")
    before = snapshot(path)
    proc = marsad("--db", path, *args, check=False)
    assert proc.returncode != 0 and "is not a marsad database (it has tables: articles, users)" in proc.stderr
    assert "Traceback" not in proc.stderr and snapshot(path) == before


def test_status_on_a_missing_database_does_not_create_it(marsad, tmp_path):
    proc = marsad("--db", tmp_path / "nowhere.db", "status", check=False)
    assert proc.returncode != 0 and "no database at" in proc.stderr
    assert not (tmp_path / "nowhere.db").exists()


# -- migrations ------------------------------------------------------------------------------------

def test_a_failing_migration_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "m.db"
    fill(open_db(path))
    before, header = snapshot(path)[0], dump(path)

    def half_done(db):
        db["extra"].create({"id": int, "note": str}, pk="id")    # sqlite-utils calls join the transaction...
        db["extra"].insert({"note": "written"})
        db["articles"].add_column("doomed", str)
        db.execute("UPDATE articles SET status = 'retired'")
        assert db.conn.in_transaction                            # ...through savepoints, nothing committed
        raise RuntimeError("injected failure")

    monkeypatch.setattr(storage.schema, "MIGRATIONS", [*MIGRATIONS, (LATEST + 1, "half done", half_done)])
    with pytest.raises(StorageError, match=rf"migration {LATEST + 1} \(half done\) failed and was rolled back: injected failure;"
                                           rf" the database is as it was \(schema v{LATEST}\)"):
        open_db(path)
    assert dump(path) == header and path.read_bytes() == before
    assert (tmp_path / f"m.db.bak-before-v{LATEST + 1}").exists()           # the copy was made before trying
    monkeypatch.setattr(storage.schema, "MIGRATIONS", MIGRATIONS)
    db = open_db(path)
    assert db["articles"].count == 3 and "doomed" not in db["articles"].columns_dict


def test_only_the_latest_backup_is_kept(tmp_path, monkeypatch):
    path = older_marsad_db(tmp_path / "b.db")
    open_db(path).conn.close()
    assert sorted(p.name for p in tmp_path.glob("*.bak-*")) == [f"b.db.bak-before-v{OLD + 1}"]
    monkeypatch.setattr(storage.schema, "MIGRATIONS",
                        [*MIGRATIONS, (LATEST + 1, "notes", lambda db: db["notes"].create({"id": int}, pk="id"))])
    open_db(path).conn.close()
    assert sorted(p.name for p in tmp_path.glob("*.bak-*")) == [f"b.db.bak-before-v{LATEST + 1}"]
    assert dump(tmp_path / f"b.db.bak-before-v{LATEST + 1}")[0] == [APPLICATION_ID, LATEST]


def test_connections_opening_a_new_database_at_once_migrate_it_once(tmp_path):
    import threading
    path, errors, dbs = tmp_path / "race.db", [], []

    def opener():
        try:
            dbs.append(open_db(path))
        except Exception as e:                  # noqa: BLE001 (reported below)
            errors.append(e)
    threads = [threading.Thread(target=opener) for _ in range(4)]
    [t.start() for t in threads], [t.join() for t in threads]
    assert errors == [] and len(dbs) == 4
    assert [r[0] for r in dbs[0].execute("SELECT version FROM _migrations ORDER BY version")] == list(range(1, LATEST + 1))


# -- refused writes and the state table ------------------------------------------------------------

def test_write_errors_are_classified(tmp_path):
    path = tmp_path / "l.db"
    fill(open_db(path))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    db = open_db(path, busy_timeout_ms=0)
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 0
    assert open_db(path).execute("PRAGMA busy_timeout").fetchone()[0] == 10000
    with pytest.raises(sqlite3.OperationalError) as locked:
        db.execute("UPDATE articles SET etag = 'x'")
    holder.execute("ROLLBACK")
    assert classify_write_error(locked.value) == "database is locked"
    with pytest.raises(sqlite3.IntegrityError) as dup:
        db.execute("INSERT INTO articles (id, url, first_seen_at, status) VALUES (1, 'x', 'y', 'active')")
    assert classify_write_error(dup.value) is None
    assert classify_write_error(RuntimeError("a bug")) is None
    try:
        try:
            raise sqlite3.OperationalError("database or disk is full")
        except sqlite3.OperationalError as e:
            raise StorageError("could not write") from e
    except StorageError as wrapped:
        assert classify_write_error(wrapped) == "disk full"
    assert classify_write_error(OSError(28, "No space left on device")) == "disk full"


def test_state_rows_show_in_status_and_join_an_open_transaction(tmp_path):
    db = open_db(tmp_path / "st.db")
    set_state(db, "writes", "paused: disk full")
    st = get_state(db)
    assert st["writes"]["value"] == "paused: disk full" and st["writes"]["since"].endswith("Z")
    assert status(db, "2030-01-01T00:00:00Z")["state"] == st
    db.conn.execute("BEGIN")
    set_state(db, "writes", "")                                   # cleared inside the caller's transaction...
    db.conn.execute("ROLLBACK")                                   # ...and rolled back with it
    assert get_state(db) == st
    set_state(db, "writes", None)
    assert get_state(db) == {} and status(db, "2030-01-01T00:00:00Z")["state"] == {}


@pytest.fixture
def small_fs(tmp_path):
    mnt = tmp_path / "small"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)], capture_output=True, text=True)
    if r.returncode:
        pytest.skip(f"a 2 MB tmpfs cannot be mounted here ({(r.stderr or r.stdout).strip()}); "
                    "test_disk_full_by_file_size_limit covers the full disk instead")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_disk_full_is_recognised_loses_nothing_and_heals(small_fs):
    path = small_fs / "full.db"
    db = open_db(path)
    page = os.urandom(40_000)                                     # incompressible: 40 KB a version
    ballast = small_fs / "ballast"
    free = os.statvfs(small_fs).f_bavail * os.statvfs(small_fs).f_frsize
    ballast.write_bytes(b"\0" * max(0, free - 400_000))
    written, error = 0, None
    for i in range(100):
        try:
            fill(db, 1, start=i, html=page)
            written += 1
        except sqlite3.Error as e:
            error = e
            break
    assert error is not None and written >= 2, (written, error)
    assert classify_write_error(error) == "disk full"
    check = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert check.execute("SELECT count(*) FROM versions").fetchone()[0] == written
    assert all(unpack(r[0]) == page for r in check.execute("SELECT raw_html FROM versions"))
    check.close()
    ballast.unlink()                                              # space freed: the same connection writes again
    fill(db, 1, start=written, html=page)
    assert db.execute("SELECT count(*) FROM versions").fetchone()[0] == written + 1
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.conn.close()


CHILD = textwrap.dedent("""
    import json, os, resource, signal, sqlite3, sys
    sys.path.insert(0, {root!r})
    from tests.test_db_safety import fill
    from storage import open_db
    from storage.db import classify_write_error
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)                 # a write past the limit fails with EFBIG
    db = open_db({path!r})
    resource.setrlimit(resource.RLIMIT_FSIZE, (600_000, resource.RLIM_INFINITY))
    page, written, reason = os.urandom(40_000), 0, None
    for i in range(100):
        try:
            fill(db, 1, start=i, html=page)
            written += 1
        except sqlite3.Error as e:
            reason = classify_write_error(e)
            break
    resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    fill(db, 1, start=written, html=page)
    print(json.dumps({{"written": written, "reason": reason,
                       "after": db.execute("SELECT count(*) FROM versions").fetchone()[0]}}))
""")


def test_disk_full_by_file_size_limit(tmp_path):
    path = tmp_path / "limited.db"
    proc = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), path=str(path))], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["written"] >= 2 and out["reason"] in ("disk full", "disk I/O error", "file too large"), out
    assert out["after"] == out["written"] + 1                     # nothing lost, and it writes again
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT count(*) FROM versions").fetchone()[0] == out["written"] + 1
