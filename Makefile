# The two commands of the README. Both create or refresh .venv from the pinned versions first
# (with the corpuskit command, installed from src/ in editable mode).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check --quiet

.PHONY: dataset test test-all lint ray clean-venv

dataset: $(VENV)/.runtime-installed
	$(VENV)/bin/corpuskit build --seeds seeds --out dist
	cp dist/DATASHEET.md DATASHEET.md

# The fast suite (a few minutes on 2 cores): everything but the tests marked slow.
test: $(VENV)/.dev-installed
	$(PY) -m pytest

# The whole suite, slow tests included: what CI (.ci/run) runs.
test-all: $(VENV)/.dev-installed
	$(PY) -m pytest -m "slow or not slow"

# Ray, for `build --engine ray` (README, "Building on a cluster"); make dataset and make test do
# without it. .ci/run installs it, so that the suite's Ray tests run there.
ray: $(VENV)/.ray-installed

lint: $(VENV)/.dev-installed
	$(PY) -m ruff check src tests benchmarks build_dataset.py
	$(PY) -m ruff format --check src tests benchmarks build_dataset.py
	$(PY) -m mypy

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 13) else "Python 3.11 to 3.13 is required, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

# Refreshed whenever a pin or the project's metadata changes (the version is in __init__.py).
$(VENV)/.runtime-installed: $(VENV)/bin/python requirements/runtime.txt pyproject.toml src/corpuskit/__init__.py
	$(PIP) install -r requirements/runtime.txt
	$(PIP) install --no-deps -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.runtime-installed requirements/test.txt requirements/dev.txt
	$(PIP) install -r requirements/dev.txt
	touch $@

$(VENV)/.ray-installed: $(VENV)/.runtime-installed requirements/ray.txt
	$(PIP) install -r requirements/ray.txt
	$(PY) -m pip check
	touch $@

clean-venv:
	rm -rf $(VENV)
