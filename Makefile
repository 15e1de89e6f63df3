# Two commands a new user needs: `make demo` and `make test`. Both create .venv from nothing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test venv bench serve clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

venv: $(BIN)/python
	$(BIN)/pip install --quiet -e .

demo: venv
	$(BIN)/marsad demo

test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/python -m pytest -q

serve: venv
	$(BIN)/marsad serve --db marsad-demo.db

bench: venv
	$(BIN)/marsad bench extraction
	$(BIN)/marsad bench detection
	$(BIN)/marsad bench daemon
	$(BIN)/marsad bench sweep

clean:
	rm -rf $(VENV) marsad-demo.db* marsad-demo-alert.eml *.egg-info
