# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/cpd_portal
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test lint bench install clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

# Web + Celery worker + beat with demo data. Without DATABASE_URL/REDIS_URL this runs on a
# SQLite file and a filesystem broker under var/; set them to use Postgres and Redis.
run: $(STAMP)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  CPD portal: http://127.0.0.1:8000   (password for every demo login: cpd-demo-2026)"
	@echo "  Staff MFA is off for this local demo; set STAFF_MFA_REQUIRED=1 to try it."
	@echo ""
	STAFF_MFA_REQUIRED=$${STAFF_MFA_REQUIRED:-0} PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile

# Ruff plus the whole suite against real Postgres and Redis (override the URLs to point elsewhere).
test: $(STAMP)
	$(BIN)/ruff check .
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
	CELERY_QUEUE=cpd-test EMAIL_URL=memorymail:// PATH="$(CURDIR)/$(BIN):$$PATH" \
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	@echo "Benchmarks run by hand against a PostgreSQL database loaded by bench.generate:"
	@for f in bench/[a-z]*.py; do n=$$(basename $$f .py); \
	  case $$n in serving|bare_*|generate) ;; *) echo "  $(BIN)/python -m bench.$$n";; esac; done

clean:
	rm -rf $(VENV) var staticfiles
