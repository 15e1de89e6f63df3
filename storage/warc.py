"""Versions as WARC/1.1 (ISO 28500), the format web archives and their tools read: written from the
versions table, and read back from any archive (marsad's own, or one another crawler wrote).

Export: each stored version becomes a `response` record (WARC-Date = its fetch time, WARC-Target-URI = the
article's URL, the raw page from versions.raw_html as payload, with the status line and headers kept in
versions.raw_headers, or, for versions fetched before they were kept, a minimal header block that the
record says is synthesized) and a `metadata` record that refers to it, holding marsad's extracted fields
and the changes that led to the version as JSON. warcio writes the records and their digests.

Import: `read_archive` reads a whole archive first (every record to its end, so a truncated or damaged
file is refused before anything is written) and returns the HTTP responses a check can be made of, in
time order, with a count of the records it left out and why (requests, revisits, redirects, non-HTML...).
Making checks of them is the CPU step's and the writer's work (scheduler/cli_warc.py): there is one
recording path.

Scrapy hands marsad the body decoded (no Content-Encoding, no chunks), which is what raw_html keeps: the
framing headers that would describe other bytes are renamed `X-Archive-Orig-*` in the export (the
convention of web archives' replay tools) and a Content-Length of the payload as stored is given.
"""
from __future__ import annotations

import io
import json
import os
import re
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from .blobs import unpack

HEADERS_FIELD = "WARC-Marsad-Headers"      # an extension field (ISO 28500 §5.1 allows them): where the headers came from
SYNTHESIZED = "synthesized"                 # no stored headers: marsad wrote the minimal block itself
STORED = "stored"
FRAMING = ("transfer-encoding", "content-encoding", "content-length")   # may describe the wire's bytes, not raw_html
HTML_TYPES = ("text/html", "application/xhtml+xml")
METADATA_TYPE = "application/json"
METADATA_KEY = "marsad"                     # the JSON object a marsad metadata record holds


class WarcError(ValueError):
    """An archive that cannot be read whole; the message names the file and where it went wrong."""


@dataclass
class Exported:
    versions: int = 0
    without_html: int = 0                  # versions stored without their page (nothing to archive)
    headers_synthesized: int = 0


@dataclass
class Capture:
    """One HTTP response from an archive, as plain data for the CPU step."""

    url: str
    fetched_at: str                        # marsad's time format (second precision, UTC)
    status: int
    header_block: bytes | None             # status line + headers, as archived (None: the archive made them up)
    headers: dict                          # lower-case name -> value, repeated values joined with ", "
    body: bytes
    record_id: str | None = None
    site: str | None = None                # from a marsad metadata record about this response


@dataclass
class Archive:
    captures: list[Capture] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)     # why -> how many records


# -- export ----------------------------------------------------------------------------------------

def _versions(db: sqlite_utils.Database, since: str | None, site: str | None, urls) -> list[dict]:
    sql = ("SELECT v.*, a.url, s.name AS site, c.http_status, c.final_url FROM versions v"
           " JOIN articles a ON a.id = v.article_id LEFT JOIN sites s ON s.id = a.site_id"
           " LEFT JOIN checks c ON c.id = (SELECT min(id) FROM checks WHERE version_id = v.id) WHERE 1=1")
    params: list = []
    if since:
        sql += " AND v.fetched_at >= ?"
        params.append(since)
    if site:
        sql += " AND s.name = ?"
        params.append(site)
    if urls:
        sql += " AND a.url IN (%s)" % ",".join("?" for _ in urls)
        params += list(urls)
    return list(db.query(sql + " ORDER BY v.fetched_at, v.id", params))


def _changes(db: sqlite_utils.Database, version_id: int) -> list[dict]:
    rows = db.query("SELECT kind, field, old, new, severity, detail, at FROM changes WHERE to_version = ?"
                    " ORDER BY id", [version_id])
    return [{**r, "detail": json.loads(r["detail"] or "{}")} for r in rows]


def _http_headers(v: dict, body: bytes):
    """(StatusAndHeaders, where they came from) for a version's payload."""
    from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
    if v.get("raw_headers"):
        block = unpack(v["raw_headers"])
        sh = StatusAndHeadersParser(["HTTP/1.0", "HTTP/1.1", "HTTP/2", "HTTP/2.0"], verify=False).parse(
            io.BytesIO(block))
        length = str(len(body))
        headers = [(f"X-Archive-Orig-{k}", val) if k.lower() in FRAMING and not (k.lower() == "content-length"
                                                                                   and val.strip() == length)
                   else (k, val) for k, val in sh.headers]
        if not any(k.lower() == "content-length" for k, _ in headers):
            headers.append(("Content-Length", length))
        return StatusAndHeaders(sh.statusline, headers, protocol=sh.protocol), STORED
    status = v.get("http_status") or 200
    from http import HTTPStatus
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    sh = StatusAndHeaders(f"{status} {phrase}".strip(), [("Content-Type", "text/html"),
                                                          ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
    return sh, SYNTHESIZED


def _metadata(v: dict, db: sqlite_utils.Database) -> dict:
    keep = ("n", "content_hash", "title", "byline", "published_at", "updated_at", "updated_precision_s", "lang",
            "text", "summary", "summary_ar")
    return {METADATA_KEY: {"url": v["url"], "site": v["site"], "fetched_at": v["fetched_at"],
                           "final_url": v["final_url"], **{k: v.get(k) for k in keep}, "live": bool(v.get("live")),
                           "figures": json.loads(v["figures"] or "[]"), "changes": _changes(db, v["id"])}}


def write_warc(db: sqlite_utils.Database, out, *, since: str | None = None, site: str | None = None, urls=(),
               filename: str = "marsad.warc.gz", gzip: bool = True, software: str = "marsad") -> Exported:
    """Write the selected versions, oldest fetch first, to the binary stream `out`."""
    from warcio.warcwriter import WARCWriter
    writer = WARCWriter(out, gzip=gzip, warc_version="1.1")
    writer.write_record(writer.create_warcinfo_record(filename, {
        "software": software, "format": "WARC File Format 1.1",
        "description": "Versions of news articles kept by marsad: a response record per version (the page as "
                       "fetched) and a metadata record with marsad's extracted fields and changes (JSON)."}))
    done = Exported()
    for v in _versions(db, since, site, urls):
        if not v["raw_html"]:
            done.without_html += 1
            continue
        body = unpack(v["raw_html"])
        http_headers, origin = _http_headers(v, body)
        done.headers_synthesized += origin == SYNTHESIZED
        response = writer.create_warc_record(v["url"], "response", payload=io.BytesIO(body), length=len(body),
                                             http_headers=http_headers,
                                             warc_headers_dict={"WARC-Date": v["fetched_at"], HEADERS_FIELD: origin})
        writer.write_record(response)
        rid = response.rec_headers.get_header("WARC-Record-ID")
        meta = json.dumps(_metadata(v, db), ensure_ascii=False).encode("utf-8")
        writer.write_record(writer.create_warc_record(
            v["url"], "metadata", payload=io.BytesIO(meta), length=len(meta), warc_content_type=METADATA_TYPE,
            warc_headers_dict={"WARC-Date": v["fetched_at"], "WARC-Concurrent-To": rid, "WARC-Refers-To": rid}))
        done.versions += 1
    return done


def export_warc(db: sqlite_utils.Database, path: str | Path, **kw) -> Exported:
    """write_warc into `path`, through a temporary file beside it: a failure leaves no half archive.
    Gzipped per record (the usual .warc.gz) unless the name ends in .warc."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.partial-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        with open(tmp, "wb") as f:
            done = write_warc(db, f, filename=path.name, gzip=not path.name.endswith(".warc"), **kw)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return done


# -- import ----------------------------------------------------------------------------------------

def warc_time(value: str | None) -> str | None:
    """A WARC-Date (second, micro- or nanosecond precision, Z or an offset) in marsad's time format."""
    if not value:
        return None
    text = re.sub(r"\.\d+", "", value.strip().replace("Z", "+00:00"), count=1)   # fractions: to the second
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    return (dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)).astimezone(timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def _headers_dict(sh) -> dict:
    out: dict[str, str] = {}
    for k, v in sh.headers:
        k = k.lower()
        out[k] = f"{out[k]}, {v}" if k in out else v
    return out


def _skip_reason(rec, url: str | None, status: int | None, headers: dict) -> str | None:
    """Why a record is no check of an article (None: it is one)."""
    if rec.rec_type != "response":
        return f"{rec.rec_type} record" if rec.rec_type else "record without a type"
    if rec.http_headers is None or status is None:
        return "response that is not HTTP"
    if not url or not url.lower().startswith(("http://", "https://")):
        return "response for a URL that is not http(s)"
    if 300 <= status < 400 and status != 304:
        return "redirect (its target has its own record)"
    if status == 304 or status < 200:
        return f"HTTP {status} response (no page)"
    if status < 300:
        ctype = headers.get("content-type", "").lower()
        if ctype and not any(t in ctype for t in HTML_TYPES):
            return "response that is not HTML"
    return None


def _read_block(rec) -> bytes:
    """The payload as the page (chunks and Content-Encoding undone), after checking the record arrived whole."""
    body = rec.content_stream().read()
    rec.raw_stream.read()                               # what decoding left: the record must still end where it says
    if getattr(rec.raw_stream, "limit", 0):
        raise WarcError(f"the record ends {rec.raw_stream.limit:,} bytes before its declared length (truncated)")
    return body


def read_archive(path: str | Path) -> Archive:
    """Every HTTP response of an archive that may be an article page, oldest first, with the records
    left out counted by reason. WarcError if any part of the file cannot be read."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed
    path = Path(path)
    archive, sites, n = Archive(), {}, 0
    with open(path, "rb") as f:
        records = ArchiveIterator(f)
        try:
            for rec in records:
                n += 1
                if not str(rec.format).startswith("warc"):        # warcio reads any line of 5 words as ARC
                    raise WarcError(f"it does not start like a WARC record (read as {rec.format}); an ARC file"
                                    " can be converted with `warcio recompress`")
                headers = rec.rec_headers
                url = headers.get_header("WARC-Target-URI")
                sh = rec.http_headers
                try:
                    status = int(sh.get_statuscode()) if sh is not None else None
                except (TypeError, ValueError):
                    status = None
                http = _headers_dict(sh) if sh is not None else {}
                reason = _skip_reason(rec, url, status, http)
                if reason == "metadata record" and (headers.get_header("Content-Type") or "").startswith(METADATA_TYPE):
                    _note_site(rec, sites)
                if reason:
                    _read_block(rec)
                    archive.skipped[reason] += 1
                    continue
                body = _read_block(rec)
                at = warc_time(headers.get_header("WARC-Date"))
                if at is None:
                    raise WarcError(f"a response for {url} has no readable WARC-Date "
                                    f"({headers.get_header('WARC-Date')!r})")
                synthesized = headers.get_header(HEADERS_FIELD) == SYNTHESIZED
                archive.captures.append(Capture(url=url, fetched_at=at, status=status, headers=http, body=body,
                                                header_block=None if synthesized else sh.to_bytes(),
                                                record_id=headers.get_header("WARC-Record-ID")))
        except WarcError as e:
            raise WarcError(f"{path}: record {n}: {e}; nothing was imported") from None
        except (ArchiveLoadFailed, EOFError, OSError, ValueError, AttributeError, IndexError) as e:
            raise WarcError(f"{path} is not a readable WARC file (record {n}: {type(e).__name__}: {e}); "
                            "nothing was imported") from None
    if n == 0:
        raise WarcError(f"{path} holds no WARC records; nothing was imported")
    for c in archive.captures:
        c.site = sites.get(c.record_id)
    archive.captures.sort(key=lambda c: c.fetched_at)          # stable: records of one second keep their order
    return archive


def _note_site(rec, sites: dict) -> None:
    """A marsad metadata record names the site of the response it refers to (read, never trusted for more)."""
    target = rec.rec_headers.get_header("WARC-Refers-To") or rec.rec_headers.get_header("WARC-Concurrent-To")
    raw = rec.content_stream().read()
    try:
        data = json.loads(raw.decode("utf-8")).get(METADATA_KEY) or {}
    except (UnicodeDecodeError, ValueError, AttributeError):
        return
    if target and isinstance(data, dict) and isinstance(data.get("site"), str):
        sites[target] = data["site"]
