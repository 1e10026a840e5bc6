# kdwars — two commands: `make` (set up, build tables, execute notebooks) and `make test`.
# Layout after cookiecutter-data-science: data/raw (immutable input) -> data/processed
# (derived, committed) -> notebooks (executed, committed with outputs) -> reports/figures.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb))
RAW    := $(shell find data/raw -type f -name '*.yaml' 2>/dev/null)
SRC    := $(shell find src/kdwars -name '*.py' 2>/dev/null)

.DEFAULT_GOAL := all
.PHONY: all install data notebooks test test-fast lab bench validate clean help

all: install data notebooks ## set up .venv, install, build tables, execute every notebook

help:
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[notebooks,test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (kdwars)" >/dev/null
	touch $@

install: $(VENV)/.installed ## create .venv and install the package with its dependencies

data: data/processed/events.csv ## build data/processed from data/raw

data/processed/events.csv: $(RAW) $(SRC) $(VENV)/.installed
	$(BIN)/kdwars build

validate: install ## check data/raw without writing anything
	$(BIN)/kdwars validate

notebooks: data ## execute every notebook in place in a fresh kernel (outputs committed)
	env -u MPLBACKEND $(BIN)/python scripts/run_notebooks.py $(NOTEBOOKS)

test: all ## run the whole test suite (notebooks, browser, install, hostile input)
	env -u MPLBACKEND $(BIN)/python -m pytest

test-fast: install ## the suite without notebooks, browser and install tests
	$(BIN)/python -m pytest -m "not slow and not browser"

lab: install ## open JupyterLab on the notebooks
	$(BIN)/jupyter lab notebooks/

bench: all ## time the build, loaders, import and notebooks against their floor
	env -u MPLBACKEND $(BIN)/python scripts/bench.py

clean: ## remove the virtual environment and caches (keeps committed outputs)
	rm -rf $(VENV) .pytest_cache .hypothesis build dist src/*.egg-info
