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

.PHONY: run test install sysdeps clean bench screenshots

run: install
	$(VENV)/bin/viva

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

install: sysdeps $(STAMP)

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
	$(PY) benchmarks/engines.py
	$(PY) benchmarks/voice_loop.py
	$(PY) benchmarks/scoring.py
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/gui_startup.py

screenshots: install
	xvfb-run -a $(PY) -m desktop_app.ui.screenshots screenshots/

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
