"""The raw HTML kept with each version, compressed: zstd for new rows, zlib rows of older databases still read.

Why zstd at level 6: measured on 395 pages of ../shared/corpora (162 KB each on average), level 6 keeps
18.7% of the bytes at 1.4 CPU ms a page, where zlib (marsad's old format) kept 20.2% at 3.0 ms; level 9
keeps 18.3% for 2.2 ms and level 19 17.4% for 52 ms (README.md, "Size", has the table).
A shared dictionary trained on HTML saved another 2-6% on held-out pages, but it would have to ship
fragments of the corpus pages inside marsad and stay byte-identical for ever to read old rows: not taken.

The format marker is each codec's own header: a zstd frame starts with 28 b5 2f fd, a zlib stream with
a CMF/FLG pair (0x78 .., divisible by 31), so no extra byte is stored and old rows need no rewrite.
"""
from __future__ import annotations

import zlib

try:                                    # Python >= 3.14
    from compression import zstd
except ImportError:                     # declared in pyproject.toml for older Pythons
    from backports import zstd

LEVEL = 6
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def pack(html: bytes) -> bytes:
    """Compress a fetched page for versions.raw_html."""
    return zstd.compress(html, level=LEVEL)


def _is_zlib(blob: bytes) -> bool:
    return len(blob) >= 2 and blob[0] & 0x0F == 8 and blob[0] >> 4 <= 7 and (blob[0] << 8 | blob[1]) % 31 == 0


def unpack(blob: bytes) -> bytes:
    """The page as fetched, from a zstd blob (written now) or a zlib blob (written by marsad before v7)."""
    blob = bytes(blob)
    if blob[:4] == ZSTD_MAGIC:
        return zstd.decompress(blob)
    if _is_zlib(blob):
        return zlib.decompress(blob)
    raise ValueError(f"raw_html is neither zstd nor zlib data (starts with {blob[:4].hex(' ')})")
