"""Screenshots of the Datasette pages for the README, with headless Chromium against `marsad serve`.

    python docs/render_pages.py marsad-demo.db docs/images

Needs Debian's chromium and fonts-noto-core. Starts `marsad serve` on a free port, shoots, stops it.
"""
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]
PAGES = [("article_timeline.png", "/{db}/article_timeline", (1280, 1250)),
         ("diff.png", "/-/marsad/diff/2", (1100, 540)),
         ("versions_side_by_side.png", "/-/marsad/article/1", (1280, 1500))]


def main(db: str, out: str) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "scheduler.cli", "serve", "--db", db, "--port", str(port)])
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        with tempfile.TemporaryDirectory() as d:
            for name, path, (w, h) in PAGES:
                url = base + path.format(db=Path(db).stem)
                subprocess.run(["chromium", *FLAGS, f"--user-data-dir={d}/p", f"--window-size={w},{h}",
                                f"--screenshot={Path(out, name).resolve()}", url], check=True, capture_output=True,
                               timeout=60)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main(*sys.argv[1:3])
