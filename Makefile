# 应急网格 — the two commands a newcomer needs:
#   make run    set up everything and serve the site with a Celery worker and beat beside it
#   make test   set up everything and run the whole test suite
# With DATABASE_URL and REDIS_URL set, both use PostgreSQL and Redis instead of the embedded defaults.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup install translations messages lint benchmark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

# Browser assets PyPI does not ship whole (leaflet.markercluster) come from npm, pinned by
# package-lock.json; Django serves them from node_modules/ (STATICFILES_DIRS in emergency/settings.py).
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

translations: install
	$(BIN)/pybabel compile --statistics -d locale -D django
	$(BIN)/pybabel compile --statistics -d patrols/locale -D django

setup: translations
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py setup_site

run: setup
	@echo "Serving on http://$(HOST):$(PORT)/ with a Celery worker and beat (Ctrl-C stops all)."
	@trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/celery -A emergency worker --beat --loglevel=INFO --concurrency=2 & worker=$$!; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# In parallel, one process per core (pytest-xdist); a module stays on one process so its module
# and class fixtures are built once. `make test PYTEST_ARGS="-p no:randomly grids"` runs otherwise.
PYTEST_ARGS ?= -n auto --dist loadscope
test: translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Developer tasks -----------------------------------------------------------------------------
messages: install  # refresh locale/zh_Hans/LC_MESSAGES/django.po from the code (needs GNU gettext)
	$(BIN)/python manage.py makemessages --locale zh_Hans --ignore '.venv/*' --ignore 'node_modules/*' --no-obsolete

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var staticfiles node_modules
