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

# The system libraries Qt needs to show windows are installed first (scripts/ensure-display-libs.sh),
# except with QT_QPA_PLATFORM=offscreen. RUN_ARGS=--smoke checks the installation instead.
run: $(STAMP)
ifneq ($(firstword $(subst :, ,$(QT_QPA_PLATFORM))),offscreen)
	bash scripts/ensure-display-libs.sh $(BIN)/python
endif
	$(BIN)/python -m returndesk.ui.app $(RUN_ARGS)

# Style and likely bugs (ruff), layer contracts, then types; the settings of all three are in pyproject.toml.
lint: $(STAMP)
	$(BIN)/python -m ruff check
	$(BIN)/lint-imports
	$(BIN)/mypy

# The whole suite: ruff, layer contracts, types, then every test (SQLite, and PostgreSQL where the database's
# behaviour can differ; slow and CUPS tests included). docs/testing.md says which test runs where.
test: $(STAMP)
	bash scripts/ensure-services.sh
	$(BIN)/python -m ruff check
	$(BIN)/lint-imports
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n 2 --dist worksteal -p no:cacheprovider $(PYTEST_ARGS)

# Unit, service and UI tests on SQLite, without the slow ones: needs no PostgreSQL and no CUPS.
test-fast: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n 2 --dist worksteal -x -q -p no:cacheprovider \
		-m "not pg and not slow and not cups" $(PYTEST_ARGS)

bench: $(STAMP)
	bash scripts/ensure-services.sh
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Pictures of every screen with demo data, in both languages (offscreen: no display needed).
SCREENSHOTS_DIR ?= build/screenshots
screenshots: $(STAMP)
	$(BIN)/python -m returndesk.ui.screenshots --out $(SCREENSHOTS_DIR)/en --lang en
	$(BIN)/python -m returndesk.ui.screenshots --out $(SCREENSHOTS_DIR)/zh_CN --lang zh_CN

# Catalogues (docs/translating.md): lupdate collects the texts of ALL ui files at once into each
# resources/i18n/rd_<language>.ts (obsolete texts are kept: others may be mid-edit), then lrelease
# compiles the .qm next to it. NEW_LANGUAGE=ja starts rd_ja.ts.
I18N_DIR     := resources/i18n
UI_SOURCES    = $(shell (git ls-files 'desktop/returndesk/ui/*.py'; git ls-files --others --exclude-standard 'desktop/returndesk/ui/*.py') | sort -u)
TRANSLATIONS  = $(sort $(wildcard $(I18N_DIR)/rd_*.ts) $(if $(NEW_LANGUAGE),$(I18N_DIR)/rd_$(NEW_LANGUAGE).ts))
translations: $(STAMP)
	$(BIN)/python -m returndesk.devtools.service_messages
	@for ts in $(TRANSLATIONS); do \
		language=$${ts##*/rd_}; language=$${language%.ts}; \
		$(BIN)/pyside6-lupdate $(UI_SOURCES) -target-language $$language -ts $$ts || exit 1; \
		$(BIN)/pyside6-lrelease $$ts -qm $${ts%.ts}.qm || exit 1; \
	done

# dist/returndesk (PyInstaller folder: returndesk-gui and returndesk) and, on Debian/Ubuntu, the .deb.
# Uses its own build environment (build/venv), not the editable .venv; see installer/build.sh.
package:
	bash installer/build.sh $(PACKAGE_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info desktop/*.egg-info
