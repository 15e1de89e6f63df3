"""Downloader middleware: retries that honour the server's Retry-After.

Scrapy's RetryMiddleware retries 429/503 at once. When the server says how long to wait, marsad does not
retry in-process: the response goes through as an error check carrying `retry_after`, and storage sets
the article's next check no earlier than that.
"""
from __future__ import annotations

from email.utils import parsedate_to_datetime
from datetime import datetime, timezone

from scrapy.downloadermiddlewares.retry import RetryMiddleware


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> int | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return int(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    now = now or datetime.now(timezone.utc)
    return max(0, int((when - now).total_seconds()))


class RetryAfterMiddleware(RetryMiddleware):
    def process_response(self, request, response):
        if response.status in (429, 503) and response.headers.get(b"Retry-After"):
            return response
        return super().process_response(request, response)
