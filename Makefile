# Quick start, from a clean clone:
#   make site   build site/ (make site BUILD_ARGS="--base-url https://example.org/" for options)
#   make serve  the live preview (make serve SERVE_ARGS="--port 8001"); make check validates only
#   make test   lint, then every test (needs what `make site` needs, plus Chromium, a JRE and npm)
# Both first run scripts/setup.sh: a Python >= 3.11, .venv with the locked packages of
# requirements/ (installed again only when a lock changes), the system packages (installed with
# apt-get on Debian/Ubuntu as root or with sudo; elsewhere it says what to install) and, for the
# tests, node_modules from package-lock.json.
#   make lock   upgrade every locked package to its newest allowed version (uv, then commit
#               requirements/); make lock UPGRADE="--upgrade-package pydantic" for one package

VENV = .venv
PY = $(VENV)/bin/python

.PHONY: site test lint setup-test lock serve check

site:
	@sh scripts/setup.sh site
	$(PY) build.py $(BUILD_ARGS)

serve:
	@sh scripts/setup.sh site
	$(PY) build.py serve $(SERVE_ARGS)

check:
	@sh scripts/setup.sh site
	$(PY) build.py check

test: lint
	$(PY) -m pytest

lint: setup-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy sitegen

setup-test:
	@sh scripts/setup.sh test

# requirements/test.txt: everything (runtime, test and lint tools, setuptools); site.txt and
# bench.txt are held to the same versions. --universal: one lock for Linux and macOS, x86_64 and
# arm64, Python 3.11 and newer; uv itself is locked in requirements/uv.txt.
UPGRADE = --upgrade
UV = $(VENV)/uv/bin/uv
COMPILE = $(UV) pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock"

lock:
	@sh scripts/setup.sh venv
	$(PY) -m pip install -q --require-hashes --target $(VENV)/uv --upgrade -r requirements/uv.txt
	$(COMPILE) $(UPGRADE) -o requirements/test.txt pyproject.toml requirements/build.in --extra test --extra dev
	$(COMPILE) $(UPGRADE) -o requirements/site.txt pyproject.toml requirements/build.in -c requirements/test.txt
	$(COMPILE) $(UPGRADE) -o requirements/bench.txt pyproject.toml --extra bench -c requirements/test.txt
	$(COMPILE) -o requirements/uv.txt requirements/uv.in
