"""Bounded memo caches for the pure functions of text (a sentence's key, the figures it states).

A daemon sees the same sentences again and again (the previous version's text, a recrawled page whose
article did not move), and these functions are pure, so their answers can be kept. Each cache is an
`lru_cache` with a fixed size, so memory stays bounded however long the process runs; `clear_caches()`
empties them all (benchmarks time a cold call with it; tests use it to check a cached answer equals a
fresh one). Tables built once from data (cue words, patterns) are not registered here: they are not
per-input and are meant to last.
"""
from __future__ import annotations

from functools import lru_cache

_REGISTRY: list = []


def text_cache(maxsize: int):
    """lru_cache(maxsize) that clear_caches() also empties."""
    def wrap(fn):
        cached = lru_cache(maxsize=maxsize)(fn)
        _REGISTRY.append(cached)
        return cached
    return wrap


def clear_caches() -> None:
    for cached in _REGISTRY:
        cached.cache_clear()


def cache_info() -> dict[str, object]:
    """Hits, misses and size of each registered cache, by function name (for profiling)."""
    return {f"{c.__module__}.{c.__qualname__}": c.cache_info() for c in _REGISTRY}
