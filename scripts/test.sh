#!/usr/bin/env bash
# The whole check, as `make test` runs it: lint, migrations, deploy check, then the
# test suite on PostgreSQL (a throwaway server) and on SQLite. The browser tests and the
# system tests (which start their own PostgreSQL, Redis and gunicorn) do not depend on
# the suite's database, so they run once, in the SQLite run.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
status=0

step() { printf '\n==> %s\n' "$*"; }

step "ruff"
.venv/bin/ruff check . || status=1
.venv/bin/ruff format --check . || status=1

step "lint-imports (the layers contract in pyproject.toml)"
.venv/bin/lint-imports || status=1

step "makemigrations --check"
DJANGO_DEBUG=1 $PY manage.py makemigrations --check --dry-run || status=1

step "check --deploy with production settings"
# No REDIS_URL: the database cache, the default. A mail server is required with debug off.
env -u REDIS_URL DJANGO_DEBUG=0 DJANGO_SECRET_KEY="$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')" \
  DJANGO_ALLOWED_HOSTS=forum.example.org EMAIL_URL=smtp://mail.example.org:587 \
  $PY manage.py check --deploy --fail-level WARNING || status=1

if [ -x "$PGBIN/initdb" ]; then
  pgdir=$(mktemp -d /tmp/forum-testpg.XXXXXX)
  port=${TEST_PG_PORT:-$((20000 + RANDOM % 20000))}
  trap 'scripts/testpg.sh stop "$pgdir"' EXIT
  step "starting a throwaway PostgreSQL on 127.0.0.1:$port"
  if scripts/testpg.sh start "$pgdir" "$port"; then
    step "pytest on PostgreSQL"
    DATABASE_URL="postgres://postgres@127.0.0.1:$port/forum" \
      $PY -m pytest -m "not browser and not system" "$@" || status=1
  else
    echo "PostgreSQL failed to start:"; cat "$pgdir"/*.log 2>/dev/null | tail -20
    status=1
  fi
else
  echo "SKIPPED: the PostgreSQL test run (no $PGBIN/initdb; install it with: apt-get install -y postgresql-15)"
  if [ "${REQUIRE_POSTGRES:-0}" = 1 ]; then
    echo "REQUIRE_POSTGRES=1: a missing PostgreSQL is a failure."
    status=1
  fi
fi

step "pytest on SQLite, with the browser and system tests"
env -u DATABASE_URL $PY -m pytest "$@" || status=1

if [ $status -eq 0 ]; then step "all checks passed"; else step "SOME CHECKS FAILED"; fi
exit $status
