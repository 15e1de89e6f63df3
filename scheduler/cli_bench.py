"""`marsad bench extraction|detection|daemon|sweep`: the benchmarks reported in the README."""
from __future__ import annotations

import click

from .cli_support import _friendly


@click.group()
def bench():
    """Benchmarks over ../shared/corpora (results go in the README)."""


@bench.command("extraction")
@click.option("-v", "--verbose", is_flag=True, help="Also list the published-day misses.")
@_friendly
def bench_extraction(verbose):
    """Extraction quality and speed against trafilatura and htmldate, measured in the same run."""
    from bench.extraction import report, run
    res = run()
    click.echo(report(res))
    if verbose:
        for corpus in ("htmldate_mediacloud", "arabic"):
            for miss in res[corpus][3]:
                click.echo("miss " + corpus + " " + " ".join(map(str, miss)))


@bench.command("detection")
@click.option("-v", "--verbose", is_flag=True, help="Also list the pairs scored wrong.")
@_friendly
def bench_detection(verbose):
    """Per-kind precision/recall on labelled pairs, alerts on the corpus negatives, compare() time."""
    from bench.detection import report, run
    s, neg, t, held = run()
    click.echo(report(s, neg, t, held))
    if verbose:
        for w in s["wrong"] + held["wrong"]:
            click.echo("wrong " + " ".join(map(str, w)))


@bench.command("daemon")
@_friendly
def bench_daemon():
    """Picking the due batch among 100,000 articles, and the idle daemon's memory."""
    from bench.daemon import main as run_bench
    raise SystemExit(run_bench([]))


@bench.command("sweep")
@_friendly
def bench_sweep():
    """Every corpus page extracted (crashes, speed) and false alerts on the unchanged-body pairs."""
    from bench.corpus_sweep import main as sweep
    raise SystemExit(sweep([]))
