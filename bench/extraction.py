"""Extraction quality and speed on the real pages of ../shared/corpora, against the field's standards
measured in the same run: plain trafilatura for the text, htmldate for the dates.

    marsad bench extraction        (or: python -m bench.extraction)

Measures: body token F1 on aeb; published-day accuracy on htmldate_mediacloud and the labelled Arabic
pages; the published/updated assertions of htmldate_realworld; title accuracy where titles are labelled;
extraction time per page (median, p95).
"""
from __future__ import annotations

import re
import statistics
import sys
import time
import warnings
from collections import Counter
from datetime import datetime

import htmldate
import trafilatura

from crawler.extract import extract
from crawler.extract.article import extract_stamps
from crawler.extract.encoding import decode
from detector.normalize import loose

from .corpora import loader

_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str | None) -> Counter:
    return Counter(_TOKEN.findall((text or "").lower()))


def f1(got: str | None, want: str) -> float:
    g, w = tokens(got), tokens(want)
    common = sum((g & w).values())
    if not common:
        return 0.0
    p, r = common / sum(g.values()), common / sum(w.values())
    return 2 * p * r / (p + r)


def _htmldate(html: str, **kw):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return htmldate.find_date(html, **kw)
    except Exception:
        return None


def _day(stamp) -> str | None:
    return stamp.local_day if stamp else None


def _fmt(day: str | None, fmt: str | None) -> str | None:
    if day is None or not fmt:
        return day
    return datetime.strptime(day, "%Y-%m-%d").strftime(fmt)


def run(corpora=None) -> dict:
    L = loader(corpora)
    res: dict = {}
    times = []

    # Body text, aeb
    ours, base = [], []
    for r in L.iter_records("aeb"):
        body = L.read_html(r["html"])
        t = time.perf_counter()
        a = extract(body, url=r["url"])
        times.append(time.perf_counter() - t)
        ours.append(f1(a.text, r["text"]))
        base.append(f1(trafilatura.extract(decode(body)[0], url=r["url"]), r["text"]))
    res["aeb_f1"] = (statistics.mean(ours), statistics.mean(base), len(ours))

    # Published day: mediacloud and the Arabic pages
    for corpus in ("htmldate_mediacloud", "arabic"):
        n = ok = ok_base = 0
        misses = []
        for r in L.iter_records(corpus):
            if not r["published"]:
                continue
            body = L.read_html(r["html"])
            t = time.perf_counter()
            st = extract_stamps(body, url=r["url"])
            times.append(time.perf_counter() - t)
            n += 1
            got = _day(st["published"])
            ok += got == r["published"]
            if got != r["published"]:
                misses.append((r["id"], r["published"], got))
            ok_base += _htmldate(decode(body)[0], original_date=True, url=r["url"]) == r["published"]
        res[corpus] = (ok, ok_base, n, misses)

    # htmldate's real-world assertions: original_date=True asks for the published day, otherwise the latest.
    n = ok = ok_base = 0
    for r in L.iter_records("htmldate_realworld"):
        kw, expected = r["extra"]["kwargs"], r["extra"]["expected"]
        body = L.read_html(r["html"])
        st = extract_stamps(body, url=r["url"])
        want_original = kw.get("original_date", False)
        got = _day(st["published"]) if want_original else _day(st["updated"] or st["published"])
        got = _fmt(got, kw.get("outputformat"))
        n += 1
        ok += got == expected
        ok_base += _htmldate(decode(body)[0], url=r["url"], **kw) == expected
    res["realworld"] = (ok, ok_base, n)

    # Titles where labelled
    n = ok = 0
    for r in L.iter_records("arabic"):
        if r["title"]:
            n += 1
            ok += loose(extract(L.read_html(r["html"]), url=r["url"]).title or "") == loose(r["title"])
    res["titles"] = (ok, n)
    times.sort()
    res["ms"] = (statistics.median(times) * 1000, times[int(len(times) * 0.95)] * 1000, len(times))
    return res


def report(res: dict) -> str:
    (f, fb, n), (ok_m, base_m, n_m, _), (ok_a, base_a, n_a, _) = res["aeb_f1"], res["htmldate_mediacloud"], res["arabic"]
    ok_r, base_r, n_r = res["realworld"]
    ok_t, n_t = res["titles"]
    med, p95, pages = res["ms"]
    return "\n".join([
        "| measure | marsad | baseline (same run) |",
        "|---|---|---|",
        f"| body token F1, aeb ({n} pages) | {f:.3f} | trafilatura {fb:.3f} |",
        f"| published day, htmldate_mediacloud ({n_m} labelled) | {ok_m / n_m:.3f} ({ok_m}) | htmldate {base_m / n_m:.3f} ({base_m}) |",
        f"| published day, Arabic/Persian pages ({n_a} labelled) | {ok_a}/{n_a} | htmldate {base_a}/{n_a} |",
        f"| htmldate_realworld assertions ({n_r}) | {ok_r}/{n_r} | htmldate {base_r}/{n_r} (its own test expectations) |",
        f"| titles, labelled Arabic pages | {ok_t}/{n_t} | — |",
        f"| extraction time per page ({pages} runs) | median {med:.1f} ms, p95 {p95:.1f} ms | — |",
    ])


def main(argv=None) -> int:
    res = run()
    print(report(res))
    if "-v" in (argv or sys.argv[1:]):
        for corpus in ("htmldate_mediacloud", "arabic"):
            for miss in res[corpus][3]:
                print("miss", corpus, *miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
