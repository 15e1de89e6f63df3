#!/usr/bin/env bash
# The peers benchmark: urlwatch and changedetection.io check the same N local pages as marsad.
#
#   bench/peers/run.sh [N]          N pages (default 500); prints a markdown table, keeps a JSON file
#
# Creates its own virtual environments under a temporary directory (never in the repository), installs
# urlwatch and changedetection.io there with pip, then runs bench/peers/peers.py with marsad's venv:
# a page server on 127.0.0.1 (bench/pageserver.py), urlwatch (first check, re-check), changedetection.io
# (an empty datastore, watches added and re-checked through its REST API) and marsad's own throughput
# benchmark at the same N. When `unshare` can make a network namespace (root), the measurement runs in
# one that has only the loopback interface: nothing can leave the machine, whatever a tool tries.
# Not a test and not part of CI: it takes minutes and downloads the peers from PyPI.
#
# Environment: PYTHON (for the peers' venvs, default python3), MARSAD_PY (default .venv/bin/python),
# KEEP=1 keeps the temporary directory (logs, datastores, the JSON results).
set -euo pipefail

N="${1:-500}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PY="${PYTHON:-python3}"
MARSAD_PY="${MARSAD_PY:-$ROOT/.venv/bin/python}"
URLWATCH_VERSION="2.29"
CHANGEDETECTION_VERSION="0.60.10"
WORK="$(mktemp -d -t marsad-peers-XXXXXX)"
cleanup() { if [ "${KEEP:-0}" = "1" ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi; }
trap cleanup EXIT

echo "installing urlwatch $URLWATCH_VERSION and changedetection.io $CHANGEDETECTION_VERSION under $WORK" >&2
"$PY" -m venv "$WORK/venv-urlwatch"
"$WORK/venv-urlwatch/bin/pip" install --quiet "urlwatch==$URLWATCH_VERSION" > "$WORK/urlwatch-install.log" 2>&1

CD_ARGS=()
"$PY" -m venv "$WORK/venv-changedetection"
if "$WORK/venv-changedetection/bin/pip" install --quiet "changedetection.io==$CHANGEDETECTION_VERSION" \
        > "$WORK/changedetection-install.log" 2>&1; then
    CD_ARGS=(--changedetection "$WORK/venv-changedetection/bin/changedetection.io")
else
    why="pip install changedetection.io==$CHANGEDETECTION_VERSION failed: $(grep -v '^WARNING' "$WORK/changedetection-install.log" | tail -n 1)"
    echo "$why" >&2
    CD_ARGS=(--changedetection-missing "$why")
fi

RUN=("$MARSAD_PY" -m bench.peers.peers --pages "$N" --work "$WORK" --json "$WORK/peers.json"
     --urlwatch "$WORK/venv-urlwatch/bin/urlwatch" "${CD_ARGS[@]}")
cd "$ROOT"
if unshare -n true 2>/dev/null; then
    unshare -n sh -c 'ip link set lo up && exec "$@"' sh "${RUN[@]}" --isolated "yes (unshare -n, lo only)"
else
    echo "warning: cannot make a network namespace (unshare -n); running on the host network" >&2
    "${RUN[@]}" --isolated "no (the watches and the server are on 127.0.0.1 only)"
fi
cp "$WORK/peers.json" "${RESULTS:-/tmp/marsad-peers-$N.json}"
echo "results: ${RESULTS:-/tmp/marsad-peers-$N.json}" >&2
