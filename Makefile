# The two commands: `make run` serves the platform, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format bench setup deps dev-deps frontend os-packages-run os-packages-test os-packages-bench migrate translations demo messages lock clean

run: setup os-packages-run demo
	@echo "Serving http://$(HOST):$(PORT)/ (task worker and schedule beside it; Ctrl-C stops all three)"
	@$(MANAGE) db_worker & worker=$$!; \
	$(MANAGE) run_schedule & schedule=$$!; \
	trap 'kill $$worker $$schedule 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

# One pytest session runs the whole suite, browser tests included (Playwright
# drives Chromium from a thread of its own: tests/browser/driver.py).
test: setup dev-deps os-packages-test
	$(BIN)/python -m pytest

lint: dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: dev-deps
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup dev-deps os-packages-bench
	$(BIN)/python -m bench

setup: deps frontend migrate translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

deps: $(VENV)/.deps-installed
$(VENV)/.deps-installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

dev-deps: $(VENV)/.dev-deps-installed
$(VENV)/.dev-deps-installed: requirements-dev.txt $(VENV)/.deps-installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

frontend: node_modules/.installed
node_modules/.installed: package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

# Debian packages: what the running site needs (certificate fonts), plus the
# test tools for `make test`, plus the load generator for `make bench`.
os-packages-run:
	bash scripts/os-packages.sh run
os-packages-test:
	bash scripts/os-packages.sh test
os-packages-bench:
	bash scripts/os-packages.sh bench

migrate: deps
	$(MANAGE) migrate --noinput

translations: deps
	$(MANAGE) compile_translations

demo: migrate
	$(MANAGE) seed_demo

# Refresh the Urdu catalogue after changing strings (then translate and commit).
messages: deps
	$(MANAGE) makemessages -l ur --ignore=.venv --ignore=node_modules --ignore=var --ignore=media --no-obsolete

# Re-pin every dependency from requirements.in / requirements-dev.in.
lock:
	rm -rf /tmp/lms-lock && $(PYTHON) -m venv /tmp/lms-lock
	/tmp/lms-lock/bin/pip install --quiet -r requirements.in
	(echo "# Fully pinned runtime dependencies, generated from requirements.in by \`make lock\`."; /tmp/lms-lock/bin/pip freeze) > requirements.txt
	/tmp/lms-lock/bin/pip install --quiet -r requirements-dev.in
	(echo "# Fully pinned development dependencies, generated from requirements-dev.in by \`make lock\`."; echo "-r requirements.txt"; /tmp/lms-lock/bin/pip freeze | grep -vxFf requirements.txt) > requirements-dev.txt

clean:
	rm -rf $(VENV) node_modules static_collected var/test-media
