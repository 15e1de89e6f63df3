"""The configuration schema: every mistake of issue 10 item 7 refused with its key path, nothing else changed.

Pure validation is tested in-process (fast); exit status and stderr through the real command line.
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from crawler.settings import DEFAULT_USER_AGENT
from scheduler.config import Config, ConfigError, config_reference_markdown, load, to_toml, validate

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "marsad.example.toml"
PASSWORD = {"MARSAD_SMTP_PASSWORD": "s3cret"}


def problems(text: str, env=PASSWORD) -> list[str]:
    """The error lines for a TOML text ([] when it is valid)."""
    try:
        validate(tomllib.loads(text), env=env)
    except ConfigError as e:
        return str(e).splitlines()
    return []


SITE = '[[sites]]\nname = "S"\n'
ALERT = '[[alerts]]\nto = ["desk@newsroom.example"]\n'

REFUSED = [
    ("site-feed", SITE + 'feed = ["https://s.example/feed"]\n',
     "configuration: sites[0].feed: unknown key (did you mean feeds?)"),
    ("user-agnet", '[politeness]\nuser_agnet = "x"\n',
     "configuration: politeness.user_agnet: unknown key (did you mean user_agent?)"),
    ("rule-keyword", ALERT + 'keyword = ["Gaza"]\n',
     "configuration: alerts[0].keyword: unknown key (did you mean keywords?)"),
    ("section", '[polite]\ndelay_seconds = 1\n', "configuration: polite: unknown section (did you mean politeness?)"),
    ("key-elsewhere", '[politeness]\ntick = "1s"\n',
     "configuration: politeness.tick: unknown key (did you mean schedule.tick?)"),
    ("negative-delay", '[politeness]\ndelay_seconds = -1\n',
     "configuration: politeness.delay_seconds: must be >= 0 (got -1)"),
    ("negative-retries", '[politeness]\nretries = -2\n', "configuration: politeness.retries: must be >= 0 (got -2)"),
    ("negative-max-bytes", '[politeness]\nmax_bytes = -5\n', "configuration: politeness.max_bytes: must be > 0 (got -5)"),
    ("timeout-0", '[politeness]\ntimeout_seconds = 0\n', "configuration: politeness.timeout_seconds: must be > 0 (got 0)"),
    ("delay-inf", '[politeness]\ndelay_seconds = inf\n', "politeness.delay_seconds: must be a finite number"),
    ("concurrency-0", '[politeness]\nper_domain_concurrency = 0\n',
     "configuration: politeness.per_domain_concurrency: must be >= 1 (got 0)"),
    ("global-concurrency-0", '[politeness]\nconcurrency = 0\n', "politeness.concurrency: must be >= 1 (got 0)"),
    ("bool-is-not-int", '[schedule]\nbatch_size = true\n',
     "configuration: schedule.batch_size: must be a whole number (got True)"),
    ("float-is-not-int", '[delivery]\nburst = 2.5\n', "configuration: delivery.burst: must be a whole number (got 2.5)"),
    ("string-is-not-bool", '[politeness]\nobey_robots = "no"\n', "politeness.obey_robots: must be true or false"),
    ("zero-interval", '[schedule]\ntick = "0s"\n', "configuration: schedule.tick: '0s' must be longer than zero"),
    ("zero-lease", '[delivery]\nlease = "0m"\n', "configuration: delivery.lease: '0m' must be longer than zero"),
    ("zero-rung", '[schedule]\nrevisit = [["2h", "0s"]]\n', "schedule.revisit[0][1]: '0s' must be longer than zero"),
    ("ten-years", '[schedule]\ntick = "100000000d"\n',
     "configuration: schedule.tick: '100000000d' is longer than 10 years"),
    ("number-duration", '[schedule]\ndiscovery_every = 300\n',
     "schedule.discovery_every: 300 is not a duration (write it as a string"),
    ("not-a-duration", '[schedule]\nrevisit = [["2h", "soon"]]\n', "configuration: schedule.revisit[0][1]: 'soon' is not"),
    ("rung-shape", '[schedule]\nrevisit = [["2h"]]\n', "schedule.revisit[0]: must have at least 2 item(s)"),
    ("ladder-order", '[schedule]\nrevisit = [["2d", "1h"], ["2h", "5m"]]\n',
     "schedule.revisit[1][0]: '2h' must be longer than the rung before it"),
    ("unknown-kind", ALERT + 'kinds = ["title_change"]\n', "configuration: alerts[0].kinds[0]: must be one of 'title_changed'"),
    ("near-kind", ALERT + 'kinds = ["title_change"]\n', "alerts[0].kinds[0]: must be one of 'title_changed', "
     "'updated_time_changed', 'published_time_changed', 'figure_changed', 'sentence_added', 'sentence_removed', "
     "'sentence_edited', 'sentence_moved', 'correction_added', 'byline_changed', 'cosmetic', 'removed' or "
     "'fetch_failing' (got 'title_change') (did you mean title_changed?)"),
    ("severity-ultra", '[detector]\nseverity = { title_changed = "ultra" }\n',
     "configuration: detector.severity.title_changed: must be one of 'none', 'low', 'medium' or 'high' (got 'ultra')"),
    ("severity-of-unknown-kind", '[detector]\nseverity = { headline = "high" }\n',
     "configuration: detector.severity.headline: is not a known key here"),
    ("min-severity", '[detector]\nmin_severity = "urgent"\n', "detector.min_severity: must be one of"),
    ("to-string", '[[alerts]]\nto = "a@b.c"\n',
     'configuration: alerts[0].to: must be a list, not a string: write to = ["a@b.c"]'),
    ("not-an-address", '[[alerts]]\nto = ["desk at newsroom"]\n',
     "configuration: alerts[0].to[0]: 'desk at newsroom' is not an e-mail address"),
    ("address-no-tld", '[[alerts]]\nto = ["desk@newsroom"]\n', "alerts[0].to[0]: 'desk@newsroom' is not an e-mail"),
    ("address-space", '[[alerts]]\nto = ["Desk <desk @x.org>"]\n', "alerts[0].to[0]: 'Desk <desk @x.org>' is not"),
    ("bad-from", '[smtp]\nfrom = "marsad"\n', "configuration: smtp.from: 'marsad' is not an e-mail address"),
    ("nobody-to-tell", '[[alerts]]\nname = "x"\n', "configuration: alerts[0].to: needs at least one address"),
    ("sites-as-table", '[sites]\nname = "S"\n', "configuration: sites: must be an array of tables: write [[sites]]"),
    ("politeness-as-array", '[[politeness]]\nretries = 1\n', "configuration: politeness: must be one table"),
    ("password-in-file", '[smtp]\npassword = "hunter2"\n',
     "configuration: smtp.password: not allowed in the file; set MARSAD_SMTP_PASSWORD"),
    ("ftp-feed", SITE + 'feeds = ["ftp://s.example/feed"]\n',
     "configuration: sites[0].feeds[0]: 'ftp://s.example/feed' is not an http(s) URL"),
    ("javascript-section", SITE + 'sections = ["javascript:void(0)"]\n', "sites[0].sections[0]: 'javascript:void(0)'"),
    ("broken-url", SITE + 'feeds = ["http://[::1/feed"]\n', "sites[0].feeds[0]: 'http://[::1/feed' is not an http(s)"),
    ("relative-sitemap", SITE + 'sitemaps = ["/sitemap.xml"]\n', "sites[0].sitemaps[0]: '/sitemap.xml' is not an http"),
    ("webhook-scheme", '[[alerts]]\nwebhook = "file:///etc/passwd"\n', "alerts[0].webhook: 'file:///etc/passwd' is not"),
    ("bad-article-pattern", SITE + 'article_pattern = "/(news"\n',
     "configuration: sites[0].article_pattern: '/(news' is not a regular expression"),
    ("bad-url-pattern", ALERT + 'url_patterns = ["[a-"]\n', "alerts[0].url_patterns[0]: '[a-' is not a regular expression"),
    ("unknown-profile", SITE + 'profile = "nowhere.example"\n', "configuration: sites[0].profile:"),
    ("site-without-name", '[[sites]]\nfeeds = []\n', "configuration: sites[0].name: is required"),
    ("duplicate-site", SITE + SITE, "configuration: sites[1].name: 'S' is already the name of sites[0]"),
    ("domain-with-scheme", SITE + 'domains = ["https://s.example/"]\n', "sites[0].domains[0]: 'https://s.example/' is not"),
    ("bad-network", '[politeness]\nallowed_networks = ["10.0.0.0/33"]\n',
     "politeness.allowed_networks[0]: '10.0.0.0/33' is not an IP network"),
    ("workers-negative", '[pipeline]\nworkers = -1\n', "configuration: pipeline.workers: -1 must be \"auto\""),
    ("workers-bool", '[pipeline]\nworkers = true\n', "configuration: pipeline.workers: True must be \"auto\""),
    ("write-batch-0", '[pipeline]\nwrite_batch = 0\n', "configuration: pipeline.write_batch: must be >= 1 (got 0)"),
    ("error-streak-0", ALERT + 'error_streak = 0\n', "configuration: alerts[0].error_streak: must be >= 1 (got 0)"),
    ("measure", ALERT + 'measures = ["dead"]\n', "alerts[0].measures[0]: must be one of 'killed'"),
    ("empty-keyword", ALERT + 'keywords = [""]\n', "alerts[0].keywords[0]: must not be empty"),
    ("digest-off-clock", ALERT + 'digest = "7m"\n', "alerts[0].digest: '7m' does not divide a day into whole minutes"),
    ("digest-bad-daily", ALERT + 'digest = "daily 7am"\n', "alerts[0].digest: 'daily 7am' is not a daily time"),
    ("bad-zone", ALERT + 'timezone = "Mars/Olympus"\n', "alerts[0].timezone: 'Mars/Olympus' is not a time zone"),
    ("bad-scope", ALERT + 'in = "body"\n', "alerts[0].in: must be one of 'headline', 'lede' or 'text'"),
    ("urgent-no-digest", ALERT + 'urgent = "high"\n', "alerts[0].urgent: only a digest rule holds changes back"),
    ("old-datasette-url", '[delivery]\ndatasette_url = "http://x.example"\n',
     "delivery.datasette_url: moved: write [serve] public_url"),
    ("bad-public-url", '[serve]\npublic_url = "127.0.0.1:8001"\n', "serve.public_url: '127.0.0.1:8001' is not an http(s) URL"),
    ("port", '[smtp]\nport = 70000\n', "configuration: smtp.port: must be <= 65535 (got 70000)"),
    ("security", '[smtp]\nsecurity = "ssl"\n', "smtp.security: must be one of 'none', 'starttls' or 'tls' (got 'ssl')"),
    ("user-agent-newline", '[politeness]\nuser_agent = "x\\r\\nX-Evil: 1"\n', "politeness.user_agent:"),
]


@pytest.mark.parametrize("text, message", [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_each_mistake_is_refused_with_its_key_path(text, message):
    lines = problems(text)
    assert len(lines) == 1, lines
    assert lines[0].startswith(message if message.startswith("configuration: ") else "configuration: " + message), lines


def test_every_problem_is_reported_at_once_one_per_line():
    lines = problems('[politeness]\nretries = -1\nuser_agnet = "x"\n[schedule]\ntick = "0s"\n' + SITE + "feed = []\n")
    assert [l.split(":")[1].strip() for l in lines] == [
        "politeness.retries", "politeness.user_agnet", "schedule.tick", "sites[0].feed"]


def test_smtp_user_needs_the_password_in_the_environment_when_alerts_are_mailed():
    text = '[smtp]\nuser = "marsad"\n' + ALERT
    assert problems(text, env={}) == ["configuration: smtp.user: 'marsad' is set but MARSAD_SMTP_PASSWORD is not in "
                                      "the environment (the password is read only from there)"]
    assert problems(text, env=PASSWORD) == []
    assert problems('[smtp]\nuser = "marsad"\n[[alerts]]\nwebhook = "https://hooks.example/m"\n', env={}) == []


def test_the_password_is_never_echoed_in_an_error():
    lines = problems('[smtp]\npassword = "hunter2"\npasword = "hunter3"\n')
    assert lines and not any("hunter" in l for l in lines)


def test_accepted_values_and_their_normal_form():
    cfg = validate(tomllib.loads(
        '[politeness]\nallowed_networks = ["192.168.1.5/24", "10.1.2.3", "::1"]\ndelay_seconds = 0\n'
        '[pipeline]\nworkers = 0\n[schedule]\ntick = "3650d"\n'
        '[[sites]]\nname = "S"\ndomains = ["WWW.Example.ORG", "عربي.example"]\n'
        '[[alerts]]\nto = ["Desk <desk@newsroom.example>", "a.b+c@x.co.uk"]\ndigest = "0m"\nkinds = ["fetch_failing"]\n'
        'error_streak = 3\n'), env={})
    assert cfg.politeness["allowed_networks"] == ["192.168.1.0/24", "10.1.2.3/32", "::1/128"]
    assert cfg.politeness["delay_seconds"] == 0.0 and isinstance(cfg.politeness["delay_seconds"], float)
    assert cfg.pipeline == {"workers": 0, "write_batch": 50, "write_batch_ms": 500}
    assert cfg.sites[0]["domains"] == ["www.example.org", "عربي.example"]
    assert cfg.alerts[0]["error_streak"] == 3 and cfg.alert_rules()[0].kinds == ("fetch_failing",)


def test_defaults_are_the_schemas_and_the_config_keeps_its_shape():
    empty, bare = validate({}), Config()
    assert vars(empty) == vars(bare)
    p = empty.politeness
    assert p["user_agent"] == DEFAULT_USER_AGENT
    assert (p["concurrency"], p["per_domain_concurrency"], p["delay_seconds"], p["timeout_seconds"], p["retries"],
            p["autothrottle"], p["max_bytes"]) == (32, 2, 1.0, 30.0, 2, True, 10 * 1024 * 1024)
    assert (p["allow_private_addresses"], p["allowed_networks"], p["follow_offsite_redirects"]) == (False, [], False)
    assert (p["max_retry_after"], p["host_backoff_max"], p["robots_cache"]) == ("1d", "6h", "1d")
    assert (empty.db, empty.keep_checks, empty.discovery_every, empty.tick, empty.batch_size, empty.per_site_batch) \
        == ("marsad.db", "90d", "5m", "10s", 200, None)
    assert empty.revisit[0] == ["2h", "5m"] and empty.detector == {"min_severity": "medium", "severity": {}}
    assert empty.delivery == {"every": "30s", "burst": 5, "per_hour": 20, "max_attempts": 6, "lease": "5m"}
    assert empty.serve == {"public_url": "http://127.0.0.1:8001"}
    assert empty.pipeline["workers"] == "auto" and empty.smtp["from"] and empty.sites == [] == empty.alerts
    bare.politeness["retries"] = 9                      # each Config owns its dicts (the demo edits them)
    assert Config().politeness["retries"] == 2


def test_sites_and_alerts_are_plain_dicts_with_defaults_filled():
    cfg = validate(tomllib.loads(SITE + 'feeds = ["https://s.example/feed"]\n' + ALERT + 'digest = "1h"\n'))
    assert cfg.sites == [{"name": "S", "profile": None, "feeds": ["https://s.example/feed"], "sitemaps": [],
                          "sections": [], "article_pattern": None, "domains": []}]
    assert type(cfg.alerts[0]) is dict and cfg.alerts[0]["to"] == ["desk@newsroom.example"]
    (rule,) = cfg.alert_rules()
    assert rule.digest.every == 3600 and rule.name == "rule1" and rule.min_severity == "medium"
    assert rule.scope == "text" and rule.urgent is None and rule.digest.tz == "UTC"


def test_the_example_file_validates_and_uses_every_section(tmp_path):
    cfg = load(str(EXAMPLE))
    assert cfg.path == str(EXAMPLE) and cfg.sites and cfg.alerts
    written = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert set(written) == set(cfg.as_file()), "marsad.example.toml should show every section"
    commented = re.findall(r"^# ?(\w+) = ", EXAMPLE.read_text(encoding="utf-8"), re.M)
    documented = {k for section in written.values() for t in (section if isinstance(section, list) else [section])
                  for k in t} | set(commented)
    from scheduler.config import _rows
    every = {k.rsplit(".", 1)[-1] for k, *_ in _rows()}
    assert every <= documented, f"not in marsad.example.toml: {sorted(every - documented)}"


def test_effective_configuration_round_trips_through_toml():
    cfg = load(str(EXAMPLE))
    again = validate(tomllib.loads(to_toml(cfg.as_file())))
    assert again.as_file() == cfg.as_file()
    default = validate(tomllib.loads(to_toml(Config().as_file())))
    assert default.as_file() == Config().as_file()


def test_readme_configuration_table_is_generated_from_the_schema():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    source = readme
    m = re.search(r"<!-- config-table -->\n(.*?)<!-- /config-table -->", source, re.S)
    assert m, "the config-table markers are missing"
    assert m.group(1) == config_reference_markdown(), (
        "the configuration table is out of date: paste the output of `python -m scheduler.config` between the markers")


# ---- through the command line ----

@pytest.mark.parametrize("command", [["crawl", "--once"], ["status"]])
def test_a_bad_configuration_exits_2_with_one_error_line_per_problem(marsad, tmp_path, command):
    cfg = tmp_path / "bad.toml"
    cfg.write_text('[politeness]\nretries = -1\n[sites]\nname = "S"\n')
    proc = marsad("--config", cfg, *command, check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.splitlines() == [
        "Error: configuration: politeness.retries: must be >= 0 (got -1)",
        "Error: configuration: sites: must be an array of tables: write [[sites]] (double brackets) before each one, "
        "not [sites]"]


def test_a_broken_config_is_refused_even_when_db_is_given(marsad, tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text('[[sites]]\nname = "S"\nfeed = ["https://s.example/feed"]\n')
    proc = marsad("--config", cfg, "--db", tmp_path / "x.db", "history", "https://s.example/a", check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "Error: configuration: sites[0].feed: unknown key (did you mean feeds?)"
    assert not (tmp_path / "x.db").exists()


def test_config_check_prints_the_effective_configuration(tmp_path):
    from click.testing import CliRunner
    from scheduler.cli import main
    good = tmp_path / "good.toml"
    good.write_text('[politeness]\nretries = 0\n' + SITE)
    result = CliRunner().invoke(main, ["config", "check", str(good)], env={"MARSAD_SMTP_PASSWORD": None})
    assert result.exit_code == 0, result.output
    shown = tomllib.loads(result.output)
    assert shown["politeness"]["retries"] == 0 and shown["politeness"]["concurrency"] == 32
    assert shown["sites"][0]["feeds"] == [] and shown["pipeline"]["workers"] == "auto"
    assert "# per_site_batch is not set" in result.output
    bad = tmp_path / "bad.toml"
    bad.write_text('[schedule]\nbatch_size = true\ntick = "0s"\n')
    result = CliRunner().invoke(main, ["config", "check", str(bad)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.splitlines() == ["Error: configuration: schedule.batch_size: must be a whole number (got True)",
                                          "Error: configuration: schedule.tick: '0s' must be longer than zero"]
    assert CliRunner().invoke(main, ["config", "check", str(tmp_path / "none.toml")]).exit_code == 2
    help_lines = CliRunner().invoke(main, ["config", "check", "--help"]).output.split("Options:")[0].split("\n")
    assert [l for l in help_lines if l.strip()][-1].strip() == "Example: marsad config check marsad.toml"
