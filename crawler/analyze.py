"""The CPU step of a check, as one function of its inputs: validity gate, extraction, hash, comparison.

It runs in a pool of worker processes (the event loop that drives the downloads never parses HTML), or
in one thread of the crawling process when the pool is off (`[pipeline] workers = 0`, tests, small
runs). Inputs and result are plain picklable data: the body, the response's status and headers, and the
previous version's fields as the scheduler read them, so a worker needs no database (and later, no
machine of its own: docs/architecture.md, "Past one machine").

The cheap paths come first: a body byte-identical to the last fetch never gets here (the spider
answers `unchanged` from the raw hash); a body whose article fingerprint (crawler/fingerprint.py: its
text and date signals, without link lists and per-request tokens) equals the last good fetch's is
`unchanged` without extraction; a body that moved elsewhere is extracted, and when its article hash
equals the last version's nothing is compared.
"""
from __future__ import annotations

import hashlib
import os
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, replace

from detector import Policy, compare, summarize, version_hash
from detector.models import Analysis, Article
from detector.takedown import noindex

from .extract import ExtractionError, extract, parse_page
from .fingerprint import fingerprint_tree
from .validity import assess

SMALL_RUN = 50          # a one-off crawl of fewer targets analyses in-process: a pool costs more to start


def raw_hash(body: bytes) -> str:
    """The hash of a body as fetched, on every fetch: SHA-256 (hardware-accelerated on current x86 and
    ARM cores, about twice blake2b's speed there), cut to 128 bits."""
    return hashlib.sha256(body).hexdigest()[:32]


@dataclass(frozen=True)
class Previous:
    """The last stored version of an article, as much of it as the CPU step needs."""

    content_hash: str
    article: Article
    text_chars: int


@dataclass(frozen=True)
class Job:
    url: str
    fetched_at: str
    status: int
    headers: dict
    body: bytes
    content_type: str
    previous: Previous | None
    policy: Policy
    fingerprint: str | None = None      # the last good fetch's article fingerprint


def analyze(job: Job) -> Analysis:
    """What a fetched body means for the article: refused, unchanged, new or changed (with its changes),
    and whether it asks search engines not to index it (take-down evidence: detector/takedown.py)."""
    return replace(_analyze(job), noindex=noindex(job.headers, job.body))


def _analyze(job: Job) -> Analysis:
    try:                                     # one decode and parse for the fingerprint and the extraction
        page = parse_page(job.body, job.content_type)
    except ExtractionError as e:
        page, failed = None, str(e)
    fp = fingerprint_tree(page.tree) if page is not None else None
    if fp is not None and fp == job.fingerprint and job.previous is not None:
        return Analysis("unchanged", content_hash=job.previous.content_hash, fingerprint=fp)
    article = None
    if page is not None:
        try:
            article = extract(job.body, url=job.url, fetched_at=job.fetched_at, content_type=job.content_type,
                              page=page)
        except ExtractionError as e:
            failed = str(e)
        else:
            failed = None
    prev = job.previous
    reason = assess(status=job.status, headers=job.headers, body=job.body, article=article,
                    previous_text_chars=prev.text_chars if prev else None)
    if reason or article is None:
        return Analysis("invalid", reason=reason or f"extraction failed: {failed}")
    h = version_hash(article)
    if prev is not None and prev.content_hash == h:
        return Analysis("unchanged", content_hash=h, fingerprint=fp)
    if prev is None:
        return Analysis("new", article=article, content_hash=h, fingerprint=fp)
    result = compare(prev.article, article, job.policy)
    return Analysis("changed", article=article, content_hash=h, changes=result.changes, alert=result.alert,
                    summary=summarize(result.changes, "en"), summary_ar=summarize(result.changes, "ar"),
                    base_hash=prev.content_hash, fingerprint=fp)


WARM_PAGE = (b"<html><head><title>warm</title></head><body><article><h1>warm</h1><p>Updated 26 February 2021"
             b" 13:58 GMT. At least 22 people were killed, officials said on Friday.</p></article></body></html>")


def _warm() -> None:
    """Each worker imports the extractors and runs one small page before the first job arrives: the first
    extraction of a process pays for dateparser's locale patterns (about 2 CPU seconds, once)."""
    try:
        extract(WARM_PAGE, url="https://warm.example/2021/02/26/x/", fetched_at="2021-02-26T14:00:00Z")
    except Exception:                # a warm-up never stops a worker from starting
        pass


def make_pool(workers: int | str, targets: int | None = None) -> Executor:
    """`workers`: "auto" (one process per core; in-process for a small one-off run), 0 (in-process), or N.

    Workers come from a forkserver: forking the crawling process itself (threads, a running reactor)
    is unsafe, and spawning a fresh interpreter per worker re-imports everything.
    """
    if workers == "auto":
        workers = 0 if targets is not None and targets < SMALL_RUN else (os.cpu_count() or 1)
    workers = int(workers)
    if workers <= 0:
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="marsad-analyze")
    import multiprocessing
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["crawler.analyze"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_warm)
