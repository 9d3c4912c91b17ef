# Two entry points for a fresh machine with Python, pip and make:
#   make demo   installs everything and runs the bundled example end to end
#   make test   installs everything and runs the whole test suite
#   make test-fast  the inner loop: every test that needs no browser, no notebook run and no
#                   report build (under 2 minutes)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install demo test test-fast lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,scale]'
	touch $@

install: $(BIN)/.installed

demo: install
	$(BIN)/maturity demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check maturity value_chain tests benchmarks

test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

FAST := not browser and not notebook and not report and not slow

test-fast: install
	$(BIN)/python -m pytest -q -m "$(FAST)"

bench: install
	for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info test-artifacts
