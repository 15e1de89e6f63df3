"""The pages' parameters, checked: a value that cannot name anything is the client's mistake, answered
with a 400 that says which parameter and why; an id that names nothing is a 404. Never a 500."""
from __future__ import annotations

import re
from functools import wraps

from datasette.utils.asgi import Response

SQLITE_MAX_ID = 2**63 - 1
MAX_QUERY = 200                          # characters of a search query


class BadParameter(ValueError):
    """A query or path parameter that cannot name anything: answered with a 400, never a server error."""


class NotFound(LookupError):
    """A well-formed id that names nothing in the database: a 404."""


def positive_int(value: str | None, name: str, default: int | None = None) -> int | None:
    """A row id or version number from the URL: a positive integer SQLite can hold; '' or absent: default."""
    if value is None or value == "":
        return default
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= SQLITE_MAX_ID:
        raise BadParameter(f"{name} must be a positive integer, not {value!r}")
    return int(value)


def choice(value: str | None, name: str, allowed) -> str | None:
    if value is None or value == "":
        return None
    if value not in allowed:
        raise BadParameter(f"{name} must be one of {', '.join(sorted(allowed))}, not {value!r}")
    return value


def language(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not re.fullmatch(r"[a-z]{2,3}", value):
        raise BadParameter(f"lang must be a language code such as ar or en, not {value!r}")
    return value


def search_query(value: str | None) -> str:
    value = (value or "").strip()
    if len(value) > MAX_QUERY:
        raise BadParameter(f"q is longer than {MAX_QUERY} characters")
    return value


def only(request, names: tuple[str, ...]) -> None:
    """A parameter the page does not know (`?a=x`, a typo for `?from=`) is refused rather than ignored:
    silently showing the default pair would look like an answer to the question asked."""
    unknown = sorted(set(request.args.keys()) - set(names))
    if unknown:
        raise BadParameter(f"unknown parameter{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
                           f"this page takes {', '.join(names)}")


def validated(page):
    """Bad parameters are a 400 with the reason, unknown ids a 404, as plain text."""
    @wraps(page)
    async def handler(datasette, request):
        try:
            return await page(datasette, request)
        except BadParameter as e:
            return Response.text(f"Bad request: {e}", status=400)
        except NotFound as e:
            return Response.text(f"Not found: {e}", status=404)
    return handler
