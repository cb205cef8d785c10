# Two commands on a fresh clone: `make demo` runs the whole way on the embedded defaults,
# `make test` runs lint, types and every test. Each does its own set-up.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest dovecot clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/helpdesk demo

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) dovecot
	$(BIN)/pytest

# The integration tests start their own Dovecot; install the Debian package where it is missing.
dovecot:
	@if [ ! -x /usr/sbin/dovecot ]; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; else SUDO=none; fi; \
		if [ "$$SUDO" = none ]; then \
			echo "dovecot-imapd is not installed and I cannot install it (not root, no sudo): IMAP tests will be skipped"; \
		else \
			echo "installing dovecot-imapd (Debian package) for the integration tests"; \
			$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q dovecot-imapd; \
		fi; \
	fi

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
