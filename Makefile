# Two commands do everything on a fresh machine:
#   make run    build .venv, then mine corpus/ into output/zhmine.db
#   make test   build .venv (and the system packages the tests need), then run the tests
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test setup system bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	# the OCR extra where it installs (its onnxruntime wheels are not on every platform): the OCR tests skip without it
	$(BIN)/pip install -q -e '.[dev,ocr]' || echo "zhmine[ocr] did not install: the OCR tests will skip"
	touch $@

# System packages (Debian): a CJK font for charts, Chromium for the browser test.
system:
	sh scripts/system-deps.sh

run: setup
	$(BIN)/zhmine run corpus/

test: setup system
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python benchmarks/throughput.py

clean:
	rm -rf $(VENV) output/*.db
