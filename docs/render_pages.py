"""Screenshots of marsad's pages for the README, with headless Chromium against a real `marsad serve`.

    python docs/render_pages.py [DB] [OUT_DIR]

Without DB, a newsroom's last hour is written to a temporary database first (tests/newsroom.py:
Arabic and English sites, a toll rising 12 → 19 → 23, a headline rewritten, a correction, two
take-downs), so the pages show what an editor's desk would see. OUT_DIR defaults to docs/images.
Needs Debian's chromium and fonts-noto-core (`apt-get install chromium fonts-noto-core`). Starts
`marsad serve` on a free port, shoots each page at 1280 px wide, stops it.
"""
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
         "--force-device-scale-factor=1"]
# (file, path, window size, article to show: (url fragment, from, to) or None)
PAGES = [("front_page.png", "/-/marsad/", (1280, 1360), None),
         ("article_page.png", "/-/marsad/article/{id}?from=1&to=3", (1280, 1240), "grain-stores-strike"),
         ("article_page_en.png", "/-/marsad/article/{id}", (1280, 1140), "port-warehouse-fire"),
         ("article_timeline.png", "/{db}/article_timeline", (1280, 900), None)]


def _article_id(db: Path, fragment: str) -> int | None:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT id FROM articles WHERE url LIKE ? ORDER BY id LIMIT 1", [f"%{fragment}%"]).fetchone()
        return row[0] if row else None
    finally:
        con.close()


def shoot(db: Path, out: Path) -> list[Path]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "scheduler.cli", "serve", "--db", str(db), "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    made = []
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        with tempfile.TemporaryDirectory() as d:
            for name, path, (w, h), article in PAGES:
                aid = _article_id(db, article) if article else None
                if article and aid is None:
                    continue                                   # a database without that story
                url = base + path.format(db=db.stem, id=aid)
                target = (out / name).resolve()
                subprocess.run(["chromium", *FLAGS, f"--user-data-dir={d}/p", f"--window-size={w},{h}",
                                f"--screenshot={target}", url], check=True, capture_output=True, timeout=90)
                made.append(target)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return made


def main(db: str | None = None, out: str | None = None) -> None:
    out_dir = Path(out or ROOT / "docs" / "images")
    out_dir.mkdir(parents=True, exist_ok=True)
    if db:
        made = shoot(Path(db), out_dir)
    else:
        sys.path.insert(0, str(ROOT))
        from tests.newsroom import build
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "newsroom.db"
            build(path)
            made = shoot(path, out_dir)
    for m in made:
        print(m)


if __name__ == "__main__":
    main(*sys.argv[1:3])
