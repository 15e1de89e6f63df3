"""Measuring a benchmark subject as a whole process tree: wall time, CPU seconds and peak memory.

CPU comes from getrusage(RUSAGE_CHILDREN) around the run, which counts the child and every descendant it
waited for (a worker pool it joined), checked against the tree's own /proc counters sampled while it
runs (the larger wins: a pool killed without being waited for is still counted up to its last sample).
ru_maxrss is useless here (one maximum over all children ever), so the tree's resident memory (the sum of
VmRSS over the process and its descendants) is sampled every `poll` seconds and its peak kept.
"""
from __future__ import annotations

import os
import resource
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    argv: list
    returncode: int
    wall: float            # seconds, the whole process from spawn to exit
    cpu: float             # user + system seconds of the process tree
    peak_rss_kb: int       # peak of the tree's summed VmRSS
    stdout: str
    stderr: str


def children(pid: int) -> list[int]:
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                out += [int(c) for c in Path(f"/proc/{pid}/task/{tid}/children").read_text().split()]
            except OSError:
                pass
    except OSError:
        pass
    return out


def tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo += children(p)
    return pids


def status_kb(pid: int, key: str = "VmRSS") -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(pid: int) -> int:
    return sum(status_kb(p) for p in tree(pid))


def _cpu_of(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS        # utime, stime
    except (OSError, IndexError, ValueError):
        return 0.0


def tree_cpu(pid: int) -> float:
    return sum(_cpu_of(p) for p in tree(pid))


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(argv, cwd=None, env=None, timeout: float = 3600, poll: float = 0.1, out_dir: Path | None = None) -> Run:
    """Run argv to completion, measuring it. stdout/stderr go to files (never a full pipe), then are read."""
    import tempfile
    d = Path(out_dir or tempfile.mkdtemp(prefix="marsad-bench-"))
    d.mkdir(parents=True, exist_ok=True)
    so, se = d / f"run-{time.monotonic_ns()}.out", d / f"run-{time.monotonic_ns()}.err"
    cpu0 = _children_cpu()
    t0 = time.monotonic()
    with open(so, "wb") as fo, open(se, "wb") as fe:
        proc = subprocess.Popen([str(a) for a in argv], cwd=cwd, env=env, stdout=fo, stderr=fe)
        peak, sampled_cpu = 0, 0.0
        try:
            while proc.poll() is None:
                peak = max(peak, tree_rss_kb(proc.pid))
                sampled_cpu = max(sampled_cpu, tree_cpu(proc.pid))
                if time.monotonic() - t0 > timeout:
                    proc.kill()
                time.sleep(poll)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
    wall = time.monotonic() - t0
    cpu = max(_children_cpu() - cpu0, sampled_cpu)
    return Run([str(a) for a in argv], proc.returncode, wall, cpu, peak,
               so.read_text(errors="replace"), se.read_text(errors="replace"))


def machine() -> dict:
    """What the README states about the machine a benchmark ran on."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    total = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                total = int(line.split()[1])
    except OSError:
        pass
    import platform
    return {"nproc": os.cpu_count(), "cpu": model or platform.processor() or "unknown",
            "memory_gib": round(total / 1024 / 1024, 1), "python": platform.python_version()}
