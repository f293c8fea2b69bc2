#!/usr/bin/env bash
# Runs the whole suite with coverage; the journey engine must stay at >= 95 % line coverage.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
"$BIN"/python -m pytest --cov=app --cov-report=term "$@"
"$BIN"/python -m coverage report --include='app/journeys/*' --fail-under=95
