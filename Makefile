# Two commands on a fresh machine with Python 3.11+:
#   make site   builds the dossier into build/
#   make test   runs every test (lint and types included)
# Both create the virtualenv .venv from the lock file first, if needed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

export NO_MKDOCS_2_WARNING := 1

.PHONY: site test lint serve check bench lock clean zensical

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

site: $(STAMP)
	$(BIN)/dossier build

check: $(STAMP)
	$(BIN)/dossier check

serve: $(STAMP)
	$(BIN)/dossier serve

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

# Bytecode first: Python normally caches it, but a machine that sets PYTHONDONTWRITEBYTECODE
# (this one does) would compile the editable package again in every timed run.
bench: $(STAMP)
	$(BIN)/python -m compileall -q src
	$(BIN)/python bench/anchoring.py
	$(BIN)/python bench/versions.py
	$(BIN)/python bench/importing.py
	$(BIN)/python bench/build.py
	$(BIN)/python bench/scale.py
	$(BIN)/python bench/hostile.py

# Material for MkDocs reaches end of life on 5 May 2027. This builds the same
# generated pages with its successor, Zensical (not pinned: a look ahead, not a
# release path), into build/zensical-site/.
zensical: site
	$(PYTHON) -m venv build/zensical-venv
	build/zensical-venv/bin/python -m pip install --quiet zensical
	# (Zensical wants its config file in the project's root folder.)
	# dossier build adds the package's theme overrides (the <head> links to the feed and
	# the Web Annotations) to MkDocs' config in process; Zensical is told in its file.
	sed -e 's#^site_dir: .*#site_dir: build/zensical-site#' \
	    -e 's#^theme:$$#theme:\n  custom_dir: src/dossier/theme#' mkdocs.yml > .zensical.yml
	build/zensical-venv/bin/zensical build -f .zensical.yml; status=$$?; rm -f .zensical.yml; exit $$status

# Regenerate the lock after changing dependencies in pyproject.toml.
lock:
	$(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/python -m pip install --quiet uv
	build/lock-venv/bin/uv pip compile pyproject.toml --extra test --generate-hashes \
		--python-version 3.11 --quiet -o requirements.lock

clean:
	rm -rf build $(VENV)
