# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# The address e-mail links start with: where `make run` serves, unless BASE_URL is given (e.g. behind a proxy).
BASE_URL ?= http://$(if $(filter 0.0.0.0 ::,$(HOST)),$(shell hostname),$(HOST)):$(PORT)
export FLASK_APP := wsgi

.PHONY: run test lint test-sqlite test-postgres install install-dev translations extract-messages bench load screenshots audit clean extract-eval extract-speed extract-cv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed translations
install-dev: $(VENV)/.installed-dev translations node_modules/axe-core/axe.min.js

# axe-core (accessibility checks of tests/e2e), pinned by package-lock.json; needs node and npm.
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Compile the message catalogues (.po -> .mo); the .mo files are build output.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d tracker/translations

# Refresh the catalogues from the source after changing user-facing text. pybabel skips folders named
# _* by default (templates/_macros, _partials): --ignore-dirs replaces that default.
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o tracker/translations/messages.pot --no-location --sort-output \
		--ignore-dirs ".* node_modules __pycache__" .
	$(BIN)/pybabel update -i tracker/translations/messages.pot -d tracker/translations --no-fuzzy-matching --ignore-obsolete

run: install
	@if [ ! -f instance/tracker.db ] && [ -z "$$DATABASE_URL" ]; then \
		$(BIN)/flask init-db --demo; \
	else \
		$(BIN)/flask init-db; \
	fi
	@$(BIN)/flask demo-logins
	HOST=$(HOST) PORT=$(PORT) BASE_URL="$(BASE_URL)" $(BIN)/flask serve

# The layers (pyproject.toml, [tool.importlinter]), then the whole suite on SQLite and, when
# TEST_DATABASE_URL is set, on PostgreSQL at the same time (two processes; each run's output is printed
# whole when it ends, and either failing fails `make test`).
test: install-dev
	$(MAKE) --no-print-directory lint
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres; \
	else $(MAKE) --no-print-directory test-sqlite; \
		echo "TEST_DATABASE_URL is not set: the PostgreSQL run was skipped."; fi

# rules import nothing of the web, services no Flask, no blueprint imports another, no import cycle.
lint:
	PYTHONPATH=. $(BIN)/lint-imports --no-cache

test-sqlite:
	env -u TEST_DATABASE_URL $(BIN)/pytest -q

test-postgres:
	$(BIN)/pytest -q -m "not sqlite_only and not browser"

# PNGs of the main pages from the demo data into docs/screenshots/ (README shows them); needs Debian's chromium.
screenshots: install-dev
	$(BIN)/python tools/screenshots.py

bench: install-dev
	$(BIN)/python bench/run

load: install-dev  # gunicorn with 2 and 4 workers under a bounded load (needs the data of make bench)
	$(BIN)/python bench/load

# Known vulnerabilities in the pinned requirements fail, unless audit-ignore.txt gives the reason;
# an unreachable vulnerability service is reported as inconclusive (AUDIT_STRICT=1 makes it fail).
audit: install-dev
	$(BIN)/python .ci/audit.py

extract-eval: install  # the conclusion assistant's quality on tests/data/conclusions (per kind, dev and held-out)
	$(BIN)/python bench/extract_quality.py

extract-cv: install  # leave-one-batch-out: the rules alone and with a learned second opinion, per batch of the set
	$(BIN)/python bench/extract_cv.py --as-of --honest

extract-speed: install  # the conclusion assistant on a 20,000-character notice (median of repeated runs)
	$(BIN)/python bench/extract_speed.py

clean:
	rm -rf $(VENV) .pytest_cache
