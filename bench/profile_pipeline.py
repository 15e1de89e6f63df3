"""The CPU work of one check, alone: extract() over real corpus pages and compare() on revision pairs.

    python -m bench.profile_pipeline                      # timings: extract() per page, compare() 2,000 words
    python -m bench.profile_pipeline --profile /tmp/p.txt # py-spy on the steady-state workload, then its summary
    python -m bench.profile_pipeline --summary /tmp/p.txt # the flame graph's top lines of a saved profile
    python -m bench.profile_pipeline --snapshot /tmp/a.jsonl  # every result, to diff before/after a change
    py-spy record --format raw -o /tmp/p.txt -- .venv/bin/python -m bench.profile_pipeline --work  # cold process

No network, no database, no Scrapy: the same pure functions the daemon's workers run, so a profile of
this script shows where a check's CPU goes without the event loop's noise around it. Pages are read
into memory before anything is timed or profiled. Every cache of the detector is emptied before each
timed call (extract() of one page, compare() of the pair), so the figures measure the code, not what an
earlier page left in a cache.

A process's first extensive htmldate search makes dateparser compile the regexes of its ~200 locales
(about 10 CPU seconds, once per process). `--profile` runs a warm-up on other pages first and attaches
py-spy (`pip install py-spy`; it is not a dependency of marsad) only for the workload that follows, so
the profile shows the cost of a check in a running daemon; `--work` under py-spy shows a cold process.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter

from crawler.extract import ExtractionError, extract
from detector import compare
from detector.caches import clear_caches

from .corpora import loader
from .detection import long_pair


def corpus_pages(limit: int | None = None) -> list[tuple[str, bytes, str | None]]:
    """(path, raw bytes, url) of every distinct page of the corpora, in a fixed order; evenly spaced
    `limit` of them when given."""
    L = loader()
    urls: dict[str, str | None] = {}
    for corpus in L.CORPORA:
        for r in L.iter_records(corpus):
            urls.setdefault(r["html"], r["url"])
    for p in L.iter_revision_pairs():
        urls.setdefault(p["old_html"], p.get("url_old"))
        urls.setdefault(p["new_html"], p.get("url_new"))
    paths = sorted(urls)
    if limit and limit < len(paths):
        step = len(paths) / limit
        paths = [paths[int(i * step)] for i in range(limit)]
    return [(p, L.read_html(p), urls[p]) for p in paths]


def revision_pairs() -> list[tuple[bytes, str | None, bytes, str | None]]:
    L = loader()
    return [(L.read_html(p["old_html"]), p.get("url_old"), L.read_html(p["new_html"]), p.get("url_new"))
            for p in L.iter_revision_pairs()]


def _extract(body: bytes, url: str | None):
    try:
        return extract(body, url=url)
    except ExtractionError:
        return None


WARMUP_PAGES = 40


def workload(pages: int = 300):
    """The profiled work, loaded: `pages` corpus pages (revision pages aside) to extract, every revision
    pair to extract and compare, and the 2,000-word pair; plus WARMUP_PAGES other pages for a warm-up."""
    revision_files = {p for pair in loader().iter_revision_pairs() for p in (pair["old_html"], pair["new_html"])}
    docs = [d for d in corpus_pages() if d[0] not in revision_files]
    step = max(1, len(docs) // (pages + WARMUP_PAGES))
    chosen = docs[::step]
    return chosen[WARMUP_PAGES:WARMUP_PAGES + pages], chosen[:WARMUP_PAGES], revision_pairs(), long_pair()


def warm_up(pages) -> None:
    """What a long-running process has done once and for all: dateparser's locale regexes compiled (a
    string no locale reads walks all of them), the tables built; then the detector's caches emptied."""
    try:
        from htmldate.extractors import _external_date      # htmldate's own entry to dateparser
        _external_date("qqq zzz 1")
    except (ImportError, AttributeError):
        pass
    for _, body, url in pages:
        _extract(body, url)
    clear_caches()


def work(docs, pairs, long) -> None:
    """extract() on each page; each revision pair extracted and compared; the 2,000-word pair compared
    20 times, cold."""
    for _, body, url in docs:
        _extract(body, url)
    for old, url_old, new, url_new in pairs:
        a, b = _extract(old, url_old), _extract(new, url_new)
        if a and b:
            compare(a, b)
    a, b = long
    for _ in range(20):
        clear_caches()
        compare(a, b)


def profile(out: str, pages: int = 300, rate: int = 200, top: int = 15) -> str:
    """Warm up, then record the workload with py-spy attached to this process; returns the summary."""
    docs, warm, pairs, long = workload(pages)
    warm_up(warm)
    exe = shutil.which("py-spy") or shutil.which("py-spy", path=os.path.dirname(sys.executable))
    if not exe:
        raise SystemExit("py-spy not found: pip install py-spy (a profiler; not a dependency of marsad)")
    spy = subprocess.Popen([exe, "record", "--pid", str(os.getpid()), "--format", "raw", "-r", str(rate),
                            "-o", out, "--nonblocking"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2)                                   # let it attach before the work starts
    work(docs, pairs, long)
    spy.send_signal(signal.SIGINT)                  # py-spy writes its file on Ctrl-C
    spy.wait(timeout=120)
    return summarize(out, top)


def _clock():
    return time.perf_counter(), time.process_time()


def _since(start) -> tuple[float, float]:
    wall, cpu = _clock()
    return wall - start[0], cpu - start[1]


def _median_ms(samples, i: int) -> float:
    return statistics.median(s[i] for s in samples) * 1000


def timing(pages: int | None = None, compare_runs: int = 30) -> dict:
    """Median (and p95) ms of extract() per corpus page, and median ms of a cold compare() on the
    2,000-word pair (plus a warm one, every cache full, for reference). Each is measured twice: wall
    time, and the CPU time of this process (the steadier figure on a shared machine)."""
    docs = corpus_pages(pages)
    per_page = []
    for _, body, url in docs:
        clear_caches()
        start = _clock()
        _extract(body, url)
        per_page.append(_since(start))
    a, b = long_pair()
    cold, warm = [], []
    for _ in range(compare_runs):
        clear_caches()
        start = _clock()
        compare(a, b)
        cold.append(_since(start))
    for _ in range(compare_runs):
        start = _clock()
        compare(a, b)
        warm.append(_since(start))
    cpu_sorted = sorted(s[1] for s in per_page)
    return {"pages": len(docs), "words": len(a.text.split()),
            "extract_ms": _median_ms(per_page, 0), "extract_cpu_ms": _median_ms(per_page, 1),
            "extract_cpu_p95_ms": cpu_sorted[int(len(cpu_sorted) * 0.95)] * 1000,
            "extract_cpu_total_s": sum(cpu_sorted),
            "compare_ms": _median_ms(cold, 0), "compare_cpu_ms": _median_ms(cold, 1),
            "compare_warm_ms": _median_ms(warm, 0), "compare_warm_cpu_ms": _median_ms(warm, 1)}


def snapshot(out: str, fetched_at: str = "2024-03-05T12:00:00Z") -> int:
    """Every result extraction and detection give on the corpora, one JSON line each, in a fixed order:
    extract() of every page (without and with a fetch time), extract_stamps(), compare() both ways on
    every revision pair and on the labelled pairs, the 2,000-word pair, and the figures and sentence key
    of every distinct sentence of every text node of every page. A speed-up must leave it byte-identical
    (`cmp` the files written before and after). Returns the number of lines."""
    import json

    from crawler.extract.article import extract_stamps, parse_html
    from crawler.extract.encoding import decode
    from detector.align import sentence_key
    from detector.figures import figures_in_sentence
    from detector.sentences import split_sentences

    from .detection import HELDOUT, PAIRS, load_pairs

    lines = 0
    with open(out, "w", encoding="utf-8") as f:
        def write(**kw):
            nonlocal lines
            f.write(json.dumps(kw, ensure_ascii=False, sort_keys=True, default=repr) + "\n")
            lines += 1

        def article(body, url, at=None):
            try:
                return extract(body, url=url, fetched_at=at).to_dict()
            except ExtractionError as e:
                return f"error: {e}"

        def changes(a, b):
            r = compare(a, b)
            return {"alert": r.alert, "changes": [c.__dict__ for c in r.changes]}

        texts = []
        for path, body, url in corpus_pages():
            write(kind="extract", page=path, a=article(body, url), fixed=article(body, url, fetched_at))
            try:
                stamps = {k: v and tuple(v) for k, v in extract_stamps(body, url=url, fetched_at=fetched_at).items()}
                texts += [str(t) for t in parse_html(decode(body)[0]).xpath("//body//text()") if str(t).strip()]
            except Exception as e:                      # a page that is not HTML: its error is the result
                stamps = repr(e)
            write(kind="stamps", page=path, s=stamps)
        for path in (PAIRS, HELDOUT):
            for p in load_pairs(path):
                write(kind="pair", file=path.name, id=p["id"], r=changes(p["a"], p["b"]))
        for i, (old, url_old, new, url_new) in enumerate(revision_pairs()):
            a, b = _extract(old, url_old), _extract(new, url_new)
            write(kind="revision", n=i, r=changes(a, b) if a and b else None, back=changes(b, a) if a and b else None)
        a, b = long_pair()
        write(kind="long", r=changes(a, b), back=changes(b, a))
        seen: set[str] = set()
        for t in texts:
            for _, s in split_sentences(t):
                if s not in seen:
                    seen.add(s)
                    write(kind="sentence", s=s, key=sentence_key(s), figures=[x.__dict__ for x in figures_in_sentence(s)])
    return lines


HARNESS = ("(bench/profile_pipeline.py)", "(<frozen runpy>)")


def summarize(raw_path: str, top: int = 15) -> str:
    """py-spy's --format raw (collapsed stacks: "frame;frame;... count") as two tables: the share of
    samples in which a function is on the stack (inclusive), and the share it is running itself (self)."""
    total = 0
    inclusive: Counter = Counter()
    own: Counter = Counter()
    for line in open(raw_path, encoding="utf-8"):
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [_short(f) for f in stack.split(";")]
        own[frames[-1]] += n
        for f in set(frames):
            if not f.endswith(HARNESS):         # this script and runpy: on every stack, they say nothing
                inclusive[f] += n
    rows = ["| function (inclusive) | share of samples |", "|---|---|"]
    rows += [f"| `{f}` | {n / total:.1%} |" for f, n in inclusive.most_common(top)]
    rows += ["", "| function (self) | share of samples |", "|---|---|"]
    rows += [f"| `{f}` | {n / total:.1%} |" for f, n in own.most_common(top)]
    return "\n".join(rows + ["", f"{total} samples"])


def _short(frame: str) -> str:
    """"compare (detector/compare.py:210)" -> "compare (detector/compare.py)": lines vary, functions not."""
    name, _, where = frame.partition(" (")
    path = where.split(":")[0].rstrip(")")
    for marker in ("site-packages/", "/work/main/", "lib/python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{name} ({path})" if path else name


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", action="store_true", help="run the workload only (for a profiler)")
    ap.add_argument("--profile", metavar="RAW", help="warm up, record the workload with py-spy into RAW, summarize")
    ap.add_argument("--pages", type=int, default=None, help="corpus pages (default: all for timings, 300 for --work)")
    ap.add_argument("--summary", metavar="RAW", help="summarize a py-spy --format raw file")
    ap.add_argument("--snapshot", metavar="OUT", help="write every result as JSON lines into OUT (diff before/after)")
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args(argv)
    if args.summary:
        print(summarize(args.summary, args.top))
    elif args.snapshot:
        print(f"{snapshot(args.snapshot)} results written to {args.snapshot}")
    elif args.profile:
        print(profile(args.profile, args.pages or 300, top=args.top))
    elif args.work:
        docs, warm, pairs, long = workload(args.pages or 300)
        work(warm + docs, pairs, long)
    else:
        t = timing(args.pages)
        print("| measure | wall | CPU |\n|---|---|---|")
        print(f"| extract() per page, median of {t['pages']} corpus pages | {t['extract_ms']:.1f} ms | "
              f"{t['extract_cpu_ms']:.1f} ms (p95 {t['extract_cpu_p95_ms']:.1f} ms, total {t['extract_cpu_total_s']:.1f} s) |")
        print(f"| compare() on a {t['words']}-word pair, cold, median | {t['compare_ms']:.1f} ms | {t['compare_cpu_ms']:.1f} ms |")
        print(f"| compare() on the same pair, warm caches, median | {t['compare_warm_ms']:.1f} ms | "
              f"{t['compare_warm_cpu_ms']:.1f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
