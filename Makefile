# ReturnDesk developer commands. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test test-fast lint bench screenshots translations package clean

$(STAMP): pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m returndesk.ui.app

lint: $(STAMP)
	$(BIN)/lint-imports

# The whole suite: layer contracts, then every test on SQLite and PostgreSQL.
test: $(STAMP)
	bash scripts/ensure-services.sh
	$(BIN)/lint-imports
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n 2 -p no:cacheprovider $(PYTEST_ARGS)

test-fast: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -x -q tests/unit

bench: $(STAMP)
	bash scripts/ensure-services.sh
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Pictures of every screen with demo data, in both languages (offscreen: no display needed).
SCREENSHOTS_DIR ?= build/screenshots
screenshots: $(STAMP)
	$(BIN)/python -m returndesk.ui.screenshots --out $(SCREENSHOTS_DIR)/en --lang en
	$(BIN)/python -m returndesk.ui.screenshots --out $(SCREENSHOTS_DIR)/zh_CN --lang zh_CN

# dist/returndesk (PyInstaller folder: returndesk-gui and returndesk) and, on Debian/Ubuntu, the .deb.
# Uses its own build environment (build/venv), not the editable .venv; see installer/build.sh.
package:
	bash installer/build.sh $(PACKAGE_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info desktop/*.egg-info
