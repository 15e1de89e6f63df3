"""`marsad demo` end to end, as a new user runs it."""
from __future__ import annotations

import sqlite3


def test_demo_reports_the_revision_and_nothing_for_the_sidebar(marsad, tmp_path):
    db = tmp_path / "demo.db"
    proc = marsad("demo", "--db", db, timeout=60)
    out = proc.stdout
    assert "updated 13:55 → 13:58 GMT" in out
    assert "killed: 17 → 22 (up)" in out
    assert "headline changed" in out and "1 paragraph added" in out
    v3 = out.split("check of site state v3")[1]
    assert "no change" in v3 and "CHANGED" not in v3
    assert f"marsad serve --db {db}" in out                # the command that opens it in Datasette
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM versions").fetchone()[0] == 2
    assert [r[0] for r in con.execute("SELECT outcome FROM checks ORDER BY id")] == [
        "new", "changed", "unchanged", "not_modified"]
    eml = tmp_path / "demo-alert.eml"
    assert f"saved as {eml}" in out and eml.exists()
    import email
    from email import policy
    m = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert "killed 17 → 22" in m["Subject"] and m.get_body(("html",)) is not None
    again = marsad("demo", "--db", db, timeout=60)          # rerunnable: starts from a fresh demo database
    assert "killed: 17 → 22 (up)" in again.stdout


def test_demo_refuses_to_wipe_a_real_database(marsad, tmp_path):
    db = tmp_path / "real.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE articles (url TEXT)")
    con.execute("INSERT INTO articles VALUES ('https://arabicpost.net/a/')")
    con.commit()
    proc = marsad("demo", "--db", db, check=False)
    assert proc.returncode != 0 and "not the demo" in proc.stderr
