# casecoach: `make serve` to run the modules in Voila, `make test` for the whole suite.
#
# Every install step is here: on a fresh Debian machine with Python 3.11, these targets build
# .venv, install the project and (for tests) a Chromium by themselves.
#
# Voila settings live in voila.json, which Voila reads from its working directory (before any
# user config in `jupyter --paths`), so every Voila here is started from the repository root:
#   strip_sources, theme light   trainees see pages, never code
#   template casecoach           share/jupyter/voila/templates/casecoach: the lab template without
#                                its two CDN links (no request leaves the machine at page load);
#                                found through JUPYTER_PATH, exported below
#   ip 127.0.0.1, port_retries 0 loopback unless told otherwise; a taken port is an error, not a
#                                silent move away from the address printed
#   preheat_kernel, pool size 1  each notebook keeps one kernel that has already run the page
#                                (page ready in ~1.8 s instead of ~2.6 s); notebooks that need the
#                                URL query must call voila.utils.wait_for_request() first; only
#                                notebooks/ is served, so bench/ never gets a pool
#   cull 60 s / 300 s idle       a closed page shuts its kernel down at once (our template works
#                                around Voila bug #1458, see kernel_shutdown.js); kernels of pages
#                                that never said goodbye (a crashed browser) are shut down after 5
#                                idle minutes, long enough for a laptop that slept to reconnect; open
#                                pages are never culled (cull_connected false), pooled kernels neither
#   KernelManager transport ipc  a page talks to its kernel over Unix sockets in Voila's private
#                                connection folder (/tmp/voila_*, mode 700), not over five loopback
#                                TCP ports each: those ports were picked free and then bound by the
#                                kernel, and another process could take one in between (the kernel
#                                then died with "Address already in use": jupyter_client#487), and
#                                any local user could reach them. A TMPDIR over ~60 characters
#                                would make the socket paths too long for Linux (107 bytes).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PORT ?= 8866
# `make serve` is for one person at this computer: loopback only (HOST=127.0.0.1, localhost or
# ::1). A room of trainees on their own laptops uses `make serve-room`, whose logins say who is who.
HOST ?= 127.0.0.1
LOOPBACK := 127.0.0.1 localhost ::1
# Room mode (room/jupyterhub_config.py explains every setting): HOST/PORT given on the command
# line or in the environment, else all interfaces on port 8000.
ROOM_HOST := $(if $(filter command line environment,$(origin HOST)),$(HOST),0.0.0.0)
ROOM_PORT := $(if $(filter command line environment,$(origin PORT)),$(PORT),8000)
# Logins that get the supervisor's page (comma-separated); everyone else who signs up is a trainee.
SUPERVISORS ?= supervisor
# How many people the room expects at once: the room's server keeps that many start and join pages
# ready (run up to the point where they learn whose they are), each about 80 MB.
ROOM_SIZE ?= 20
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
BOOT_PYTHON := $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
CHROMIUMS := /usr/lib/chromium/chromium-headless-shell /usr/bin/chromium

# Our Voila template is found on the Jupyter data path (see voila.json, "template").
export JUPYTER_PATH := $(CURDIR)/share/jupyter$(if $(JUPYTER_PATH),:$(JUPYTER_PATH))

# rfc3987-syntax comes in through jupyter-events -> jsonschema[format-nongpl] and builds a parser
# when jsonschema is imported (VOILA_NOTES pitfall 2). Measured here: Voila answers 0.6 s after
# start without it, 1.9 s with it; `import jsonschema` takes 0.15 s without it, 1.5 s with it, and
# casecoach validates scenarios with jsonschema, so every page's kernel and nbval would pay it too.
# Without it jsonschema skips only the "iri"/"iri-reference" format checks: our schemas must not
# rely on them.
# `pip check` names it as missing; that is expected.
define drop_slow_imports
$(PIP) uninstall -y -q rfc3987-syntax
endef

.PHONY: help serve loopback-only serve-room room-deps test test-pg test-deps chromium bench clean

help:
	@echo "make serve   run the modules in Voila at http://127.0.0.1:$(PORT)/ (PORT=... to change)"
	@echo "make serve-room  a room: JupyterHub with a login per person on http://$(ROOM_HOST):$(ROOM_PORT)/"
	@echo "             (HOST=... PORT=... SUPERVISORS=name1,name2 ROOM_SIZE=40; see README, Room mode)"
	@echo "make test    unit, widget, notebook and browser tests (PostgreSQL store tests skip"
	@echo "             unless CASECOACH_TEST_PG_URL names a server)"
	@echo "make test-pg make test with a throwaway PostgreSQL (scripts/postgres-test-server)"
	@echo "make bench   run the benchmark scripts in bench/ (figures only, no thresholds)"
	@echo "make clean   remove .venv, caches and artifacts"

$(PY):
	@test -n "$(BOOT_PYTHON)" || { echo "error: no python3.11 or python3 on PATH; install Python 3.11" >&2; exit 1; }
	@echo "creating $(VENV) with $(BOOT_PYTHON)"
	@if ! $(BOOT_PYTHON) -m venv $(VENV); then \
	  rm -rf $(VENV); \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "venv failed (Debian ships it separately); installing python3-venv"; \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv && $(BOOT_PYTHON) -m venv $(VENV); \
	  else \
	    echo "error: '$(BOOT_PYTHON) -m venv' failed; install your distribution's venv package (Debian: python3-venv)" >&2; exit 1; \
	  fi; \
	fi

# The stamps make an unchanged project skip pip altogether.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install -q -e .
	$(drop_slow_imports)
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PIP) install -q -e '.[test]'
	$(drop_slow_imports)
	@touch $@

# Every page runs in a Python kernel; without one (ipykernel missing from .venv) Voila still starts
# and fills its pools' log, but every page answers "500: No Jupyter kernel for language 'python'".
# So `make serve` asks jupyter_client, as Voila will, for a kernelspec of language python first.
define check_python_kernel
$(PY) -c 'import sys; from jupyter_client.kernelspec import KernelSpecManager; specs = KernelSpecManager().get_all_specs(); sys.exit(0 if any(s["spec"].get("language", "").lower() == "python" for s in specs.values()) else 1)' 2>/dev/null || { \
  echo "error: $(VENV) has no Jupyter kernel for Python, so every page would answer 500." >&2; \
  echo "  Install it: $(PIP) install 'ipykernel>=6.25'" >&2; \
  echo "  (or rebuild: rm -rf $(VENV) && make serve; ipykernel is a runtime dependency in pyproject.toml)" >&2; \
  exit 1; }
endef

# Checked before anything is installed (prerequisites run left to right).
loopback-only:
	@if [ -z "$(filter $(HOST),$(LOOPBACK))" ]; then \
	  echo "error: make serve is for this computer only and serves loopback (HOST=127.0.0.1), not '$(HOST)':" >&2; \
	  echo "  anyone on the network would get every page with no login. For a room, run: make serve-room HOST=$(HOST)" >&2; \
	  exit 2; fi

serve: loopback-only $(VENV)/.installed
	@$(check_python_kernel)
	@echo "casecoach is at http://$(if $(findstring :,$(HOST)),[$(HOST)],$(HOST)):$(PORT)/"
	@exec $(VENV)/bin/voila notebooks/ --port=$(PORT) --Voila.ip=$(HOST)

# Room mode: JupyterHub (the 'room' extra) and its proxy configurable-http-proxy, from npm into
# room/node_modules (room/package.json, exact versions in room/package-lock.json); Node.js from
# Debian when it is missing and we may install it.
$(VENV)/.installed-room: pyproject.toml room/package.json room/package-lock.json $(VENV)/.installed
	$(PIP) install -q -e '.[room]'
	$(drop_slow_imports)
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "no npm: installing Debian's nodejs and npm"; \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs npm; \
	  else \
	    echo "error: room mode needs Node.js and npm (Debian: apt-get install nodejs npm)" >&2; exit 1; \
	  fi; }
	npm ci --prefix room --no-audit --no-fund --loglevel=error
	@touch $@

room-deps: $(VENV)/.installed-room

# The room's address is printed once the Hub answers; trainees open it on their laptops, sign up,
# and a supervisor approves them at /hub/authorize. Ctrl-C stops the Hub and every user's server.
serve-room: $(VENV)/.installed-room
	@$(check_python_kernel)
	@addr=$$(if [ "$(ROOM_HOST)" = 0.0.0.0 ]; then hostname -I 2>/dev/null | awk '{print $$1}'; fi); \
	echo "casecoach room: http://$${addr:-$(ROOM_HOST)}:$(ROOM_PORT)/ (supervisors: $(SUPERVISORS);"; \
	echo "  trainees sign up there, then a supervisor approves them at /hub/authorize)"
	@CASECOACH_ROOM_HOST=$(ROOM_HOST) CASECOACH_ROOM_PORT=$(ROOM_PORT) \
	  CASECOACH_ROOM_SUPERVISORS=$(SUPERVISORS) CASECOACH_ROOM_SIZE=$(ROOM_SIZE) \
	  exec $(VENV)/bin/jupyterhub -f room/jupyterhub_config.py

test-deps: $(VENV)/.installed-test $(VENV)/.installed-room chromium

# A Chromium for the browser tests: Debian's (headless shell preferred, see tests/conftest.py) or
# Playwright's own; else Playwright's download; else Debian's packages when we may install them.
chromium: $(VENV)/.installed-test
	@for c in $(CHROMIUMS); do if [ -x "$$c" ]; then exit 0; fi; done; \
	if $(PY) -c 'import os, sys; from playwright.sync_api import sync_playwright; p = sync_playwright().start(); ok = os.path.exists(p.chromium.executable_path); p.stop(); sys.exit(0 if ok else 1)'; then exit 0; fi; \
	echo "no Chromium found; trying 'playwright install chromium'"; \
	if timeout 600 $(VENV)/bin/playwright install chromium; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "trying Debian's chromium and chromium-headless-shell"; \
	  if apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-headless-shell; then exit 0; fi; \
	fi; \
	echo "error: no Chromium for the browser tests. Install Debian's 'chromium-headless-shell' (or 'chromium'), or run '$(VENV)/bin/playwright install chromium'." >&2; \
	exit 1

# One pytest run: tests/ (unit, widget, browser) and every notebook executed with nbval.
# The store's tests also run on the PostgreSQL named by CASECOACH_TEST_PG_URL; without it they skip
# (fail under CI=true, where .ci/run starts a throwaway server; `make test-pg` does the same here).
test: test-deps
	@if [ -z "$${CASECOACH_TEST_PG_URL:-}" ] && [ "$${CI:-}" != true ]; then \
	  echo 'note: CASECOACH_TEST_PG_URL is unset, so the PostgreSQL store tests skip; `make test-pg` runs them on a throwaway server'; \
	fi
	$(VENV)/bin/pytest tests notebooks --nbval-lax

# `make test` against a throwaway PostgreSQL on a free loopback port, stopped and removed afterwards.
test-pg: test-deps
	@dir=$$(mktemp -d /tmp/casecoach-pg.XXXXXX); \
	trap 'scripts/postgres-test-server stop "$$dir"' EXIT; \
	url=$$(scripts/postgres-test-server start "$$dir"); \
	CASECOACH_TEST_PG_URL=$$url $(MAKE) --no-print-directory test

# Every script in bench/ with its defaults; figures only, nothing asserted. All run, then any
# failure fails the target. bench/page_timing.py --target bench/bare.ipynb checks the harness alone.
bench: $(VENV)/.installed-test chromium
	@status=0; for script in bench/[!_]*.py; do \
	  echo "== $$script"; $(PY) "$$script" || status=1; \
	done; exit $$status

clean:
	rm -rf $(VENV) .pytest_cache artifacts build *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find . -name .ipynb_checkpoints -type d -prune -exec rm -rf {} +
