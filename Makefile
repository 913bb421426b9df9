# Two entry points for a fresh machine: `make report` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: report test peers lint bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# the peers pin pandas < 3, so they get a virtual environment of their own
BENCH_VENV ?= .venv-bench
$(BENCH_VENV)/.installed:
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/pip install --quiet -e '.[bench]'
	touch $@

$(BENCH_VENV)/.installed-test: $(BENCH_VENV)/.installed
	$(BENCH_VENV)/bin/pip install --quiet -e '.[bench]' 'pytest>=8' 'hypothesis>=6.100'
	touch $@

report: $(VENV)/.installed
	$(BIN)/remission report

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

# the cross-checks against lifelines, statsmodels and scikit-survival, in their own
# environment; REMISSION_PEERS=1 makes a missing peer an error instead of a skip
peers: $(BENCH_VENV)/.installed-test
	REMISSION_PEERS=1 $(BENCH_VENV)/bin/python -m pytest -m peer tests/stats

# the fuzz suite's long mode (issue 11): FUZZ_EXAMPLES malformed files per reader, fresh
# seeds each run; the tally of outcomes goes to fuzz-report.txt
FUZZ_EXAMPLES ?= 1000
fuzz: $(VENV)/.installed-test
	REMISSION_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) REMISSION_FUZZ_REPORT=fuzz-report.txt \
		$(BIN)/python -m pytest tests/fuzz -p no:randomly
	cat fuzz-report.txt

bench: $(BENCH_VENV)/.installed
	$(BENCH_VENV)/bin/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(BENCH_VENV) remission-report .pytest_cache fuzz-report.txt
