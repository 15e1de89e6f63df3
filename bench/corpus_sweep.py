"""Robustness and speed of extraction on every real page of ../shared/corpora, and false alerts on the
96 revision pairs whose article body did not change.

Baseline measured in the same run: plain trafilatura.extract() on the same bytes (the work marsad's
generic path builds on), so machine noise cancels out in the ratio.

    python -m bench.corpus_sweep [--corpora PATH]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import trafilatura

from crawler.extract import ExtractionError, extract
from crawler.extract.encoding import decode
from detector import compare

DEFAULT_CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def _pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]


def run(corpora: Path) -> dict:
    sys.path.insert(0, str(corpora))
    from load import iter_records, iter_revision_pairs, read_html   # the corpora's own loader

    pages = {}
    for corpus in ("aeb", "htmldate_mediacloud", "htmldate_realworld", "arabic"):
        for r in iter_records(corpus):
            pages.setdefault(r["html"], r["url"])
    ours, base, crashes, refused = [], [], [], 0
    for rel, url in pages.items():
        body = read_html(rel)
        t = time.perf_counter()
        try:
            extract(body, url=url)
        except ExtractionError:
            refused += 1
        except Exception as e:                       # a crash is a bug: counted and named, never hidden
            crashes.append(f"{rel}: {e!r}"[:200])
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        trafilatura.extract(decode(body)[0], url=url)
        base.append(time.perf_counter() - t)

    negatives = alerts = 0
    for p in iter_revision_pairs():
        if p["body_change_estimate"] != "none":
            continue
        negatives += 1
        old = extract(read_html(p["old_html"]), url=p.get("url_old"))
        new = extract(read_html(p["new_html"]), url=p.get("url_new"))
        alerts += compare(old, new).alert
    return {"pages": len(pages), "crashes": crashes, "refused": refused,
            "ms_median": statistics.median(ours) * 1000, "ms_p95": _pct(ours, 0.95) * 1000,
            "base_ms_median": statistics.median(base) * 1000, "base_ms_p95": _pct(base, 0.95) * 1000,
            "negative_pairs": negatives, "negative_alerts": alerts}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    args = ap.parse_args(argv)
    if not (args.corpora / "load.py").exists():
        print(f"no corpora at {args.corpora}", file=sys.stderr)
        return 2
    r = run(args.corpora)
    print("| pages | crashes | refused (clear error) | marsad extract ms median / p95 | plain trafilatura ms median / p95 |"
          " unchanged-body pairs | alerts on them |")
    print("|---|---|---|---|---|---|---|")
    print(f"| {r['pages']} | {len(r['crashes'])} | {r['refused']} | {r['ms_median']:.1f} / {r['ms_p95']:.1f} |"
          f" {r['base_ms_median']:.1f} / {r['base_ms_p95']:.1f} | {r['negative_pairs']} | {r['negative_alerts']} |")
    for c in r["crashes"]:
        print("crash:", c)
    return 1 if r["crashes"] else 0


if __name__ == "__main__":
    sys.exit(main())
