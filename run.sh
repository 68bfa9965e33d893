#!/usr/bin/env bash
# One entry point for a fresh machine: installs into ./.venv, then
#   bash run.sh        build the invented sample documents into ./kg-samples (a store of their own, never
#                      mixed with real figures) and serve it on http://127.0.0.1:8000/sparql
#   bash run.sh test   run the whole test suite
set -euo pipefail
cd "$(dirname "$0")"
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ] || [ pyproject.toml -nt .venv/.installed ]; then
  "$PY" -m venv .venv
  .venv/bin/python -m pip install -q -e ".[test]"
  touch .venv/.installed
fi
# the query page's editor (npm @zazuko/yasgui, pinned and checked), vendored into graph/static/yasgui/;
# without npm or network the server still starts and the page offers the plain query form
bash tools/vendor_yasgui.sh || echo "run.sh: YASGUI not vendored; /query falls back to the plain form" >&2
case "${1:-serve}" in
  test)
    shift || true
    # the page tests drive a real headless Chromium (Debian's package)
    if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
      apt-get install -y -q chromium >/dev/null 2>&1 \
        || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1; } || true
    fi
    # tests/test_virtuoso.py starts a real Virtuoso (Debian's package; about 6 s to install)
    if ! command -v virtuoso-t >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q virtuoso-opensource >/dev/null 2>&1 \
        || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q virtuoso-opensource >/dev/null 2>&1; } || true
    fi
    exec .venv/bin/python -m pytest -q "$@" ;;
  serve)
    .venv/bin/budgetkg build samples --store kg-samples
    exec .venv/bin/budgetkg serve kg-samples --host 127.0.0.1 --port "${PORT:-8000}" ;;
  *)
    echo "usage: bash run.sh [serve|test]" >&2; exit 2 ;;
esac
