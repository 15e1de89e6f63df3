"""The command-line contract of DESIGN.md: extract, compare, history, changes, and clear errors."""
from __future__ import annotations

import pytest

from .conftest import ARTICLE_URL


def test_extract_json_one_object_per_file(marsad, demo_pages):
    rows = marsad.json_lines("extract", demo_pages["v1"], demo_pages["v2"], "--url", ARTICLE_URL, "--json")
    assert len(rows) == 2
    v2 = rows[1]
    assert set(v2) >= {"file", "title", "text", "published_at", "updated_at", "byline", "lang", "figures"}
    assert v2["file"] == str(demo_pages["v2"])
    assert v2["title"].endswith("حصيلة الضربة ترتفع لـ22 قتيلاً")
    assert (v2["published_at"], v2["updated_at"]) == ("2021-02-26T13:55:00Z", "2021-02-26T13:58:00Z")
    assert "تحميل المزيد" not in v2["text"] and "الأكثر قراءة" not in v2["text"]
    assert {(f["measure"], f["value"]) for f in v2["figures"]} == {("killed", 22)}


def test_extract_without_url_still_reads_the_demo_page(marsad, demo_pages):
    row = marsad.json_lines("extract", demo_pages["v2"], "--json")[0]
    assert row["title"] and row["updated_at"] == "2021-02-26T13:58:00Z"


def test_compare_revision_json(marsad, demo_pages):
    out = marsad.json_lines("compare", demo_pages["v1"], demo_pages["v2"], "--url", ARTICLE_URL, "--json")[0]
    assert set(out) == {"old", "new", "changes", "alert"} and out["alert"] is True
    by = {}
    for c in out["changes"]:
        by.setdefault(c["kind"], c)
        assert set(c) == {"kind", "field", "old", "new", "severity", "detail"}
    upd = by["updated_time_changed"]
    assert (upd["old"], upd["new"]) == ("2021-02-26T13:55:00Z", "2021-02-26T13:58:00Z")
    fig = by["figure_changed"]
    assert (fig["field"], fig["old"], fig["new"], fig["detail"]["direction"]) == ("killed", 17, 22, "up")
    assert "title_changed" in by and "sentence_added" in by


def test_compare_sidebar_only_is_no_change(marsad, demo_pages):
    out = marsad.json_lines("compare", demo_pages["v2"], demo_pages["v3"], "--url", ARTICLE_URL, "--json")[0]
    assert out["changes"] == [] and out["alert"] is False


def test_compare_plain_words(marsad, demo_pages):
    out = marsad("compare", demo_pages["v1"], demo_pages["v2"], "--url", ARTICLE_URL).stdout
    assert "killed: 17 → 22 (up) · updated 13:55 → 13:58 GMT · headline changed · 1 paragraph added" in out
    ar = marsad("compare", demo_pages["v1"], demo_pages["v2"], "--lang", "ar").stdout
    assert "القتلى: من 17 إلى 22" in ar


@pytest.mark.parametrize("args, message", [
    (["extract", "/no/such/file.html"], "no such file"),
    (["extract", "{v1}", "--url", "not a url"], "not an http(s) URL"),
    (["extract", "{v1}", "--fetched-at", "yesterday"], "not an ISO 8601"),
    (["compare", "{v1}", "/no/such.html"], "no such file"),
    (["history", "--db", "{tmp}/missing.db", "https://x.example/a"], "no database"),
    (["changes", "--db", "{v1}"], "cannot open"),
    (["crawl", "--db", "{tmp}/x.db", "ftp://x"], "not an http(s) URL"),
    (["--config", "{tmp}/nope.toml", "crawl"], "does not exist"),
])
def test_user_mistakes_get_one_clear_line_and_no_traceback(marsad, demo_pages, tmp_path, args, message):
    args = [a.format(v1=demo_pages["v1"], tmp=tmp_path) for a in args]
    proc = marsad(*args, check=False)
    assert proc.returncode != 0
    assert message in proc.stderr
    lines = [l for l in proc.stderr.splitlines() if l.strip()]
    assert "Traceback" not in proc.stderr and len(lines) <= 3 and lines[-1].startswith("Error:")


def test_bad_configuration_names_the_key(marsad, tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text('[schedule]\nrevisit = [["2h", "soon"]]\n')
    proc = marsad("--config", cfg, "crawl", check=False)
    assert proc.returncode != 0 and "schedule.revisit[0][1]" in proc.stderr
    cfg.write_text('[[sites]]\nname = "X"\nprofile = "nowhere.example"\n')
    assert "sites[0].profile" in marsad("--config", cfg, "crawl", check=False).stderr


def test_every_command_and_option_is_documented_in_the_readme():
    from pathlib import Path
    import click
    from scheduler.cli import main
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    commands = []
    for name, cmd in main.commands.items():
        if isinstance(cmd, click.Group):
            commands += [(f"{name} {sub}", c) for sub, c in cmd.commands.items()]
        else:
            commands.append((name, cmd))
    for name, cmd in commands:
        assert f"marsad {name}" in readme, f"`marsad {name}` is not in the README"
        for p in cmd.params:
            if isinstance(p, click.Option) and not p.hidden:
                assert any(o in readme for o in p.opts), f"{name} {p.opts} is not in the README"
