"""Render the demo's alert e-mail (the .eml the SMTP sink received) to PNG with headless Chromium.

    python docs/render_alert.py marsad-demo-alert.eml docs/images/alert.png

Needs Debian's chromium and fonts-noto-core (Arabic). The headers are shown above the HTML part, escaped.
"""
import email
import html
import subprocess
import sys
import tempfile
from email import policy
from email.header import decode_header, make_header
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def main(eml: str, png: str, width: int = 820, height: int = 700) -> None:
    m = email.message_from_bytes(Path(eml).read_bytes(), policy=policy.default)
    body = m.get_body(("html",)).get_content()
    rows = "".join(f"<div><b>{k}:</b> {html.escape(str(make_header(decode_header(m[k]))))}</div>"
                   for k in ("From", "To", "Subject", "Message-ID", "In-Reply-To") if m[k])
    strip = ("<div dir='ltr' style='font:12px monospace;color:#444;background:#f4f4f4;border-bottom:1px solid #ccc;"
             f"padding:8px 16px;text-align:left'>{rows}</div>")
    page = body.replace("<body>", "<body style='margin:0'>" + strip, 1)
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "alert.html"
        src.write_text(page, encoding="utf-8")
        subprocess.run(["chromium", *FLAGS, f"--user-data-dir={d}/profile", f"--window-size={width},{height}",
                        f"--screenshot={Path(png).resolve()}", src.as_uri()], check=True, capture_output=True,
                       timeout=60)


if __name__ == "__main__":
    main(*sys.argv[1:3])
