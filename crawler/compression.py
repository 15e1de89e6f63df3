"""Compressed bodies that end too soon: a downloader middleware ordered just before Scrapy's
HttpCompressionMiddleware, which inflates leniently and would hand on a truncated gzip as a short page.

Each encoding's stream is run through in bounded steps (the output is counted, not kept, so a gzip bomb
costs no memory and Scrapy's DOWNLOAD_MAXSIZE still speaks for it); a stream that stops before its end
is an `IncompleteResponse` for a 2xx (an `error` check with the reason) and a `truncated` flag otherwise.
"""
from __future__ import annotations

import zlib

from scrapy.exceptions import IgnoreRequest, NotConfigured


class IncompleteResponse(IgnoreRequest):
    """The body did not arrive whole: it must not become a version."""


# --- Compressed bodies that end too soon --------------------------------------------------------------

_CHUNK = 65536


class _TooBig(Exception):
    """More than the size cap: Scrapy's HttpCompressionMiddleware refuses it with its own message."""


def _cap(size: int, max_size: int) -> None:
    if max_size and size > max_size:
        raise _TooBig


def _inflate(d, data: bytes, max_size: int) -> None:
    """Run a zlib decompressobj over `data` in bounded steps (the output is counted, not kept)."""
    size = len(d.decompress(data, _CHUNK))
    while not d.eof:
        _cap(size, max_size)
        out = d.decompress(d.unconsumed_tail, _CHUNK)
        if not out and not d.unconsumed_tail:
            break
        size += len(out)
    _cap(size, max_size)


def _gzip_members(data: bytes, max_size: int) -> str | None:
    """Each gzip member's deflate stream must reach its end. A missing or wrong trailer (CRC, length)
    after a complete stream is tolerated, as browsers do."""
    received, first = len(data), True
    while True:
        start = _gzip_header_end(data)
        if start is None:
            return "gzip header unreadable" if first else None
        d = zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            _inflate(d, data[start:], max_size)
        except zlib.error as e:
            return f"gzip stream corrupt ({e})"
        if not d.eof:
            return f"gzip stream cut short ({received:,} bytes received)"
        data, first = d.unused_data[8:], False        # after the CRC and length: another member?


def _gzip_header_end(data: bytes) -> int | None:
    """Offset of the deflate stream after a gzip header (RFC 1952), or None when there is none."""
    if len(data) < 10 or data[:3] != b"\x1f\x8b\x08":
        return None
    flags, pos = data[3], 10
    if flags & 4:                                       # FEXTRA
        if len(data) < pos + 2:
            return None
        pos += 2 + int.from_bytes(data[pos:pos + 2], "little")
    for bit in (8, 16):                                 # FNAME, FCOMMENT: zero-terminated
        if flags & bit:
            end = data.find(b"\x00", pos)
            if end < 0:
                return None
            pos = end + 1
    if flags & 2:                                       # FHCRC
        pos += 2
    return pos if pos <= len(data) else None


def _deflate(data: bytes, max_size: int) -> str | None:
    for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS):     # zlib-wrapped, or raw as some servers send it
        d = zlib.decompressobj(wbits)
        try:
            _inflate(d, data, max_size)
        except zlib.error as e:
            if wbits < 0:
                return f"deflate stream corrupt ({e})"
            continue
        return None if d.eof else f"deflate stream cut short ({len(data):,} bytes received)"
    return None


def _brotli(data: bytes, max_size: int) -> str | None:
    import brotli
    d = brotli.Decompressor()
    try:
        size = len(d.process(data, output_buffer_limit=_CHUNK))
        while not d.is_finished():
            _cap(size, max_size)
            out = d.process(b"", output_buffer_limit=_CHUNK)
            if not out:
                break
            size += len(out)
        _cap(size, max_size)
    except brotli.error as e:
        return f"brotli stream corrupt ({e})"
    return None if d.is_finished() else f"brotli stream cut short ({len(data):,} bytes received)"


def _zstd(data: bytes, max_size: int) -> str | None:
    try:
        from compression import zstd
    except ImportError:
        from backports import zstd
    received = len(data)
    while data:                                         # one decompressor per frame
        d = zstd.ZstdDecompressor()
        try:
            size = len(d.decompress(data, _CHUNK))
            while not d.eof and not d.needs_input:
                _cap(size, max_size)
                size += len(d.decompress(b"", _CHUNK))
            _cap(size, max_size)
        except zstd.ZstdError as e:
            return f"zstd stream corrupt ({e})"
        if not d.eof:
            return f"zstd stream cut short ({received:,} bytes received)"
        data = d.unused_data
    return None


_CHECKS = {b"gzip": _gzip_members, b"x-gzip": _gzip_members, b"deflate": _deflate, b"br": _brotli,
           b"zstd": _zstd}


def compression_problem(body: bytes, encoding: bytes, max_size: int = 0) -> str | None:
    """None when the compressed `body` is whole (or too big: Scrapy's size cap speaks then), else why
    not: "gzip stream cut short (4,096 bytes received)"."""
    check = _CHECKS.get(encoding.strip().lower())
    if check is None or not body:
        return None
    try:
        return check(body, max_size)
    except _TooBig:
        return None


class CompressionCheckMiddleware:
    """Refuses a 2xx whose compressed body ends before its stream does; flags other statuses."""

    def __init__(self, max_size: int):
        self.max_size = max_size

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        if not s.getbool("MARSAD_COMPRESSION_CHECK_ENABLED", True) or not s.getbool("COMPRESSION_ENABLED"):
            raise NotConfigured
        return cls(s.getint("DOWNLOAD_MAXSIZE"))

    def process_response(self, request, response):
        if request.method == "HEAD" or not response.body:
            return response
        encodings = [e.strip().lower() for h in response.headers.getlist(b"Content-Encoding")
                     for e in h.split(b",") if e.strip() and e.strip().lower() != b"identity"]
        if not encodings:
            return response
        # Encodings are listed in the order applied; the last one is undone first, and the only one
        # whose stream is in the body as received (nested layers are rare and left to Scrapy).
        max_size = request.meta.get("download_maxsize", self.max_size)
        problem = compression_problem(response.body, encodings[-1], max_size)
        if problem is None:
            # After decoding, Content-Length counts compressed bytes: it would make a small page whose
            # gzip is longer than its text look cut short (crawler/validity.py compares the two).
            if all(e in _CHECKS for e in encodings):
                response.headers.pop(b"Content-Length", None)
            return response
        if 200 <= response.status < 300:
            raise IncompleteResponse(f"incomplete: {problem}")
        response.flags.append("truncated")
        return response
