# The two commands a new machine needs: `make run` and `make test`. Both build on `make install`.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: install run run-sso test lint bench serve demo clean

install: $(STAMP) build/static/.built

$(STAMP): pyproject.toml scripts/find-python
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install -qq --upgrade pip
	$(PY) -m pip install -qq -e '.[test]'
	touch $@

build/static/.built: package.json package-lock.json $(shell find static -type f 2>/dev/null)
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build
	touch $@

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver $(HOST)

# The same, with single sign-on through the bundled test OpenID provider too.
run-sso: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	scripts/run-sso $(HOST)

test: install
	scripts/ensure-chromium
	scripts/ensure-java
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .

# Timings, not tests (docs/performance.md, docs/reliability.md): pages.py generates 50,000
# inspections (most of an hour), and load.py needs PostgreSQL 15.
BENCH_SIZES ?= 100 10000 50000
bench: install
	$(PY) bench/render_statement.py
	$(PY) bench/pages.py --sizes $(BENCH_SIZES)
	$(PY) bench/history_page.py
	$(PY) bench/load.py

clean:
	rm -rf $(VENV) node_modules build media
