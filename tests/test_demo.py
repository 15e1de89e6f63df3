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
    v3 = out.split("check of site state v3")[1].split("check of site state v4")[0]
    assert "no change" in v3 and "CHANGED" not in v3
    v4 = out.split("check of site state v4")[1].split("check of site state v5")[0]
    assert "CHANGED → version 3" in v4 and "−1 sentence: «وزير الخارجية الروسي" in v4
    assert "SILENT EDIT: the update stamp did not move (13:58 GMT) and no correction notice was added" in v4
    back = out.split("check of site state v4")[2].split("check of site state gone")[0]
    assert "probable headline A/B test (2 variants): «روسيا “منزعجة”" in back
    gone = out.split("check of site state gone")[1]
    assert "TAKEN DOWN: now redirects to the home page" in gone
    assert "the last good version (5) stays one click away: /-/marsad/article/1?to=5" in gone
    assert f"marsad serve --db {db}" in out                # the command that opens it in Datasette
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM versions").fetchone()[0] == 5
    assert [r[0] for r in con.execute("SELECT outcome FROM checks ORDER BY id")] == [
        "new", "changed", "unchanged", "not_modified", "changed", "changed", "changed", "removed"]
    assert con.execute("SELECT count(*) FROM recent_changes WHERE silent = 1").fetchone()[0] == 3
    assert con.execute("SELECT takedown FROM recent_changes WHERE kind = 'removed'").fetchone()[0] == "redirect_home"
    eml = tmp_path / "demo-alert.eml"
    assert f"saved as {eml}" in out and eml.exists()
    import email
    from email import policy
    m = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert "killed 17 → 22" in m["Subject"] and m.get_body(("html",)) is not None
    silent = email.message_from_bytes((tmp_path / "demo-alert-2.eml").read_bytes(), policy=policy.default)
    assert '<span class="badge silent">silent edit</span>' in silent.get_body(("html",)).get_content()
    test = email.message_from_bytes((tmp_path / "demo-alert-4.eml").read_bytes(), policy=policy.default)
    assert "probable headline A/B test (2 variants)" in test["Subject"]
    down = email.message_from_bytes((tmp_path / "demo-alert-5.eml").read_bytes(), policy=policy.default)
    assert "taken down: now redirects to the home page" in down["Subject"]
    assert "the last good version (5) in marsad: " in down.get_body(("plain",)).get_content()
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
