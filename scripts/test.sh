#!/usr/bin/env bash
# The whole test run: lint, migration and translation checks, then pytest on SQLite and on a
# throwaway PostgreSQL. Exits non-zero on the first failure. Called by `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_ALLOW_ASYNC_UNSAFE=true   # Playwright's sync API runs an event loop in-thread
export PYTHONDONTWRITEBYTECODE=1
unset DATABASE_URL REDIS_URL

# pytest runs in one process per CPU (pytest-xdist); PYTEST_WORKERS=0 runs it in this process.
WORKERS=(-n "${PYTEST_WORKERS:-auto}")

step() { printf '\n=== %s ===\n' "$*"; }
mkdir -p var/mail var/static

step "ruff"
$BIN/ruff check .
$BIN/ruff format --check .
step "djLint"
$BIN/djlint --lint templates
step "mypy"
$BIN/mypy
step "migrations are up to date"
$BIN/python manage.py makemigrations --check --dry-run
step "Polish catalogue complete and compiled"
$BIN/python scripts/check_translations.py

step "pytest on SQLite"
$BIN/python -m pytest "${WORKERS[@]}" "$@"

step "pytest on PostgreSQL"
# shellcheck source=scripts/services.sh
source scripts/services.sh
trap pg_stop EXIT
pg_start
echo "PostgreSQL on $DATABASE_URL"
$BIN/python -m pytest "${WORKERS[@]}" "$@"
