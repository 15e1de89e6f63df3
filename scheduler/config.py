"""The TOML configuration: read, fill defaults, validate; every error names the key at fault.

The keys of DESIGN.md are the contract; marsad.example.toml documents each one.
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from crawler.extract import ProfileError, profile_named
from detector import SEVERITIES

from .durations import seconds
from .revisit import DEFAULT_LADDER


class ConfigError(ValueError):
    pass


@dataclass
class Config:
    db: str = "marsad.db"
    politeness: dict = field(default_factory=lambda: {
        "user_agent": "marsad/0.1 (+https://github.com/marsad-news/marsad)", "obey_robots": True,
        "per_domain_concurrency": 2, "delay_seconds": 1.0})
    discovery_every: str = "5m"
    revisit: list = field(default_factory=lambda: [list(r) for r in DEFAULT_LADDER])
    batch_size: int = 200
    per_site_batch: int | None = None
    tick: str = "10s"
    keep_checks: str = "90d"
    sites: list = field(default_factory=list)
    smtp: dict = field(default_factory=dict)
    alerts: list = field(default_factory=list)
    detector: dict = field(default_factory=lambda: {"min_severity": "medium", "severity": {}})
    delivery: dict = field(default_factory=lambda: {"every": "30s", "burst": 5, "per_hour": 20, "max_attempts": 6,
                                                    "datasette_url": None})
    path: str | None = None

    def alert_rules(self) -> tuple:
        """The [[alerts]] tables as alerts.AlertRule values (digests parsed with the config's durations)."""
        from alerts import rule_from_config
        return tuple(rule_from_config(a, i, seconds) for i, a in enumerate(self.alerts))


def _need(cond, key, msg):
    if not cond:
        raise ConfigError(f"configuration: {key}: {msg}")


def _duration(value, key):
    try:
        return seconds(value)
    except ValueError as e:
        raise ConfigError(f"configuration: {key}: {e}") from None


def validate(data: dict, path: str | None = None) -> Config:
    known = {"storage", "politeness", "schedule", "sites", "smtp", "alerts", "detector", "delivery"}
    unknown = set(data) - known
    _need(not unknown, ", ".join(sorted(unknown)), f"unknown section (known: {', '.join(sorted(known))})")
    cfg = Config(path=path)
    st = data.get("storage", {})
    if "db" in st:
        _need(isinstance(st["db"], str) and st["db"], "storage.db", "must be a file path")
        cfg.db = st["db"]
    pol = data.get("politeness", {})
    for key, typ in (("user_agent", str), ("obey_robots", bool), ("per_domain_concurrency", int),
                     ("delay_seconds", (int, float)), ("timeout_seconds", (int, float)), ("retries", int),
                     ("autothrottle", bool), ("max_bytes", int)):
        if key in pol:
            _need(isinstance(pol[key], typ), f"politeness.{key}", f"must be {getattr(typ, '__name__', 'a number')}")
    cfg.politeness.update(pol)
    sch = data.get("schedule", {})
    if "discovery_every" in sch:
        _duration(sch["discovery_every"], "schedule.discovery_every")
        cfg.discovery_every = sch["discovery_every"]
    if "revisit" in sch:
        _need(isinstance(sch["revisit"], list) and sch["revisit"], "schedule.revisit", "must be a list of [age, every]")
        for i, rung in enumerate(sch["revisit"]):
            _need(isinstance(rung, list) and len(rung) == 2, f"schedule.revisit[{i}]", "must be [age, every]")
            _duration(rung[0], f"schedule.revisit[{i}][0]"), _duration(rung[1], f"schedule.revisit[{i}][1]")
        cfg.revisit = sch["revisit"]
    for key in ("batch_size", "per_site_batch"):
        if key in sch:
            _need(isinstance(sch[key], int) and sch[key] > 0, f"schedule.{key}", "must be a whole number > 0")
            setattr(cfg, key, sch[key])
    if "tick" in sch:
        _duration(sch["tick"], "schedule.tick")
        cfg.tick = sch["tick"]
    if "keep_checks" in st:
        _duration(st["keep_checks"], "storage.keep_checks")
        cfg.keep_checks = st["keep_checks"]
    for i, s in enumerate(data.get("sites", [])):
        k = f"sites[{i}]"
        _need(isinstance(s.get("name"), str) and s["name"], f"{k}.name", "is required")
        if s.get("profile"):
            try:
                profile_named(s["profile"])
            except ProfileError as e:
                raise ConfigError(f"configuration: {k}.profile: {e}") from None
        for lst in ("feeds", "sitemaps", "sections"):
            _need(isinstance(s.get(lst, []), list), f"{k}.{lst}", "must be a list of URLs")
            for u in s.get(lst, []):
                _need(isinstance(u, str) and re.match(r"https?://", u), f"{k}.{lst}", f"{u!r} is not an http(s) URL")
        if s.get("article_pattern"):
            try:
                re.compile(s["article_pattern"])
            except re.error as e:
                raise ConfigError(f"configuration: {k}.article_pattern: {e}") from None
        cfg.sites.append(s)
    cfg.smtp = data.get("smtp", {})
    if "password" in cfg.smtp:
        raise ConfigError("configuration: smtp.password: not allowed in the file; set MARSAD_SMTP_PASSWORD")
    for i, a in enumerate(data.get("alerts", [])):
        _need(a.get("to") or a.get("webhook"), f"alerts[{i}].to", "needs at least one address (or a webhook)")
        if a.get("webhook"):
            _need(re.match(r"https?://", str(a["webhook"])), f"alerts[{i}].webhook", "must be an http(s) URL")
        for j, pat in enumerate(a.get("url_patterns", [])):
            try:
                re.compile(pat)
            except re.error as e:
                raise ConfigError(f"configuration: alerts[{i}].url_patterns[{j}]: {e}") from None
        if "min_rise" in a:
            _need(isinstance(a["min_rise"], int) and a["min_rise"] >= 0, f"alerts[{i}].min_rise", "a whole number >= 0")
        if "measures" in a:
            known = {"killed", "injured", "missing", "arrested", "displaced", "other"}
            _need(set(a["measures"]) <= known, f"alerts[{i}].measures", f"one of {', '.join(sorted(known))}")
        if "min_severity" in a:
            _need(a["min_severity"] in SEVERITIES, f"alerts[{i}].min_severity", f"one of {', '.join(SEVERITIES)}")
        if "digest" in a:
            _duration(a["digest"], f"alerts[{i}].digest")
        cfg.alerts.append(a)
    dv = data.get("delivery", {})
    for key in ("burst", "per_hour", "max_attempts"):
        if key in dv:
            _need(isinstance(dv[key], int) and dv[key] > 0, f"delivery.{key}", "must be a whole number > 0")
    if "every" in dv:
        _duration(dv["every"], "delivery.every")
    if dv.get("datasette_url"):
        _need(re.match(r"https?://", dv["datasette_url"]), "delivery.datasette_url", "must be an http(s) URL")
    cfg.delivery.update(dv)
    smtp = data.get("smtp", {})
    if "security" in smtp:
        _need(smtp["security"] in ("none", "starttls", "tls"), "smtp.security", "one of none, starttls, tls")
    if "port" in smtp:
        _need(isinstance(smtp["port"], int) and 0 < smtp["port"] < 65536, "smtp.port", "a port number")
    det = data.get("detector", {})
    if "min_severity" in det:
        _need(det["min_severity"] in SEVERITIES, "detector.min_severity", f"one of {', '.join(SEVERITIES)}")
    cfg.detector.update(det)
    return cfg


def load(path: str | None) -> Config:
    """The configuration at `path` (or $MARSAD_CONFIG); without either, the defaults."""
    path = path or os.environ.get("MARSAD_CONFIG")
    if not path:
        return Config()
    p = Path(path)
    if not p.exists():
        raise ConfigError(f"configuration file {path} does not exist")
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"configuration file {path}: {e}") from None
    return validate(data, str(p))
