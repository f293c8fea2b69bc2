# Parcours: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
QC_SDG_VERSION := 1.5.1
VENDOR := static/vendor/qc-trousse-sdg
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := app

.PHONY: run test install install-test vendor translations chromium wrk bench clean

run: install vendor translations
	mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask journeys load
	$(BIN)/flask assets build
	$(BIN)/flask run-all --host $(HOST) --port $(PORT)

test: install-test vendor translations chromium
	bash tests/run.sh

# About twelve minutes: the engine, HTTP against hello-world (sync and gthread), deliveries with
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

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

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

# bench/http.py's load generator (it falls back to a slower Python client without it).
wrk:
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; }

clean:
	rm -rf $(VENV) static/vendor .pytest_cache .coverage
