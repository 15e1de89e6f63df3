"""The TOML configuration: one pydantic schema declares every key, its type, range, default and meaning.

Why a schema: a hand-written check forgets keys, and an unknown key (`sites[0].feed`, `keyword`) used to
be ignored in silence. Every model forbids extra keys, ints are strict (`true` is not 1), and each error
names the key path and the bad value. The rest of the code reads `Config`, plain dicts and lists built
from the validated models, so the defaults live here once; the README's table is generated from it.
"""
from __future__ import annotations

import difflib
import ipaddress
import json
import os
import re
import tomllib
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal, Union, get_args, get_origin
from urllib.parse import urlsplit

import annotated_types as at
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import PydanticUndefined

from alerts.delivery import SmtpSettings
from alerts.rules import SCOPES
from alerts.schedule import ScheduleError, check_zone, parse_digest
from crawler.extract import ProfileError, profile_named
from crawler.settings import DEFAULT_USER_AGENT
from detector import SEVERITIES
from detector.compare import DEFAULT_SEVERITY
from detector.figure_cues import MEASURES

from .durations import seconds
from .revisit import DEFAULT_LADDER


class ConfigError(ValueError):
    """A configuration mistake: one line per problem, each `configuration: KEY: what is wrong`."""


KINDS = tuple(DEFAULT_SEVERITY)                 # the detector's change kinds
ALERT_KINDS = KINDS + ("fetch_failing",)         # plus the error-streak alert of alerts[].error_streak


class Shown:
    """How the reference table names a type that pydantic only sees as `str`."""

    def __init__(self, text: str):
        self.text = text


# ---- value types: each check written once, its message naming the bad value ----

def _duration(v):
    if not isinstance(v, str):
        raise ValueError(f"{v!r} is not a duration (write it as a string: \"30s\", \"5m\", \"1h\", \"2d\")")
    seconds(v)
    return v


def _positive(v: str) -> str:
    if seconds(v) <= 0:
        raise ValueError(f"{v!r} must be longer than zero")
    return v


def _http_url(v: str) -> str:
    try:
        parts = urlsplit(v)
        ok = parts.scheme in ("http", "https") and parts.hostname and not re.search(r"\s", v)
    except ValueError:                                  # "http://[::1" and friends
        ok = False
    if not ok:
        raise ValueError(f"{v!r} is not an http(s) URL")
    return v


def _regex(v: str) -> str:
    try:
        re.compile(v)
    except re.error as e:
        raise ValueError(f"{v!r} is not a regular expression: {e}") from None
    return v


_ADDRESS = re.compile(r"[^\s@<>(),;:\"]+@(localhost|[\w-]+(\.[\w-]+)*\.[^\W\d_]{2,}|[\w-]+(\.[\w-]+)*\.xn--[\w-]+)")


def _email(v: str) -> str:
    m = re.fullmatch(r"\s*[^<>]*<([^<>]*)>\s*|\s*([^<>]*?)\s*", v)
    if not m or not _ADDRESS.fullmatch(m.group(1) if m.group(1) is not None else m.group(2)):
        raise ValueError(f"{v!r} is not an e-mail address (local@domain.tld, or \"Desk <desk@x.org>\")")
    return v


def _host(v: str) -> str:
    if not re.fullmatch(r"(?=.{1,253}$)[^\W_]([\w-]*[^\W_])?(\.[^\W_]([\w-]*[^\W_])?)*\.?", v):
        raise ValueError(f"{v!r} is not a host name (write e.g. arabicpost.net, without scheme or path)")
    return v.lower().rstrip(".")


def _network(v: str) -> str:
    try:
        return str(ipaddress.ip_network(v, strict=False))
    except ValueError:
        raise ValueError(f"{v!r} is not an IP network or address (e.g. 10.0.0.0/8, 192.168.1.5)") from None


def _profile(v: str) -> str:
    try:
        profile_named(v)
    except ProfileError as e:
        raise ValueError(str(e)) from None
    return v


def _header_text(v: str) -> str:
    if re.search(r"[\x00-\x1f\x7f]", v):
        raise ValueError(f"{v!r} contains control characters")
    return v


def _digest(v):
    if not isinstance(v, str):
        raise ValueError(f"{v!r} is not a digest schedule (write a string: \"0m\", \"30m\", \"daily 07:00\")")
    try:
        parse_digest(v, "UTC", seconds)
    except ScheduleError as e:
        raise ValueError(str(e)) from None
    return v


def _zone(v: str) -> str:
    try:
        return check_zone(v)
    except ScheduleError as e:
        raise ValueError(str(e)) from None


def _workers(v):
    if v == "auto" or (isinstance(v, int) and not isinstance(v, bool) and v >= 0):
        return v
    raise ValueError(f"{v!r} must be \"auto\" or a whole number >= 0")


Duration = Annotated[str, BeforeValidator(_duration), Shown("duration")]
Interval = Annotated[str, BeforeValidator(_duration), AfterValidator(_positive), Shown("duration > 0")]
HttpUrl = Annotated[str, AfterValidator(_http_url), Shown("http(s) URL")]
Regex = Annotated[str, AfterValidator(_regex), Shown("regular expression")]
Email = Annotated[str, AfterValidator(_email), Shown("e-mail address")]
Host = Annotated[str, AfterValidator(_host), Shown("host name")]
Network = Annotated[str, AfterValidator(_network), Shown("IP network")]
Severity = Literal[SEVERITIES]
Kind = Annotated[Literal[KINDS], Shown("change kind")]
AlertKind = Annotated[Literal[ALERT_KINDS], Shown("change kind")]
Rung = Annotated[list[Interval], Field(min_length=2, max_length=2), Shown("[age, every]")]
Words = Annotated[str, Field(min_length=1)]
DigestSchedule = Annotated[str, BeforeValidator(_digest), Shown("\"0m\", a duration dividing a day, or \"daily HH:MM\"")]
TimeZone = Annotated[str, AfterValidator(_zone), Shown("IANA time zone")]


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


# ---- the sections ----

class Storage(Section):
    db: str = Field("marsad.db", min_length=1,
                    description="The SQLite file that keeps every version; `--db` or MARSAD_DB wins over it.")
    keep_checks: Interval = Field("90d", description="Checks that found nothing new older than this are dropped "
                                                     "(versions, changes and their checks are kept).")


class Politeness(Section):
    user_agent: Annotated[str, AfterValidator(_header_text)] = Field(
        DEFAULT_USER_AGENT, min_length=1, description="Sent with every request; say where site owners reach you.")
    obey_robots: bool = Field(True, description="Obey robots.txt (a disallowed URL is an `error` check).")
    concurrency: int = Field(32, ge=1, description="Requests in flight in the whole daemon.")
    per_domain_concurrency: int = Field(2, ge=1, description="Requests in flight per host.")
    delay_seconds: float = Field(1.0, ge=0, description="Seconds between requests to one host.")
    autothrottle: bool = Field(True, description="Adapt the delay to the host's response time.")
    timeout_seconds: float = Field(30.0, gt=0, description="Request timeout.")
    retries: int = Field(2, ge=0, description="Retries of 5xx, 429 and timeouts.")
    max_bytes: int = Field(10 * 1024 * 1024, gt=0, description="The largest response accepted (bigger: an error).")
    max_retry_after: Interval = Field("1d", description="A `Retry-After` longer than this is cut to this.")
    host_backoff_max: Interval = Field("6h", description="The longest pause of a failing host (backoff doubles).")
    robots_cache: Interval = Field("1d", description="How long a host's robots.txt is kept before it is read again.")
    allow_private_addresses: bool = Field(False, description="Fetch hosts that resolve to loopback, private, "
                                                             "link-local or reserved addresses (tests, intranets).")
    allowed_networks: list[Network] = Field([], description="Networks fetched even when private addresses are "
                                                            "refused, e.g. [\"10.1.0.0/16\"].")
    follow_offsite_redirects: bool = Field(False, description="Follow redirects to hosts outside the site's domains.")


class Schedule(Section):
    discovery_every: Interval = Field("5m", description="How often feeds, sitemaps and sections are read.")
    revisit: list[Rung] = Field([list(r) for r in DEFAULT_LADDER], min_length=1,
                                description="While an article is younger than AGE (since its last change) "
                                            "check it every EVERY; past the last rung: retire it.")
    batch_size: int = Field(200, ge=1, description="Due articles per batch, most overdue first.")
    per_site_batch: int | None = Field(None, ge=1, description="At most this many per site in one batch.")
    tick: Interval = Field("10s", description="How often the daemon looks for due articles.")


class Site(Section):
    name: str = Field(min_length=1, description="The site's name (alerts[].sites refers to it).")
    profile: Annotated[str, AfterValidator(_profile)] | None = Field(
        None, description="A profile in crawler/sites/PROFILE.toml; omitted: generic extraction.")
    feeds: list[HttpUrl] = Field([], description="RSS or Atom feeds; omitted: the profile's feeds.")
    sitemaps: list[HttpUrl] = Field([], description="Sitemaps (and sitemap indexes).")
    sections: list[HttpUrl] = Field([], description="Listing pages whose links matching article_pattern are articles.")
    article_pattern: Regex | None = Field(None, description="Only URLs matching it are tracked; omitted: the profile's.")
    domains: list[Host] = Field([], description="More host names whose pages and redirects belong to the site.")


class Detector(Section):
    min_severity: Severity = Field("medium", description="A version alerts when a change has at least this severity.")
    severity: dict[Kind, Severity] = Field({}, description="Per-kind overrides, e.g. { byline_changed = \"medium\" }.")


class Smtp(Section):
    host: str = Field(SmtpSettings.host, min_length=1, description="Mail server for alerts.")
    port: int = Field(SmtpSettings.port, ge=1, le=65535, description="Its port.")
    security: Literal["none", "starttls", "tls"] = Field(SmtpSettings.security, description="Transport security.")
    user: str = Field(SmtpSettings.user, description="Login; the password only from MARSAD_SMTP_PASSWORD.")
    sender: Email = Field(SmtpSettings.sender, alias="from", description="The From address; its domain names "
                                                                          "Message-IDs.")
    timeout_seconds: float = Field(SmtpSettings.timeout, gt=0, description="Connection timeout.")


class Delivery(Section):
    every: Interval = Field("30s", description="How often the daemon sends what the outbox holds.")
    burst: int = Field(5, ge=1, description="More messages than this for one recipient at once: one digest.")
    per_hour: int = Field(20, ge=1, description="At most this many messages per recipient per hour.")
    max_attempts: int = Field(6, ge=1, description="Temporary failures are retried with backoff, then given up.")
    lease: Interval = Field("5m", description="How long a sender's claim on alert rows lasts.")


class Serve(Section):
    public_url: HttpUrl = Field("http://127.0.0.1:8001", description="Where `marsad serve` is reached (with its "
                                "base_url prefix, if any); every mail links to its article and front pages.")


class Alert(Section):
    name: Annotated[str, Field(min_length=1)] | None = Field(None, description="The rule's name; omitted: ruleN.")
    to: list[Email] = Field([], description="E-mail recipients (a list, even for one).")
    webhook: HttpUrl | None = Field(None, description="A URL that receives a JSON POST, instead of or beside mail.")
    kinds: list[AlertKind] = Field([], description="Only these change kinds; empty: every kind that alerts.")
    min_severity: Severity = Field("medium", description="Only changes at least this severe (none never alerts).")
    sites: list[str] = Field([], description="Only these sites ([[sites]] names); empty: every site.")
    url_patterns: list[Regex] = Field([], description="Regular expressions on the article URL; empty: every URL.")
    keywords: list[Words] = Field([], description="Whole words, searched where `in` says (Arabic normalized, "
                                                  "clitics such as و ب ل ال allowed).")
    in_: Literal[SCOPES] = Field("text", alias="in", description="Where keywords must appear: headline, lede (the "
                                                                 "headline and first paragraph) or text (anywhere).")
    measures: list[Literal[MEASURES + ("other",)]] = Field([], description="Figure changes only for these measures.")
    min_rise: int = Field(0, ge=0, description="Figure changes only when the figure rose by at least this much.")
    digest: DigestSchedule = Field("0m", description="0m: each change at once; \"30m\": one mail per window, at "
                                                     ":00 and :30; \"daily 07:00\": once a day at that time.")
    timezone: TimeZone = Field("UTC", description="The time zone of the digest's clock, e.g. \"Asia/Riyadh\".")
    urgent: Severity | None = Field(None, description="In a digest rule: changes at least this severe are sent "
                                                      "at once, not held for the window.")
    error_streak: int | None = Field(None, ge=1, description="Alert (kind fetch_failing) after this many "
                                                             "consecutive failed checks of an article.")
    only_silent: bool = Field(False, description="Only silent edits: a substantive change while the page's "
                                                 "update stamp stayed and no correction notice was added.")
    restamped: bool = Field(False, description="Also alert on re-stamps (the update stamp moved, nothing else "
                                               "did), which are otherwise recorded quietly.")


class Pipeline(Section):
    workers: Annotated[int | Literal["auto"], BeforeValidator(_workers), Shown("\"auto\" or int ≥ 0")] = Field(
        "auto", description="Extraction processes; 0: in the crawling process (tests).")
    write_batch: int = Field(50, ge=1, description="Results written to the database in one transaction.")
    write_batch_ms: int = Field(500, ge=1, description="A partial batch is written after this many milliseconds.")


class Redis(Section):
    url: Annotated[str, Field(pattern=r"^(redis|rediss|unix)://")] | None = Field(
        None, description="The shared frontier (redis://host:6379/0): with it, `marsad daemon` is the coordinator "
                          "and `marsad worker` fetches; `--redis` wins over it.")
    prefix: str = Field("marsad:", min_length=1, description="The prefix of marsad's Redis keys (one per deployment).")
    visibility: Interval = Field("2m", description="A request whose worker stopped renewing its lease this long is "
                                                   "queued again.")
    queue_depth: int = Field(2000, ge=1, description="Requests queued or in flight at once, across all workers.")
    worker_requests: int = Field(64, ge=1, description="Requests one worker holds at once (fetching or waiting).")


class Root(Section):
    storage: Storage = Field(default_factory=Storage)
    politeness: Politeness = Field(default_factory=Politeness)
    schedule: Schedule = Field(default_factory=Schedule)
    sites: list[Site] = Field([], description="One [[sites]] table per outlet.")
    detector: Detector = Field(default_factory=Detector)
    smtp: Smtp = Field(default_factory=Smtp)
    delivery: Delivery = Field(default_factory=Delivery)
    serve: Serve = Field(default_factory=Serve)
    alerts: list[Alert] = Field([], description="One [[alerts]] table per rule.")
    pipeline: Pipeline = Field(default_factory=Pipeline)
    redis: Redis = Field(default_factory=Redis)


# ---- what the rest of marsad reads ----

def _default(section: str, key: str | None = None):
    def make():
        d = getattr(Root(), section).model_dump(by_alias=True)
        return d if key is None else d[key]
    return field(default_factory=make)


@dataclass
class Config:
    """The validated configuration in the shape the code reads (flat schedule keys, plain dicts)."""

    db: str = _default("storage", "db")
    politeness: dict = _default("politeness")
    discovery_every: str = _default("schedule", "discovery_every")
    revisit: list = _default("schedule", "revisit")
    batch_size: int = _default("schedule", "batch_size")
    per_site_batch: int | None = _default("schedule", "per_site_batch")
    tick: str = _default("schedule", "tick")
    keep_checks: str = _default("storage", "keep_checks")
    sites: list = field(default_factory=list)
    smtp: dict = _default("smtp")
    alerts: list = field(default_factory=list)
    detector: dict = _default("detector")
    delivery: dict = _default("delivery")
    serve: dict = _default("serve")
    pipeline: dict = _default("pipeline")
    redis: dict = _default("redis")
    path: str | None = None

    def alert_rules(self) -> tuple:
        """The [[alerts]] tables as alerts.AlertRule values (digests parsed with the config's durations)."""
        from alerts import rule_from_config
        return tuple(rule_from_config(a, i, seconds) for i, a in enumerate(self.alerts))

    def as_file(self) -> dict:
        """The configuration in the file's layout (sections), as `marsad config check` prints it."""
        return {"storage": {"db": self.db, "keep_checks": self.keep_checks}, "politeness": self.politeness,
                "schedule": {"discovery_every": self.discovery_every, "revisit": self.revisit,
                             "batch_size": self.batch_size, "per_site_batch": self.per_site_batch, "tick": self.tick},
                "sites": self.sites, "detector": self.detector, "smtp": self.smtp, "delivery": self.delivery,
                "serve": self.serve, "alerts": self.alerts, "pipeline": self.pipeline,
                "redis": self.redis}


def _config(root: Root, path: str | None) -> Config:
    d = root.model_dump(by_alias=True)
    return Config(db=d["storage"]["db"], keep_checks=d["storage"]["keep_checks"], path=path,
                  **{k: d["schedule"][k] for k in Schedule.model_fields},
                  **{k: d[k] for k in ("politeness", "sites", "smtp", "alerts", "detector", "delivery", "serve",
                                "pipeline", "redis")})


def _cross_checks(root: Root, env) -> list[str]:
    """What one key alone cannot say: a rule with nobody to tell, a login without a password, ..."""
    out = []
    for i, a in enumerate(root.alerts):
        if not a.to and not a.webhook:
            out.append(f"alerts[{i}].to: needs at least one address (or a webhook)")
        if a.urgent and parse_digest(a.digest, a.timezone, seconds) is None:
            out.append(f"alerts[{i}].urgent: only a digest rule holds changes back; this rule sends each at once "
                       f"(set digest, e.g. \"30m\", or drop urgent)")
    if root.smtp.user and any(a.to for a in root.alerts) and not env.get("MARSAD_SMTP_PASSWORD"):
        out.append(f"smtp.user: {root.smtp.user!r} is set but MARSAD_SMTP_PASSWORD is not in the environment "
                   "(the password is read only from there)")
    ages = [seconds(age) for age, _ in root.schedule.revisit]
    out += [f"schedule.revisit[{i}][0]: {root.schedule.revisit[i][0]!r} must be longer than the rung before it"
            for i in range(1, len(ages)) if ages[i] <= ages[i - 1]]
    for table, items in (("sites", root.sites), ("alerts", root.alerts)):
        first = {}
        for i, item in enumerate(items):
            if item.name is not None and first.setdefault(item.name, i) != i:
                out.append(f"{table}[{i}].name: {item.name!r} is already the name of {table}[{first[item.name]}]")
    return out


# ---- error messages ----

_SAYS = {
    "missing": "is required", "int_type": "must be a whole number", "float_type": "must be a number",
    "bool_type": "must be true or false", "string_type": "must be a string", "list_type": "must be a list",
    "dict_type": "must be a table", "model_type": "must be a table", "model_attributes_type": "must be a table",
    "finite_number": "must be a finite number", "greater_than": "must be > {gt}",
    "greater_than_equal": "must be >= {ge}", "less_than": "must be < {lt}", "less_than_equal": "must be <= {le}",
    "string_too_short": "must not be empty", "too_short": "must have at least {min_length} item(s)",
    "too_long": "must have at most {max_length} item(s)", "literal_error": "must be one of {expected}",
}


def _unwrap(ann):
    """The model class a key holds (through Optional, list[...] and Annotated), or None for a plain value."""
    while True:
        origin = get_origin(ann)
        if origin is Annotated or origin is list:
            ann = get_args(ann)[0]
        elif origin in (Union, types.UnionType):
            ann = next(a for a in get_args(ann) if a is not type(None))
        else:
            return ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None


def _keys(model) -> dict:
    return {f.alias or name: f for name, f in model.model_fields.items()}


def _model_at(loc) -> type | None:
    model = Root
    for part in loc:
        if isinstance(part, str):
            f = _keys(model).get(part) if model else None
            model = _unwrap(f.annotation) if f else None
    return model


def _every_key(model=Root, prefix="") -> dict:
    """Key name -> its full paths, so `tick` under [politeness] can point to schedule.tick."""
    out: dict = {}
    for key, f in _keys(model).items():
        sub = _unwrap(f.annotation)
        path = prefix + key + ("[]" if get_origin(f.annotation) is list and sub else "")
        if sub:
            for k, paths in _every_key(sub, path + ".").items():
                out.setdefault(k, []).extend(paths)
        else:
            out.setdefault(key, []).append(path)
    return out


def _path(loc) -> str:
    """sites[0].feeds[1]; a key with odd characters is quoted as TOML would write it (no raw escapes)."""
    return "".join(f"[{p}]" if isinstance(p, int) else ("." if i else "") + _toml_key(str(p))
                   for i, p in enumerate(loc)) or "(top)"


def _show(value) -> str:
    text = "a table" if isinstance(value, dict) else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _message(err: dict) -> str:
    loc, kind, value, ctx = tuple(err["loc"]), err["type"], err.get("input"), err.get("ctx") or {}
    key = next((p for p in reversed(loc) if isinstance(p, str) and p != "[key]"), "")
    if loc[-1:] == ("[key]",):
        loc, says = loc[:-1], f"is not a known key here: use one of {ctx.get('expected', '')}"
    elif kind == "extra_forbidden":
        says = _unknown(loc)
    elif kind == "value_error":
        says = str(ctx.get("error", err["msg"]))
    elif kind == "list_type" and isinstance(value, str):
        says = f"must be a list, not a string: write {key} = [{json.dumps(value, ensure_ascii=False)}]"
    elif kind == "list_type" and isinstance(value, dict) and len(loc) == 1:
        says = f"must be an array of tables: write [[{key}]] (double brackets) before each one, not [{key}]"
    elif kind in ("model_type", "model_attributes_type") and isinstance(value, list) and len(loc) == 1:
        says = f"must be one table: write [{key}], not [[{key}]]"
    else:
        says = _SAYS.get(kind, err["msg"]).format(**{k: int(v) if isinstance(v, float) and v.is_integer() else v
                                                     for k, v in ctx.items()})
        says += "" if kind == "missing" else f" (got {_show(value)})"
        near = difflib.get_close_matches(value, re.findall(r"'([^']*)'", ctx.get("expected", "")), n=1) \
            if kind == "literal_error" and isinstance(value, str) else []
        says += f" (did you mean {near[0]}?)" if near else ""
    return f"configuration: {_path(loc)}: {says}"


def _unknown(loc) -> str:
    if loc == ("smtp", "password"):
        return "not allowed in the file; set MARSAD_SMTP_PASSWORD"
    if loc == ("delivery", "datasette_url"):
        return "moved: write [serve] public_url = \"http://HOST:PORT\" (where `marsad serve` is reached, without the database name)"
    key, known = loc[-1], list(_keys(_model_at(loc[:-1]) or Root))
    near = difflib.get_close_matches(str(key), known, n=1)
    elsewhere = _every_key().get(key, [])
    what = "unknown section" if len(loc) == 1 else "unknown key"
    if near:
        return f"{what} (did you mean {near[0]}?)"
    if elsewhere:
        return f"{what} (did you mean {' or '.join(elsewhere)}?)"
    return f"{what} (known: {', '.join(known)})"


# ---- reading ----

def validate(data: dict, path: str | None = None, env=os.environ) -> Config:
    """The Config for parsed TOML `data`, or a ConfigError listing every problem (one per line)."""
    try:
        root = Root.model_validate(data)
    except ValidationError as e:
        raise ConfigError("\n".join(dict.fromkeys(_message(err) for err in e.errors()))) from None
    problems = _cross_checks(root, env)
    if problems:
        raise ConfigError("\n".join(f"configuration: {p}" for p in problems))
    return _config(root, path)


def load(path: str | None) -> Config:
    """The configuration at `path` (or $MARSAD_CONFIG); without either, the defaults."""
    path = path or os.environ.get("MARSAD_CONFIG")
    if not path:
        return Config()
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"configuration file {path} " + ("is not a file" if p.exists() else "does not exist"))
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(f"configuration file {path}: {e.strerror or e}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"configuration file {path}: {e}") from None
    return validate(data, str(p))


# ---- writing: `marsad config check` and the README's table ----

def _toml_key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k, ensure_ascii=False)


def toml_value(v) -> str:
    """A TOML literal for the values a configuration holds (JSON's string escapes are TOML's too)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        if "\\" in v and not re.search(r"['\x00-\x1f\x7f]", v):
            return f"'{v}'"                             # a literal string: regexes stay readable
        return json.dumps(v, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {toml_value(x)}" for k, x in v.items()) + " }" if v else "{}"
    raise TypeError(f"no TOML for {v!r}")


def to_toml(doc: dict) -> str:
    """Sections as tables, lists of tables as [[arrays]]; an unset key is a comment (TOML has no null)."""
    def pairs(d):
        return [f"{_toml_key(k)} = {toml_value(v)}" if v is not None else f"# {k} is not set" for k, v in d.items()]
    out = []
    for name, body in doc.items():
        if isinstance(body, list):
            out += [x for item in body for x in ["", f"[[{name}]]", *pairs(item)]] or ["", f"# no [[{name}]] tables"]
        else:
            out += ["", f"[{name}]", *pairs(body)]
    return "\n".join(out).lstrip("\n") + "\n"


def _type(ann, meta=()) -> str:
    for m in meta:
        if isinstance(m, Shown):
            return m.text
    origin, args = get_origin(ann), get_args(ann)
    if origin is Annotated:
        return _type(args[0], (*args[1:], *meta))
    if origin is Literal:
        return "one of " + ", ".join(args)
    if origin in (Union, types.UnionType):
        return _type(next(a for a in args if a is not type(None)), meta)
    if origin is list:
        inner = _type(args[0])
        return "list, each " + inner if inner.startswith("one of") else "list of " + inner
    if origin is dict:
        return f"table of {_type(args[0])} = {_type(args[1])}"
    limits = [f"{sign} {getattr(m, attr)}" for m in meta if isinstance(m, at.BaseMetadata)
              for attr, sign in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")) if hasattr(m, attr)]
    return " ".join([{int: "int", float: "number", bool: "bool", str: "string"}.get(ann, str(ann)), *limits])


def _rows(model=Root, prefix=""):
    for key, f in _keys(model).items():
        sub = _unwrap(f.annotation)
        if sub:
            yield from _rows(sub, prefix + key + ("[]." if get_origin(f.annotation) is list else "."))
            continue
        default = f.get_default(call_default_factory=True)
        shown = "required" if default is PydanticUndefined else ("not set" if default is None else toml_value(default))
        yield prefix + key, _type(f.annotation, f.metadata), shown, f.description or ""


def config_reference_markdown() -> str:
    """The README's table of every key, generated from the schema (tests/test_config.py keeps them equal)."""
    lines = ["| key | type | default | meaning |", "|---|---|---|---|"]
    lines += [f"| `{k}` | {t} | `{d}` | {m} |" if d not in ("required", "not set") else f"| `{k}` | {t} | {d} | {m} |"
              for k, t, d, m in _rows()]
    lines += ["", "Durations are strings such as \"30s\", \"5m\", \"1h\", \"2d\", \"1w\" (at most 10 years). "
              "Change kinds: " + ", ".join(f"`{k}`" for k in ALERT_KINDS) + " (`fetch_failing` only in "
              "`alerts[].kinds`). Measures: " + ", ".join(f"`{m}`" for m in MEASURES + ("other",)) + "."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(config_reference_markdown(), end="")
