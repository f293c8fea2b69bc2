# Parcours: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
QC_SDG_VERSION := 1.5.1
VNU_VERSION := 26.9.27
VENDOR := static/vendor/qc-trousse-sdg
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := app
# The dev commands below run in development mode (generated secrets in instance/). Anything else
# that starts Parcours without PARCOURS_ENV and without debug is production (README,
# "Production configuration"), and refuses to start without its secrets.
export PARCOURS_ENV ?= development
# Exact versions with hashes (requirements/*.lock), refreshed by `make lock`.
APP_LOCK := requirements/app.lock
TEST_LOCK := requirements/test.lock
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --generate-hashes --universal --python-version 3.11 --quiet

.PHONY: run test test-postgres install install-test lock vendor translations chromium fonts vnu wrk bench clean

run: install vendor translations fonts
	mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask journeys load
	$(BIN)/flask assets build
	$(BIN)/flask run-all --host $(HOST) --port $(PORT)

test: install-test vendor translations chromium fonts vnu
	bash tests/run.sh

# The same suite (browser tests aside) on a throw-away PostgreSQL database (PARCOURS_TEST_POSTGRES_URL
# names the server; 127.0.0.1:5432, user postgres by default).
test-postgres: install-test vendor translations
	PARCOURS_TEST_DATABASE=postgres $(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

# About fifteen minutes: the engine, HTTP against hello-world (sync and gthread), deliveries with
# 1/2/4 workers (30 s each) and three minutes of moving day under locust; all need PostgreSQL.
bench: install-test vendor translations wrk
	$(BIN)/python -c "import locust" 2>/dev/null || $(BIN)/pip install -q -e '.[test,bench]'
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/http.py
	$(BIN)/python bench/deliveries.py
	$(BIN)/python bench/moving_day.py

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(APP_LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r $(APP_LOCK)
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(VENV)/.installed-test: $(TEST_LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r $(TEST_LOCK)
	$(BIN)/pip install -q --no-deps -e .
	touch $@ $(VENV)/.installed

# Refresh both lock files from pyproject.toml (newest versions allowed by it), then `make install-test`.
lock: | $(BIN)/python
	$(BIN)/pip install -q uv
	$(UV_COMPILE) -o $(APP_LOCK)
	$(UV_COMPILE) --extra test -o $(TEST_LOCK)

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# The Québec design system kit comes from the npm registry, never from git.
vendor: $(VENDOR)/.version-$(QC_SDG_VERSION)
$(VENDOR)/.version-$(QC_SDG_VERSION):
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)
	tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent qc-trousse-sdg@$(QC_SDG_VERSION) >/dev/null \
	  && tar xzf qc-trousse-sdg-$(QC_SDG_VERSION).tgz && cp -r package/dist/. $(CURDIR)/$(VENDOR)/ \
	  && cp package/LICENSE* $(CURDIR)/$(VENDOR)/ 2>/dev/null; rm -rf $$tmp
	touch $@

translations: install
	@for dir in translations/*/; do \
	  if ls $$dir*/LC_MESSAGES/messages.po >/dev/null 2>&1; then $(BIN)/pybabel -q compile -d $$dir || exit 1; fi; \
	done

chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium; }

# The W3C Nu HTML checker (tests/runner/test_html_valid.py), from the npm registry; never committed.
vnu: $(VENV)/vnu/.version-$(VNU_VERSION)
$(VENV)/vnu/.version-$(VNU_VERSION): | $(BIN)/python
	@command -v java >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq default-jre-headless; }
	rm -rf $(VENV)/vnu && mkdir -p $(VENV)/vnu
	tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent vnu-jar@$(VNU_VERSION) >/dev/null \
	  && tar xzf vnu-jar-$(VNU_VERSION).tgz && cp package/build/dist/vnu.jar $(CURDIR)/$(VENV)/vnu/vnu.jar; rm -rf $$tmp
	touch $@

# The PDF forms' fonts (app/forms/pdf_fonts.py): Noto Sans (Latin, Greek, Cyrillic) and Noto Sans CJK.
fonts:
	@fc-list 2>/dev/null | grep -q NotoSansCJK && fc-list | grep -q NotoSans-Regular \
	  || { apt-get update -qq && apt-get install -y -qq fonts-noto-core fonts-noto-cjk fonts-dejavu-core; }

# bench/http.py's load generator (it falls back to a slower Python client without it).
wrk:
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; }

clean:
	rm -rf $(VENV) static/vendor .pytest_cache .coverage
