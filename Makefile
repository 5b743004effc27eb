# make test: lint, type-check and the whole test suite (PostgreSQL and chromium included).
# make demo: the patrol on the bundled sample data, offline.
# Both create .venv and install what they need.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test demo lint typecheck unit bench clean postgres

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check netpatrol tests benchmarks scripts
	$(BIN)/ruff format --check netpatrol tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest -q

test: $(STAMP)
	./scripts/with-postgres.sh ./scripts/with-chromium.sh $(MAKE) --no-print-directory lint typecheck unit

demo: $(STAMP)
	$(BIN)/netpatrol demo netpatrol-demo

bench: $(STAMP)
	$(BIN)/python benchmarks/ingest.py

clean:
	rm -rf $(VENV) netpatrol-demo .pgdata
