"""`marsad bench extraction|detection|daemon|sweep|throughput|soak|scaling`: the benchmarks reported in the README."""
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
    from bench.extraction import report, run, verbose_lines
    res = run()
    click.echo(report(res))
    if verbose:
        for line in verbose_lines(res):
            click.echo(line)


@bench.command("detection")
@click.option("-v", "--verbose", is_flag=True, help="Also list the pairs scored wrong.")
@_friendly
def bench_detection(verbose):
    """Per-kind precision/recall/F1 per set and language (labelled pairs, held-out pairs, the development
    set's tune and held-out halves), alerts on the corpus negatives, compare() time."""
    from bench.detection import load_devset, report, run, score_pairs, sets_report
    s, neg, t, held = run()
    click.echo(report(s, neg, t, held))
    click.echo("")
    click.echo(sets_report(with_corpora=False, neg=neg))
    if verbose:
        for w in s["wrong"] + held["wrong"]:
            click.echo("wrong " + " ".join(map(str, w)))
        for split in ("tune", "heldout"):
            for w in score_pairs(load_devset(split))["wrong"]:
                click.echo(f"devset {split} wrong " + " ".join(map(str, w)))


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


@bench.command("throughput")
@click.option("--pages", default=2000, show_default=True, type=click.IntRange(1), help="Article pages served.")
@click.option("--json", "as_json", is_flag=True, help="Print the measurements as JSON.")
@_friendly
def bench_throughput(pages, as_json):
    """marsad's first crawl and recrawls against plain Scrapy and a naive scraper, on N local pages."""
    from bench.throughput import main as run_bench
    raise SystemExit(run_bench(["--pages", str(pages)] + (["--json"] if as_json else [])))


@bench.command("soak")
@click.option("--rounds", default=10, show_default=True, type=click.IntRange(2),
              help="Rounds; each checks every article at least once more.")
@click.option("--pages", default=2000, show_default=True, type=click.IntRange(1), help="Article pages served.")
@click.option("--json", "as_json", is_flag=True, help="Print the measurements as JSON.")
@click.option("--no-idle", is_flag=True, help="Skip the idle-RSS measurement with 100,000 tracked articles.")
@_friendly
def bench_soak(rounds, pages, as_json, no_idle):
    """The real daemon for R rounds over N pages: RSS per round, database bytes per check and version."""
    from bench.soak import main as run_bench
    raise SystemExit(run_bench(["--rounds", str(rounds), "--pages", str(pages)] + (["--json"] if as_json else [])
                               + (["--no-idle"] if no_idle else [])))


@bench.command("scaling")
@click.option("--pages", default=1000, show_default=True, type=click.IntRange(1), help="Article pages served.")
@click.option("--workers", default="1,2,4", show_default=True, help="Worker counts to run, comma-separated.")
@click.option("--json", "as_json", is_flag=True, help="Print the measurements as JSON.")
@_friendly
def bench_scaling(pages, workers, as_json):
    """A coordinator and 1, 2, 4 workers on a Redis frontier (pages/s, CPU per page), and the single writer's ceiling."""
    from bench.scaling import main as run_bench
    raise SystemExit(run_bench(["--pages", str(pages), "--workers", workers] + (["--json"] if as_json else [])))
