# chibo — the two commands of the README, and the checks CI runs.
#   make demo   set up, migrate, load demo data, start chibo at http://127.0.0.1:8000 (SQLite)
#   make test   set up (including Debian's Chromium for the browser tests) and run the whole suite
#   make lint   ruff, mypy, the layer contract (import-linter) and the missing-migrations check
SHELL := /bin/bash
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: demo setup setup-dev browser messages test test-fast lint check serve

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet "uv==0.13.9"

setup: $(UV)
	@ldconfig -p | grep -c "libpango-1.0.so.0" >/dev/null || echo "chibo: warning: Pango is missing, PDF documents will fail (apt-get install libpango-1.0-0 libpangoft2-1.0-0)" >&2
	$(UV) sync --frozen --no-dev --quiet
	$(MAKE) --no-print-directory messages

setup-dev: $(UV)
	$(UV) sync --frozen --quiet
	$(MAKE) --no-print-directory messages

messages:
	cd src/chibo && ../../$(PY) -m chibo compilemessages --ignore=.venv -v0

# Jobs go through the queue (not inline, whatever CHIBO_DEBUG says): seed_demo queues the
# rendering of the demo's signed files and `serve` runs the job consumer beside gunicorn.
demo serve: export CHIBO_JOBS_IMMEDIATE := 0

demo: setup
	$(PY) -m chibo migrate --no-input -v0
	$(PY) -m chibo collectstatic --no-input -v0
	$(PY) -m chibo seed_demo
	$(MAKE) --no-print-directory serve

serve:
	@echo "chibo: http://127.0.0.1:8000/  (Ctrl+C stops it; the job consumer runs beside it)"
	$(PY) -m chibo run_huey --workers 1 --quiet & consumer=$$!; trap 'kill $$consumer' EXIT; \
	$(VENV)/bin/gunicorn chibo.wsgi --bind 127.0.0.1:8000 --workers 1 --threads 4 --access-logfile - --access-logformat '%(h)s "%(m)s %(U)s" %(s)s'

browser:
	@bash scripts/ensure-chromium

test: setup-dev browser
	$(VENV)/bin/pytest -n 2 --dist worksteal -q

lint: setup-dev
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy src/chibo
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m chibo makemigrations --check --dry-run -v1

check: lint test
