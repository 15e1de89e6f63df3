# Two commands a new user needs: `make demo` and `make test`. Both create .venv from nothing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test venv bench serve clean

# The pip that Python ships, not upgraded: what a user's fresh venv has (`.ci/run` also installs with it).
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

venv: $(BIN)/python
	$(BIN)/pip install --quiet -e .

demo: venv
	$(BIN)/marsad demo

# make fails whenever pytest does (pytest: 1 failed tests, 2 interrupted, 3 internal error, 4 usage, 5 no tests).
test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	@status=0; $(BIN)/python -m pytest -q $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; fi; exit $$status

serve: venv
	$(BIN)/marsad serve --db marsad-demo.db

bench: venv
	$(BIN)/marsad bench extraction
	$(BIN)/marsad bench detection
	$(BIN)/marsad bench daemon
	$(BIN)/marsad bench sweep
	$(BIN)/marsad bench throughput

clean:
	rm -rf $(VENV) marsad-demo.db* marsad-demo-alert.eml *.egg-info
