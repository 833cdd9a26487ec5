# The README's two commands: `make start` and `make test`.
# Everything installs into .venv; a second run reuses it (the stamps below change only
# when pyproject.toml or the pinned constraints change).

PYTHON ?= python3
PORT ?= 8890
VENV := .venv
BIN := $(abspath $(VENV))/bin
PIN := -c deploy/constraints.txt
# nbgrader shells out to alembic: the venv's bin must be on PATH in every entry point.
RUN := PATH="$(BIN):$$PATH"
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Extra pytest arguments, e.g. make test PYTEST_ARGS="-m 'not browser and not slow'"
PYTEST_ARGS ?=

.PHONY: start test test-fast build check chromium constraints clean-build hub-proxy hub handouts

$(VENV)/.installed: pyproject.toml deploy/constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "civickit needs Python 3.11 or newer; found: $$($(PYTHON) --version)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet $(PIN) -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet $(PIN) -e '.[dev]'
	@touch $@

# The learners' server by default; the trainer's (Formgrader, Create Assignment): make start MODE=trainer
MODE ?= learner
start: $(VENV)/.installed
	$(RUN) $(BIN)/civickit start --port $(PORT) --mode $(MODE)

build: $(VENV)/.installed
	$(RUN) $(BIN)/civickit build

check: $(VENV)/.installed
	$(RUN) $(BIN)/civickit check

# Playwright cannot download a browser here: the tests drive Debian's Chromium.
# bubblewrap sandboxes learners' code during autograding.
# fonts-dejavu-core: Cyrillic in the PDF certificates (civickit.certificates).
chromium:
	@test -x /usr/bin/chromium -a -x /usr/bin/bwrap -a -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium fonts-dejavu-core bubblewrap; }

# JupyterHub's proxy for `civickit hub` (tests/test_hub.py), pinned by deploy/hub/package-lock.json.
HUB_PROXY := deploy/hub/node_modules/.installed
$(HUB_PROXY): deploy/hub/package.json deploy/hub/package-lock.json
	cd deploy/hub && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

hub-proxy: $(HUB_PROXY)

# A cohort's JupyterHub on this server (deploy/README.md): make hub TRAINER=maria
hub: $(VENV)/.installed $(HUB_PROXY)
	@test -n "$(TRAINER)" || { echo "Name the trainer: make hub TRAINER=<name>"; exit 2; }
	# Each user's server shows the built book first (copied into their home at spawn).
	$(RUN) $(BIN)/civickit build
	$(RUN) $(BIN)/civickit hub start --trainer $(TRAINER)

test: $(VENV)/.installed-dev chromium $(HUB_PROXY)
	$(RUN) $(BIN)/python -m pytest $(PYTEST_ARGS)

# Local shortcut: skips the browser and slow tests (CI runs everything through `make test`).
test-fast: $(VENV)/.installed-dev
	$(RUN) $(BIN)/python -m pytest -m "not browser and not slow" $(PYTEST_ARGS)

# Re-pin every package after changing dependencies in pyproject.toml.
constraints: $(VENV)/.installed-dev
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^civickit' > deploy/constraints.txt

# Printable PDF handouts of the learner edition (_build/handouts/): optional, so `make start` stays light.
handouts: $(VENV)/.installed chromium
	@$(BIN)/python -c 'import playwright, pypdf' 2>/dev/null || $(BIN)/python -m pip install --quiet $(PIN) -e '.[handouts]'
	$(RUN) $(BIN)/civickit handouts

clean-build:
	rm -rf _build
