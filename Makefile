# kdwars — two commands: `make` (set up, build tables, execute notebooks) and `make test`.
# Layout after cookiecutter-data-science: data/raw (immutable input) -> data/processed
# (derived, committed) -> notebooks (executed, committed with outputs) -> reports/figures.
#
# A second `make` does nothing new in seconds: the install, the build and each notebook
# are redone only when their inputs changed (stamp files in .venv/stamps; a notebook's
# stamp hashes the notebook itself, data/processed, src/kdwars, ... — see
# scripts/run_notebooks.py). `make test` executes each notebook once, here, and the
# notebook tests compare those fresh outputs with the committed ones.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMPS := $(VENV)/stamps
# The Jupyter kernel the notebooks are executed in, saved with and opened under
# (scripts/run_notebooks.py and the committed notebooks name the same kernelspec).
KERNEL         := kdwars
KERNEL_DISPLAY := Python 3 (kdwars)
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb))
RAW    := $(shell find data/raw -type f -name '*.yaml' 2>/dev/null)
SRC    := $(shell find src/kdwars -name '*.py' 2>/dev/null)
# As root (containers, CI machines) JupyterLab refuses to start without --allow-root,
# and there is no desktop browser to open.
LAB_ARGS ?= $(if $(filter 0,$(shell id -u)),--allow-root --no-browser,)

.DEFAULT_GOAL := all
.PHONY: all install data notebooks test test-fast lint lab bench validate clean help

all: install data notebooks ## set up .venv, install, build tables, execute the notebooks whose inputs changed

help:
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[all]"
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "$(KERNEL_DISPLAY)" >/dev/null
	touch $@

install: $(VENV)/.installed ## create .venv and install the package with every extra (see README)

data: $(STAMPS)/data ## build data/processed from data/raw (when data/raw or src changed)

$(STAMPS)/data: $(RAW) $(SRC) $(VENV)/.installed
	$(BIN)/kdwars build
	@mkdir -p $(@D) && touch $@

validate: install ## check data/raw without writing anything
	$(BIN)/kdwars validate

notebooks: data ## execute, in place, each notebook whose content or inputs changed (outputs committed)
	env -u MPLBACKEND $(BIN)/python scripts/run_notebooks.py --stamps $(STAMPS) $(NOTEBOOKS)

lint: install ## ruff check (rules in pyproject.toml)
	$(BIN)/ruff check .

# The notebook tests read the stamps: a notebook this `make` executed (or found current)
# is not executed a second time; its outputs are compared with the committed ones.
test: lint all ## lint, `make`, then the whole test suite (browser tests need chromium)
	env -u MPLBACKEND KDWARS_NOTEBOOK_STAMPS=$(abspath $(STAMPS)) $(BIN)/python -m pytest

test-fast: install ## the suite without notebooks, browser and install tests
	$(BIN)/python -m pytest -m "not slow and not browser"

lab: install ## open JupyterLab on the notebooks (prints the URL to open)
	@echo "Starting JupyterLab on notebooks/ — open the http://localhost:...?token=... URL it prints below."
	$(BIN)/jupyter lab --config=scripts/jupyter_lab_config.py $(LAB_ARGS) notebooks/

bench: all ## time the build, loaders, import and notebooks against their floor
	env -u MPLBACKEND $(BIN)/python scripts/bench.py

clean: ## remove the virtual environment, stamps and caches (keeps committed outputs)
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache build dist src/*.egg-info
