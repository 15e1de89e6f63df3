"""A newsroom's morning in a real marsad database: three sites (Arabic and English), stories revised
over the last hour (a toll rising 12 → 19 → 23, a headline rewritten, a sentence edited, a correction,
an update stamp only), two take-downs, and one story that has not changed. Every version goes through
record_check(), so the changes, summaries and search index are the detector's own, not written by hand.

Used by the plugin's tests and by docs/render_pages.py (the README's screenshots). The stories are
invented; the times are relative to `now`, so "3 min ago" reads as it would on a live desk.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from detector import Article, find_figures
from storage import CheckResult, open_db, record_check

AR_SITE, EN_SITE, WIRE_SITE = "صحيفة الساحل", "Coastal Times", "Northern Wire"

TOLL = [
    ("مقتل 12 شخصاً في قصف على مخازن الحبوب شمال المدينة",
     "قال الدفاع المدني إن 12 شخصاً قتلوا في قصف استهدف مخازن الحبوب شمال المدينة فجر اليوم.\n\n"
     "وأضاف المتحدث باسم الدفاع المدني أن فرق الإنقاذ ما زالت تبحث عن ناجين تحت الأنقاض.\n\n"
     "ولم تعلن أي جهة مسؤوليتها عن القصف حتى الآن."),
    ("ارتفاع حصيلة قصف مخازن الحبوب إلى 19 قتيلاً",
     "قال الدفاع المدني إن 19 شخصاً قتلوا في قصف استهدف مخازن الحبوب شمال المدينة فجر اليوم.\n\n"
     "وأضاف المتحدث باسم الدفاع المدني أن فرق الإنقاذ ما زالت تبحث عن ناجين تحت الأنقاض.\n\n"
     "ولم تعلن أي جهة مسؤوليتها عن القصف حتى الآن."),
    ("ارتفاع حصيلة قصف مخازن الحبوب إلى 23 قتيلاً و41 جريحاً",
     "قال الدفاع المدني إن 23 شخصاً قتلوا في قصف استهدف مخازن الحبوب شمال المدينة فجر اليوم.\n\n"
     "وأضاف المتحدث باسم الدفاع المدني أن فرق الإنقاذ ما زالت تبحث عن ناجين تحت الأنقاض.\n\n"
     "وقالت وزارة الصحة إن 41 شخصاً أصيبوا بجروح نقلوا إلى مستشفى المدينة.\n\n"
     "ولم تعلن أي جهة مسؤوليتها عن القصف حتى الآن."),
]

STORIES = [
    # (site, url, lang, [(minutes ago, title, text, updated minutes ago or None)])
    (AR_SITE, "https://alsahil.example/news/2026/12/02/grain-stores-strike/", "ar",
     [(52, *TOLL[0], None), (31, *TOLL[1], 33), (4, *TOLL[2], 6)]),
    (EN_SITE, "https://coastal.example/world/port-warehouse-fire", "en",
     [(44, "Fire at port warehouse injures 4 workers",
       "A fire broke out at a warehouse in the northern port on Wednesday morning, injuring 4 workers, "
       "the port authority said.\n\nFirefighters brought the blaze under control after two hours.\n\n"
       "The cause of the fire is not yet known.", None),
      (12, "Port warehouse fire: 7 workers injured, two critically",
       "A fire broke out at a warehouse in the northern port on Wednesday morning, injuring 7 workers, "
       "the port authority said.\n\nFirefighters brought the blaze under control after two hours.\n\n"
       "The cause of the fire is not yet known.", 13)]),
    (WIRE_SITE, "https://wire.example/2026/12/02/minister-resigns", "en",
     [(58, "Transport minister resigns after rail audit",
       "The transport minister resigned on Wednesday, a day after an audit criticised delays on the "
       "northern rail line.\n\nHe said in a statement that he took full responsibility.", None),
      (22, "Transport minister resigns after rail audit",
       "The transport minister resigned on Wednesday, a day after an audit criticised delays on the "
       "northern rail line.\n\nHe said in a statement that he took full responsibility.\n\n"
       "Correction: An earlier version of this story said the audit was published on Monday. It was "
       "published on Tuesday.", 23)]),
    (EN_SITE, "https://coastal.example/business/harbour-tolls", "en",
     [(50, "Harbour fees to rise in January",
       "Fees for cargo ships using the harbour will rise by 5 percent in January, the port authority said.",
       50),
      (18, "Harbour fees to rise in January",
       "Fees for cargo ships using the harbour will rise by 5 percent in January, the port authority said.",
       19)]),
    (AR_SITE, "https://alsahil.example/news/2026/12/02/talks-resume/", "ar",
     [(47, "استئناف المفاوضات بين الطرفين في العاصمة",
       "استؤنفت المفاوضات بين الطرفين صباح اليوم في العاصمة بحضور وسطاء دوليين.\n\n"
       "وقال مصدر مطلع إن الجولة الحالية ستستمر ثلاثة أيام.", None),
      (9, "استئناف المفاوضات بين الطرفين في العاصمة",
       "استؤنفت المفاوضات بين الطرفين صباح اليوم في العاصمة بحضور وسطاء دوليين.\n\n"
       "وقال مصدر مطلع إن الجولة الحالية ستستمر ثلاثة أيام.\n\n"
       "وأكد الوسيط الدولي في مؤتمر صحفي أن الأجواء إيجابية وأن الطرفين اتفقا على جدول الأعمال.", None)]),
    (WIRE_SITE, "https://wire.example/2026/12/02/dam-warning", "en",
     [(55, "Officials warn of dam overflow after heavy rain",
       "Officials warned on Wednesday that the river dam could overflow after two days of heavy rain.\n\n"
       "Residents of three villages downstream were told to prepare to leave.", None)]),
    (AR_SITE, "https://alsahil.example/news/2026/12/02/market-prices/", "ar",
     [(40, "أسعار الخضار ترتفع في الأسواق المحلية",
       "ارتفعت أسعار الخضار في الأسواق المحلية هذا الأسبوع بنسبة كبيرة بحسب تجار.", None)]),
]

# (url, minutes ago, HTTP status): stories the sites took down.
TAKEDOWNS = [("https://wire.example/2026/12/02/dam-warning", 15, 404),
             ("https://alsahil.example/news/2026/12/02/market-prices/", 26, 410)]


def _iso(now: datetime, minutes: float) -> str:
    return (now - timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def build(path, now: datetime | None = None) -> dict:
    """Write the newsroom into a new marsad database at `path`; returns {"urls": [...], "now": iso}."""
    now = now or datetime.now(timezone.utc).replace(microsecond=0)
    db = open_db(path)
    checks = []
    for site, url, lang, versions in STORIES:
        for minutes, title, text, updated in versions:
            a = Article(url=url, title=title, text=text, lang=lang, published_at=_iso(now, versions[0][0] + 2),
                        updated_at=_iso(now, updated) if updated is not None else None)
            a = replace(a, figures=tuple(find_figures(a.title, a.text)))
            checks.append((minutes, CheckResult(url=url, fetched_at=_iso(now, minutes), status=200, article=a,
                                                site=site)))
    for url, minutes, status in TAKEDOWNS:
        checks.append((minutes, CheckResult(url=url, fetched_at=_iso(now, minutes), status=status)))
    for _, check in sorted(checks, key=lambda c: -c[0]):
        record_check(db, check)
    db.conn.close()
    return {"urls": [s[1] for s in STORIES], "now": now.strftime("%Y-%m-%dT%H:%M:%SZ")}


class Served:
    """A real `marsad serve` (or, with `datasette_args`, Datasette's own `datasette serve`, e.g. with a
    base_url) on 127.0.0.1 over the given database files; stopped on exit. `get(path)` fetches over HTTP
    and returns (status, headers, text) without following redirects."""

    def __init__(self, db, *, datasette_args: list[str] | None = None, extra_dbs=()):
        import sys
        from scheduler.demo import free_port
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        if datasette_args is None:
            self.cmd = [sys.executable, "-m", "scheduler.cli", "serve", "--db", str(db), "--port", str(self.port)]
        else:
            self.cmd = [sys.executable, "-m", "datasette", "serve", str(db), *map(str, extra_dbs), "--host",
                        "127.0.0.1", "--port", str(self.port), *datasette_args]

    def __enter__(self):
        import subprocess
        import time
        from pathlib import Path
        self.proc = subprocess.Popen(self.cmd, cwd=Path(__file__).resolve().parent.parent,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        end = time.monotonic() + 60
        while True:
            try:
                self.get("/-/versions.json")
                return self
            except OSError:
                if time.monotonic() > end or self.proc.poll() is not None:
                    self.__exit__()
                    raise RuntimeError(f"{' '.join(self.cmd)} did not start: {self.proc.stderr.read()}")
                time.sleep(0.2)

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.proc.stderr.close()

    def get(self, path: str):
        import urllib.error
        import urllib.request

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *a, **kw):
                return None
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(self.base + path, timeout=30) as r:
                return r.status, dict(r.headers), r.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read().decode("utf-8", "replace")
