"""Which of the databases Datasette serves are marsad's: the plugin acts on those only.

A marsad database carries `PRAGMA application_id` = 0x6D727364 ('mrsd', storage/schema.py); a table
named `articles` in someone else's database is not enough. The answer is remembered per database
name for the life of the Datasette instance (a file does not change owner while it is served).
"""
from __future__ import annotations

from storage.schema import APPLICATION_ID
from storage.views import VIEWS

from .params import NotFound

# marsad's own tables and views: cells elsewhere (a table another tool added to the file) are left alone.
TABLES = frozenset({"sites", "articles", "versions", "checks", "changes", "alerts", "cycles", "hosts", "state",
                    "_migrations"}) | frozenset(VIEWS)


def _cache(datasette) -> dict:
    cache = getattr(datasette, "_marsad_databases", None)
    if cache is None:
        cache = {}
        datasette._marsad_databases = cache
    return cache


async def is_marsad(datasette, name: str | None) -> bool:
    if not name:
        return False
    cache = _cache(datasette)
    if name not in cache:
        db = datasette.databases.get(name)
        if db is None or db.is_memory:
            return False
        try:
            cache[name] = (await db.execute("PRAGMA application_id")).first()[0] == APPLICATION_ID
        except Exception:                         # an unreadable file: Datasette reports it its own way
            cache[name] = False
    return cache[name]


def known_marsad(datasette, name: str) -> bool | None:
    """The remembered answer, without a query: None when the database was not looked at yet."""
    return _cache(datasette).get(name)


async def marsad_databases(datasette) -> list:
    return [db for name, db in datasette.databases.items() if await is_marsad(datasette, name)]


async def pick(datasette, request):
    """The marsad database a page reads: ?db=NAME if that is one (else a 404), else the first served."""
    name = request.args.get("db")
    if name:
        if not await is_marsad(datasette, name):
            raise NotFound(f"{name!r} is not a marsad database served here")
        return datasette.databases[name]
    found = await marsad_databases(datasette)
    if not found:
        raise NotFound("no marsad database is served here (run `marsad serve --db marsad.db`)")
    return found[0]


def db_args(datasette, db) -> dict:
    """`?db=` for links, only when more than one database is served (the default needs none)."""
    return {"db": db.name} if len([d for d in datasette.databases.values() if not d.is_memory]) > 1 else {}
