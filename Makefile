# Three commands do everything on a fresh machine with Python 3.11:
#   make play   - set up (venv, requirements, model) and start the game
#   make test   - set up and run the whole test suite (what .ci/run calls)
#   make bundle - set up and build the desktop bundle dist/RTSCommander/ (PyInstaller)
# The venv is created when missing and reused when present; llama-cpp-python
# compiles from source once (about 7 minutes on 2 cores), then pip's wheel
# cache makes later venvs install in seconds.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Portable llama.cpp build (AVX2/FMA/F16C baseline) rather than -march=native,
# so the same wheel can go into the desktop bundle.
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF

.PHONY: setup setup-dev play test bench bundle lint clean soak adapter

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -r requirements.txt
	touch $@

# Developers' tools (tests, lint, types, fuzzing, bundling): a separate file, never in the bundle.
$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed
	$(PY) main.py setup-model

setup-dev: setup $(VENV)/.installed-dev

play: setup
	$(PY) main.py

test: setup-dev
	$(PY) -m pytest -q

bench: setup
	$(PY) main.py bench --seconds 20

# One-folder PyInstaller build from packaging/RTSCommander.spec, model beside the
# executable in dist/RTSCommander/models/. Uses the venv's llama-cpp-python as built.
bundle: setup-dev
	$(PY) scripts/build_bundle.py

# The long reliability runs (docs/RELIABILITY.md); `make test` runs their short versions.
soak: setup-dev
	$(PY) scripts/soak.py --game-minutes 120
	$(PY) scripts/fault_runner.py
	FUZZ_ORDERS=10000 $(PY) -m pytest -q tests/test_fuzz_input.py
	PROTOCOL_REPEAT=200 $(PY) -m pytest -q tests/test_llm_protocol.py

# Retrain the order adapter (docs/ADAPTER.md) on data/orders/: about an hour on 2 cores.
# Its own venv (torch, transformers, peft, gguf: ~6 GB), never the game's or `make test`'s.
TRAIN_VENV ?= .venv-train
$(TRAIN_VENV)/.installed: requirements-train.txt requirements.txt
	test -x $(TRAIN_VENV)/bin/python || $(PYTHON) -m venv $(TRAIN_VENV)
	$(TRAIN_VENV)/bin/python -m pip install -r requirements-train.txt
	touch $@

adapter: setup $(TRAIN_VENV)/.installed
	$(TRAIN_VENV)/bin/python scripts/train_adapter.py

lint: setup-dev
	$(PY) -m ruff check .

clean:
	rm -rf build dist
