# The two commands of the README: `make up` runs the hub, `make test` runs every test.
# Both set up what is missing on a fresh machine (virtual environment, Kafka, the
# MongoDB-wire store, Keycloak, nginx) and cache it under .venv/ and .cache/.

PYTHON ?= python3
VENV := .venv
STACK := $(PYTHON) deploy/local/stack.py

.PHONY: up down status logs test test-unit replay venv clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

venv: $(VENV)/.installed

up: venv
	$(STACK) up

down:
	$(STACK) down

status:
	$(STACK) status

logs:
	$(STACK) logs

# Starts a stack of its own (var/test, other ports), runs the whole suite, stops it.
test: venv
	$(STACK) test $(PYTEST_ARGS)

test-unit: venv
	$(VENV)/bin/python -m pytest -m unit $(PYTEST_ARGS)

# Rebuild a read model from offset 0: make replay P=ideas|votes|digest
replay: venv
	$(STACK) replay --projection $(P)

clean: down
	rm -rf var
