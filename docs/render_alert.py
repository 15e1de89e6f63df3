"""Render alert e-mails (as an SMTP server received them) to PNG with headless Chromium.

    python docs/render_alert.py marsad-demo-alert.eml docs/images/alert.png    # one .eml
    python docs/render_alert.py --samples docs/images                          # mail_digest.png, mail_arabic.png

`--samples` makes the mails the way marsad does: revisions recorded in a scratch SQLite file, the outbox
sent by `send_due` to a local SMTP server (aiosmtpd on 127.0.0.1), each received message rendered.
Needs Debian's chromium and fonts-noto-core (Arabic). The decoded headers are shown above the HTML part,
escaped, as a mail client shows them.
"""
import email
import html
import subprocess
import sys
import tempfile
from email import policy
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]
HEADERS = ("From", "To", "Subject", "Date", "List-Id", "Message-ID", "In-Reply-To")


def render(raw: bytes, png: str, width: int = 860, height: int = 900) -> None:
    m = email.message_from_bytes(raw, policy=policy.default)
    body = m.get_body(("html",)).get_content()
    rows = "".join(f"<div><b>{k}:</b> {html.escape(str(m[k]))}</div>" for k in HEADERS if m[k])
    strip = ("<div dir='ltr' style='font:13px \"Noto Sans\",\"Noto Naskh Arabic\",sans-serif;color:#333;"
             "background:#f4f4f4;border-bottom:1px solid #ccc;padding:8px 16px;text-align:left'>"
             f"{rows}</div>")
    page = body.replace("<body>", "<body style='margin:0'>" + strip, 1)
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "alert.html"
        src.write_text(page, encoding="utf-8")
        subprocess.run(["chromium", *FLAGS, f"--user-data-dir={d}/profile", f"--window-size={width},{height}",
                        f"--screenshot={Path(png).resolve()}", src.as_uri()], check=True, capture_output=True,
                       timeout=90)


def main(eml: str, png: str) -> None:
    render(Path(eml).read_bytes(), png, height=700)


AR = "قال المرصد السوري إن {n} شخصاً قُتلوا في الغارات على مخازن الأسلحة في ريف دمشق فجر الثلاثاء.\n\n" \
     "وتواصل فرق الإنقاذ البحث تحت الأنقاض{more}."
EN = "At least {n} people were killed in the strike on the fuel depot, officials said.\n\nRescue teams searched the rubble{more}."


def samples(out_dir: str) -> None:
    from detector import Article, find_figures
    from scheduler.config import validate
    from scheduler.demo import MailSink
    from scheduler.jobs import make_store
    from scheduler.notify import send_due
    from storage import CheckResult, open_db, record_check

    def revise(db, config, url, site, title, body, n, at, more=""):
        text = body.format(n=n, more=more)
        art = Article(url=url, title=title, text=text, figures=find_figures(title, text),
                      lang="ar" if body is AR else "en")
        store = make_store(db, config)
        record_check(db, CheckResult(url=url, fetched_at=at, status=200, article=art, site=site),
                     policy=store.policy, rules=store.rules)

    out = Path(out_dir)
    with tempfile.TemporaryDirectory() as d, MailSink() as sink:
        base = {"smtp": {"host": "127.0.0.1", "port": sink.port, "from": "marsad <alerts@newsroom.example>"},
                "serve": {"public_url": "https://marsad.newsroom.example"}}
        # An Arabic desk's half-hour digest: one story revised three times, another once.
        digest = validate({**base, "alerts": [{"name": "Arabic desk", "to": ["arabic-desk@newsroom.example"],
                                               "digest": "30m", "timezone": "Asia/Riyadh"}]}, env={})
        db = open_db(Path(d) / "digest.db")
        gaza, depot = "https://arabic.example/news/strikes", "https://wire.example/world/depot"
        revise(db, digest, gaza, "الموقع العربي", "غارات على مخازن أسلحة", AR, 12, "2026-12-02T07:01:00Z")
        revise(db, digest, depot, "Wire", "Strike on fuel depot", EN, 4, "2026-12-02T07:02:00Z")
        revise(db, digest, gaza, "الموقع العربي", "غارات على مخازن أسلحة", AR, 19, "2026-12-02T07:05:00Z")
        revise(db, digest, depot, "Wire", "Strike on fuel depot kills 6", EN, 6, "2026-12-02T07:12:00Z")
        revise(db, digest, gaza, "الموقع العربي", "غارات على مخازن أسلحة في ريف دمشق", AR, 23, "2026-12-02T07:20:00Z",
               more="، بحسب الدفاع المدني")
        send_due(db, digest, now="2026-12-02T07:30:00Z")
        db.conn.close()
        # One Arabic story's single alert, matched by a keyword in its headline.
        single = validate({**base, "alerts": [{"name": "مكتب سوريا", "to": ["syria-desk@newsroom.example"],
                                               "keywords": ["دمشق"], "in": "headline"}]}, env={})
        db = open_db(Path(d) / "single.db")
        revise(db, single, gaza, "الموقع العربي", "غارات على مخازن أسلحة في ريف دمشق", AR, 12, "2026-12-02T07:01:00Z")
        revise(db, single, gaza, "الموقع العربي", "غارات إسرائيلية على مخازن أسلحة في ريف دمشق", AR, 19,
               "2026-12-02T07:05:00Z")
        send_due(db, single, now="2026-12-02T07:06:00Z")
        db.conn.close()
        digest_raw, single_raw = sink.received
    render(digest_raw, str(out / "mail_digest.png"), height=1260)
    render(single_raw, str(out / "mail_arabic.png"), height=700)
    print(f"wrote {out / 'mail_digest.png'} and {out / 'mail_arabic.png'}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--samples"]:
        samples(sys.argv[2] if len(sys.argv) > 2 else "docs/images")
    else:
        main(*sys.argv[1:3])
