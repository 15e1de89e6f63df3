"""`marsad config check FILE`: validate a configuration before a daemon is started with it."""
from __future__ import annotations

import click

from .cli_support import _friendly
from .config import load, to_toml


@click.group("config")
def config():
    """Check a configuration file."""


@config.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
@_friendly
def config_check(file):
    """Validate FILE and print the effective configuration as TOML, every default filled in.

    Exit status 0 when FILE is valid; 2 and one `Error:` line per problem when it is not. The printed
    TOML is itself a valid configuration (a key that is not set is a comment).

    Example: marsad config check marsad.toml
    """
    cfg = load(file)
    click.echo(f"# effective configuration of {file}: every key, defaults filled in\n" + to_toml(cfg.as_file()),
               nl=False)
