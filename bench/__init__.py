"""Benchmarks: run by command, reported in the README; never timing assertions in tests."""
