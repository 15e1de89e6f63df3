"""Shared pieces of the `marsad` command line: the context, the error handling, option checks."""
from __future__ import annotations

import json
import re
from functools import wraps
from pathlib import Path

import click

from crawler.extract import ExtractionError, ProfileError
from storage import StorageError

from .config import ConfigError, load


class ConfigProblem(click.ClickException):
    """A bad configuration: exit 2 (a usage error, as click's own), one `Error:` line per problem."""
    exit_code = 2

    def show(self, file=None) -> None:
        for line in self.message.splitlines():
            click.echo(f"Error: {line}", err=True)


def _friendly(fn):
    @wraps(fn)
    def wrapper(*a, **kw):
        try:
            return fn(*a, **kw)
        except ConfigError as e:
            raise ConfigProblem(str(e)) from None
        except (StorageError, ExtractionError, ProfileError) as e:
            raise click.ClickException(str(e)) from None
        except BrokenPipeError:
            raise                       # the reader went away (`marsad changes | head`): main() ends quietly
        except OSError as e:
            raise click.ClickException(f"{e.strerror or e}: {e.filename}" if e.filename else str(e)) from None
    return wrapper


def _common(fn):
    """--config and --db on every subcommand too, so `marsad history --db x.db URL` works as users type it."""
    @click.option("--config", "sub_config", type=click.Path(dir_okay=False), hidden=True)
    @click.option("--db", "sub_db", type=click.Path(dir_okay=False), hidden=True)
    @wraps(fn)
    def wrapper(*a, sub_config=None, sub_db=None, **kw):
        obj = click.get_current_context().find_object(Ctx)
        if obj is not None:
            obj.config_path = sub_config or obj.config_path
            obj._db = sub_db or obj._db
        return fn(*a, **kw)
    return wrapper


def _out(obj) -> None:
    from .terminal import json_safe
    click.echo(json_safe(json.dumps(obj, ensure_ascii=False)))


class Ctx:
    def __init__(self, config_path, db):
        self.config_path, self._db = config_path, db
        self._config = None

    @property
    def config(self):
        if self._config is None:
            self._config = load(self.config_path)
        return self._config

    @property
    def db_path(self) -> str:
        """--db wins over [storage] db, but the configuration is read (and refused if broken) either way."""
        config = self.config
        return self._db or config.db


def _read(path: str) -> bytes:
    p = Path(path)
    if not p.is_file():
        raise click.ClickException(f"no such file: {path}")
    return p.read_bytes()


ISO_UTC_FORMATS = ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%MZ")


def _check_iso(value, name):
    """A UTC ISO time that exists: the shape first, then the calendar (2021-02-30 and 25:00 are refused)."""
    from datetime import datetime
    if value and not re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z$", value):
        raise click.BadParameter(f"{value!r} is not an ISO 8601 UTC time like 2021-02-26T13:58:00Z", param_hint=name)
    if value:
        try:
            datetime.strptime(value, ISO_UTC_FORMATS[0 if value.count(":") == 2 else 1])
        except ValueError as e:
            raise click.BadParameter(f"{value!r} is not a real UTC time ({e})", param_hint=name) from None
    return value


SINCE_HELP = "2h, 30m, 7d (ago), a UTC day 2026-12-01, or an ISO time 2026-12-01T08:00:00Z"


def parse_since(value: str | None, now=None) -> str | None:
    """`--since` as the UTC ISO time it names: a duration ago ("2h", "30m", "7d"), a day (its
    00:00 UTC) or an ISO 8601 time (with Z or an offset; without one it is read as UTC). Anything else
    is a usage error that names the value: "yesterday" must not quietly select nothing."""
    from datetime import date, datetime, timedelta, timezone
    from storage.times import format_utc
    from .durations import seconds
    if value is None:
        return None
    text = value.strip()
    now = now or datetime.now(timezone.utc)
    try:
        return format_utc(now - timedelta(seconds=seconds(text)))
    except ValueError:
        pass
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text).strftime("%Y-%m-%dT00:00:00Z")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?", text):
            dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
            return format_utc(dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc))
    except ValueError as e:
        raise click.BadParameter(f"{value!r} is not a real date or time ({e})", param_hint="--since") from None
    raise click.BadParameter(f"{value!r} is not a time: use {SINCE_HELP}", param_hint="--since")


def _check_url(value, hint="--url"):
    if value and not re.match(r"^https?://[^\s/]+", value):
        raise click.BadParameter(f"{value!r} is not an http(s) URL", param_hint=hint)
    return value


def _article_json(a, file=None) -> dict:
    d = {"file": file} if file is not None else {}
    d.update({k: v for k, v in a.to_dict().items() if k != "url"})
    d["url"] = a.url or None
    return d
