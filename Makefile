# Action Studio: `make run` opens the app on the sample workspace; `make test` runs every test headless.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
BUNDLE_STAMP := $(VENV)/.installed-bundle
BUNDLE := dist/bundle/action-studio
SYSTEM_STAMP := $(VENV)/.system-packages
# Debian packages: a virtual X server for screenshots and real-window tests, a Secret Service
# (gnome-keyring on a private D-Bus) for the keyring test, and the X/GL libraries Qt loads.
APT_PACKAGES := xvfb xauth dbus dbus-x11 gnome-keyring libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 \
	libfontconfig1 libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 \
	libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 fonts-dejavu-core

.PHONY: run test check bench screenshots system-packages clean dist bundle bundle-check

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP) $@

$(BUNDLE_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[bundle]'
	touch $(STAMP) $@

system-packages: $(SYSTEM_STAMP)
$(SYSTEM_STAMP): | $(PY)
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
		if [ -n "$$missing" ]; then \
			echo "installing system packages: $$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		fi; \
	else \
		echo "not root or no apt-get: make sure these are installed: $(APT_PACKAGES)"; \
	fi
	touch $@

run: $(STAMP) system-packages
	$(PY) -m app gui --sample

# The static checks first (lint and import order over the tree, types of the domain): a red check
# fails `make test` before the suite runs. Their settings are in pyproject.toml.
check: $(TEST_STAMP)
	$(VENV)/bin/ruff check app ui tests bench tools
	$(VENV)/bin/mypy

# The suite on every core: pytest-xdist, two workers a core (`auto`: 4 on the CI machine: a test often waits
# on a child process or a socket, the second worker fills the wait), each test
# handed to the first worker free (worksteal: most tests take milliseconds, a few take seconds).
# Bytecode is written for this run even where the environment turns it off: every worker imports
# app/, ui/ and the assert-rewritten tests, and compiled once they load three times faster.
# `make test TEST_WORKERS=0`: one process (for a debugger, or -x).
TEST_WORKERS ?= auto
test: check system-packages
	PYTHONDONTWRITEBYTECODE= QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider \
		-n $(TEST_WORKERS) --dist worksteal

bench: $(TEST_STAMP) system-packages
	@rm -f .bench-results.jsonl
	@for b in bench/bench_*.py; do echo "== $$b"; BENCH_RESULTS=$(CURDIR)/.bench-results.jsonl $(PY) $$b || exit 1; done
	@BENCH_RESULTS=$(CURDIR)/.bench-results.jsonl $(PY) -m bench.summary

screenshots: $(TEST_STAMP) system-packages
	xvfb-run -a -s "-screen 0 1600x1000x24" $(PY) -m tools.screenshots docs/screenshots

# What a user installs: the sdist and the wheel (dist/), with a standard build frontend.
dist: $(TEST_STAMP)
	rm -f dist/action_studio-*
	$(PY) -m build --outdir dist .

# The standalone one-folder application (PyInstaller): $(BUNDLE)/action-studio runs without Python.
# Slow (minutes): not part of `make test`; `make bundle-check` runs it as a user would.
bundle: $(BUNDLE_STAMP) system-packages
	$(VENV)/bin/pyinstaller --noconfirm --distpath dist/bundle --workpath build/pyinstaller packaging/action-studio.spec
	@du -sh $(BUNDLE)

bundle-check: $(STAMP) system-packages
	@test -x $(BUNDLE)/action-studio || { echo "no bundle: run make bundle first"; exit 1; }
	$(PY) -m tools.smoke $(BUNDLE)/action-studio

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
