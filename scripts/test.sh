#!/usr/bin/env bash
# The whole check, as `make test` runs it: lint, migrations, deploy check, then the
# test suite on PostgreSQL (a throwaway server) and on SQLite. The browser tests and the
# system tests (which start their own PostgreSQL, Redis and gunicorn) do not depend on
# the suite's database, so they run once, in the SQLite run.
#
# `scripts/test.sh --lint-only` (make lint) stops after the linters; `scripts/test.sh
# --format` (make format) rewrites the files in place with django-upgrade, ruff and djade
# instead of checking them.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
BIN=.venv/bin
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
status=0

step() { printf '\n==> %s\n' "$*"; }
# Tracked and new (not ignored) files, NUL-separated: the Python files, and the Django
# templates (templates/jinja2/ holds Jinja2 templates, which djade does not parse).
python_files() { git ls-files -z --cached --others --exclude-standard -- '*.py'; }
django_templates() {
  git ls-files -z --cached --others --exclude-standard -- 'templates/*.html' ':!:templates/jinja2/*'
}
# Seconds since the start of a step, for its closing line.
timed() {
  local start=$SECONDS name=$1
  shift
  "$@" || status=1
  printf '(%s: %ss)\n' "$name" $((SECONDS - start))
}

if [ "${1:-}" = --format ]; then
  # django-upgrade first: ruff then formats what it rewrote. Each exits non-zero when it
  # changed a file, which is what they are run for here.
  python_files | xargs -0 -r $BIN/django-upgrade --target-version 5.2
  $BIN/ruff check --fix --quiet . || status=1
  $BIN/ruff format --quiet .
  django_templates | xargs -0 -r $BIN/djade --target-version 5.2
  exit $status  # ruff's errors that --fix cannot fix
fi
lint_only=0
if [ "${1:-}" = --lint-only ]; then lint_only=1; shift; fi

step "ruff"
$BIN/ruff check . || status=1
$BIN/ruff format --check . || status=1

step "django-upgrade --target-version 5.2 (check: lists the files it would rewrite)"
django_upgrade_check() {
  # django-upgrade has no check mode: it rewrites files in place and exits 1 when it
  # did ("Rewriting ./path" for each). It runs on a copy, so the working tree is kept.
  local copy rc=0
  copy=$(mktemp -d /tmp/forum-django-upgrade.XXXXXX)
  python_files | xargs -0 -r cp --parents -t "$copy"
  (cd "$copy" && find . -name '*.py' -print0 \
    | xargs -0 -r "$OLDPWD/$BIN/django-upgrade" --target-version 5.2) || rc=1
  rm -rf "$copy"
  [ $rc -eq 0 ] || echo "django-upgrade would rewrite the files above: run make format"
  return $rc
}
timed django-upgrade django_upgrade_check

step "djade --check (Django templates)"
djade_check() { django_templates | xargs -0 -r $BIN/djade --check --target-version 5.2; }
timed djade djade_check

step "mypy (the modules listed in pyproject.toml)"
timed mypy env DJANGO_DEBUG=1 $BIN/mypy

step "lint-imports (the layers contracts in pyproject.toml)"
timed lint-imports $BIN/lint-imports

if [ $lint_only = 1 ]; then
  if [ $status -eq 0 ]; then step "all linters passed"; else step "SOME LINTERS FAILED"; fi
  exit $status
fi

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

step "pytest on SQLite, with the browser and system tests, and coverage"
# The floor is just under the figure this run measured when it was set (93.47% of
# 5,023 statements, on 2026-12-02): raise it as tests are added, never lower it to make a
# change pass. The system tests' gunicorn processes are not measured.
COVERAGE_FLOOR=${COVERAGE_FLOOR:-93}
if [ $# -gt 0 ]; then
  echo "(pytest arguments given, so maybe part of the suite: coverage reported, floor not applied)"
  COVERAGE_FLOOR=0
fi
env -u DATABASE_URL $PY -m pytest --cov --cov-report=term --cov-fail-under="$COVERAGE_FLOOR" \
  "$@" || status=1

if [ $status -eq 0 ]; then step "all checks passed"; else step "SOME CHECKS FAILED"; fi
exit $status
