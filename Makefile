# `make run` sets everything up and serves the app; `make test` sets up and runs every test.
VENV   := .venv
PY     := $(VENV)/bin/python
PYBABEL := $(VENV)/bin/pybabel
MO     := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))
VENDOR := static/vendor/socket.io.min.js

.PHONY: setup run test lint format lock translations-update clean screenshots

# every package pinned with its hashes: the locks are complete, so pip resolves nothing
INSTALL := $(PY) -m pip install -q --disable-pip-version-check --require-hashes --no-deps -r

$(VENV)/.runtime: requirements.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(INSTALL) requirements.lock
	$(PY) -m pip check
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.lock
	$(INSTALL) requirements-dev.lock
	$(PY) -m pip check
	touch $@

# pins pyproject.toml's dependencies (and everything they need) with hashes, keeping the
# current versions where they still fit; `make lock UPGRADE=name` moves one package to its
# newest allowed release, `make lock UPGRADE=--all` every package
COMPILE := $(VENV)/bin/pip-compile -q --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links \
	$(if $(filter --all,$(UPGRADE)),--upgrade,$(if $(UPGRADE),--upgrade-package $(UPGRADE)))

lock: $(VENV)/.dev
	$(COMPILE) -o requirements.lock pyproject.toml
	$(COMPILE) --extra dev -o requirements-dev.lock pyproject.toml

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

$(VENDOR): node_modules/.package-lock.json
	mkdir -p static/vendor
	cp node_modules/socket.io-client/dist/socket.io.min.js $@

%.mo: %.po $(VENV)/.runtime
	$(PYBABEL) compile -i $< -o $@

setup: $(VENV)/.runtime $(VENDOR) $(MO)

run: setup
	$(PY) app.py

# node_modules also holds axe-core, which only the browser tests read (never served).
# The in-process tests run on two workers; the ones that start the real server (and time
# how it answers under load) run one at a time after them.
test: setup $(VENV)/.dev node_modules/.package-lock.json
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	node --test tests/js/
	$(PY) -m pytest -n 2 -m "not realserver"
	$(PY) -m pytest -m realserver

# the room screen in every phase, the console and the phone, from a demo workshop, saved
# under docs/screenshots/ (the README shows some of them)
screenshots: setup $(VENV)/.dev
	$(PY) bench/screenshots.py --out docs/screenshots

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

translations-update: $(VENV)/.runtime
	$(VENV)/bin/flask --app facilitation translate update

clean:
	rm -rf $(VENV) node_modules static/vendor $(MO)
