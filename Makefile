# simhall: everything from a fresh machine with python3 (>= 3.11), pip and make.
#
#   make demo    install into $(VENV), run the Huainan 2007 baseline scenario
#   make test    install, run the unit tests, then re-run the notebooks (nbval)
#   make lint    ruff + mypy
#   make lab     JupyterLab on the notebook suite (loopback), with the project's kernel
#   make panel-check  the planner panel in headless Chromium, screenshots (not in make test)
#   make bench   benchmarks/run.py
#   make clean   remove caches and results (keeps the venv; `make distclean` removes it too)

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:

PYTHON3 ?= python3
VENV ?= .venv
PY = $(VENV)/bin/python
STAMP = $(VENV)/.installed

# Deterministic runs: no GUI backend, fixed str hashing, no progress bars in outputs.
RUNENV = env MPLBACKEND=Agg PYTHONHASHSEED=0 SIMHALL_PROGRESS=0

DEMO_SCENARIO ?= scenarios/huainan_2007/baseline.toml
DEMO_OUT ?= results/demo

LAB_PORT ?= 8888

.PHONY: all install demo test test-unit test-notebooks lint bench lab panel-check clean distclean

all: test

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON3) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "simhall needs Python >= 3.11; '$(PYTHON3)' is $$($(PYTHON3) -V 2>&1)." \
	         "Try: make PYTHON3=python3.11 ..." >&2; exit 1; }
	$(PYTHON3) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -c constraints.txt -e '.[notebooks,dev]'
	touch $@

demo: $(STAMP)
	$(RUNENV) $(VENV)/bin/simhall run $(DEMO_SCENARIO) --workers 2 --out $(DEMO_OUT)

test: test-unit test-notebooks

test-unit: $(STAMP)
	$(RUNENV) $(PY) -m pytest -q tests

# Strict nbval: stored notebook outputs must match a fresh run in this venv.
test-notebooks: $(STAMP) test-unit
	$(RUNENV) $(PY) -m pytest -q -p no:cacheprovider --nbval --nbval-current-env notebooks/

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m mypy simhall

# The venv's python3 kernel is the project's: the notebooks import this checkout's simhall.
lab: $(STAMP)
	$(RUNENV) $(VENV)/bin/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(LAB_PORT) \
	  --ServerApp.root_dir=notebooks

# JupyterLab on loopback, the Debian chromium package headless driving notebook 07;
# screenshots in results/panel-check/.
panel-check: $(STAMP)
	$(RUNENV) $(PY) tools/panel_check.py

bench: $(STAMP)
	$(RUNENV) $(PY) benchmarks/run.py

clean:
	rm -rf build dist *.egg-info $(DEMO_OUT) results/panel-check \
	  .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	find . -path ./$(VENV) -prune -o -name .ipynb_checkpoints -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
