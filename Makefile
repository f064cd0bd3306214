PORT ?= 8000
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test lint format install lock clean screenshots

## make install: the venv with exactly the locked versions (every file's hash checked)
$(VENV)/.installed-dev: requirements.txt requirements-dev.txt requirements-bootstrap.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements-bootstrap.txt
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@

# The outside validators the browser tests run (package.json: the Nu HTML checker, which
# needs Java, and Lighthouse, which needs Node.js). Without npm the tests say what is missing.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && touch $@; \
	else echo "npm not found: the HTML checker and Lighthouse tests will not run"; fi

install: $(VENV)/.installed-dev node_modules/.installed

## make lock: compile requirements*.in into the hashed requirements*.txt (after editing a .in)
UV_COMPILE := $(VENV)/bin/uv pip compile --quiet --generate-hashes --python-version 3.11 \
	--custom-compile-command "make lock"
lock: install
	$(UV_COMPILE) --output-file requirements.txt requirements.in
	$(UV_COMPILE) --output-file requirements-dev.txt requirements-dev.in

## make run: install, migrate, load the demo data once, serve on http://127.0.0.1:$(PORT)
## (with django-debug-toolbar: DJANGO_DEBUG_TOOLBAR=1, see forum/settings.py)
run: install
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py load_demo
	@echo "E-mails the site sends: http://127.0.0.1:$(PORT)/dev/outbox/ (files in artifacts/outbox/)"
	DJANGO_DEBUG=1 DJANGO_DEBUG_TOOLBAR=1 DJANGO_DEV_OUTBOX=1 DJANGO_LOG_FORMAT=text \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

## make screenshots: the README tour's PNGs (docs/screenshots/), from the demo data
screenshots: install
	$(PY) scripts/screenshots.py

## make test: lint, migration and deploy checks, the suite on PostgreSQL and on SQLite
test: install
	bash scripts/test.sh $(PYTEST_ARGS)

## make lint: the linters of scripts/test.sh, without the tests
lint: install
	bash scripts/test.sh --lint-only

## make format: every formatter, in place (idempotent: a second run changes nothing)
format: install
	bash scripts/test.sh --format

clean:
	rm -rf $(VENV) staticfiles .pytest_cache node_modules
