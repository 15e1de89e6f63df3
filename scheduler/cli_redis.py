"""`marsad worker --redis URL`, and what it shares with `marsad daemon --redis URL` (the coordinator)."""
from __future__ import annotations

import logging
from urllib.parse import urlsplit

import click

from .cli_support import _common, _friendly

NOISY = ("scrapy", "apscheduler", "twisted", "trafilatura", "htmldate")


def setup_logging(log_level: str) -> None:
    from .terminal import SafeFormatter
    handler = logging.StreamHandler()
    handler.setFormatter(SafeFormatter("%(asctime)s %(name)s %(levelname)s %(message)s"))   # page text is inert
    logging.basicConfig(level=getattr(logging, log_level), handlers=[handler])
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(max(logging.WARNING, getattr(logging, log_level)))


def check_redis_url(url: str | None) -> str | None:
    """A Redis URL as redis-py reads it, or one clear error (before anything starts)."""
    if not url:
        return None
    try:
        ok = urlsplit(url).scheme in ("redis", "rediss", "unix")
    except ValueError:
        ok = False
    if not ok:
        raise click.BadParameter(f"{url!r} is not a Redis URL (redis://host:6379/0)", param_hint="--redis")
    return url


@click.command()
@click.option("--redis", "redis_url", envvar="MARSAD_REDIS", metavar="URL",
              help="The coordinator's Redis (redis://host:6379/0); wins over [redis] url.")
@click.option("--log-level", type=click.Choice(["DEBUG", "INFO", "WARNING"]), default="INFO", show_default=True)
@click.pass_obj
@_common
@_friendly
def worker(obj, redis_url, log_level):
    """Fetch and extract for a `marsad daemon --redis` coordinator until SIGTERM/SIGINT (no database)."""
    from crawler.runner import run_reactor
    from crawler.worker import Worker
    from detector import Policy
    from .durations import seconds
    setup_logging(log_level)
    config = obj.config
    url = check_redis_url(redis_url or config.redis.get("url"))
    if not url:
        raise click.UsageError("a worker needs the coordinator's Redis: --redis URL or [redis] url")
    det, r = config.detector, config.redis
    w = Worker(url, politeness=config.politeness, pipeline=config.pipeline,
               policy=Policy(det.get("min_severity", "medium"), dict(det.get("severity", {}))),
               prefix=r["prefix"], visibility_s=seconds(r["visibility"]), capacity=r["worker_requests"])
    from redis.exceptions import RedisError
    try:
        raise SystemExit(run_reactor(w.run))
    except (RedisError, OSError) as e:
        raise click.ClickException(f"cannot reach Redis at {url}: {e}") from None
