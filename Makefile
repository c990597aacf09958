# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# requirements.lock pins what production installs; requirements-dev.lock adds the test and
# development tools at the same versions. Both carry hashes, and pip refuses anything else.
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
LOCK_COMPILE := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 \
  --generate-hashes --quiet
# The stamp names the lock's checksum, so a changed lock reinstalls on the next make.
STAMP := $(VENV)/.installed-$(shell cat $(DEV_LOCK) | cksum | cut -d' ' -f1)

# The SSO tests sign in through a real OpenID Connect provider (node-oidc-provider, test-only);
# npm ci reinstalls it whenever its lock changes.
IDP_DIR := tests/accounts/sso/idp
IDP_STAMP := $(IDP_DIR)/node_modules/.installed-$(shell cksum < $(IDP_DIR)/package-lock.json | cut -d' ' -f1)
# The browser journeys run axe-core (test-only) on every page they visit; same stamp pattern.
AXE_DIR := tests/browser/axe
AXE_STAMP := $(AXE_DIR)/node_modules/.installed-$(shell cksum < $(AXE_DIR)/package-lock.json | cut -d' ' -f1)

# Front-end runtime files the portal serves (scorm-again), pinned by the top-level package.json
# and package-lock.json; `make vendor` copies them into static/vendor/, where they are committed
# (nothing is fetched at run time), and make test installs them to check the copies are exact.
STATIC_STAMP := node_modules/.installed-$(shell cksum < package-lock.json | cut -d' ' -f1)
SCORM_AGAIN_FILES := scorm12.min.js scorm2004.min.js cross-frame-api.min.js cross-frame-lms.min.js
# The Workbox modules the service worker imports (docs/offline-and-push.md), their classic builds.
WORKBOX_MODULES := workbox-core workbox-routing workbox-strategies workbox-background-sync

TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/cpd_portal
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: run run-production-pages test lint lock bench install clean backup restore vendor messages \
  cluster cluster-stop cluster-drill

# What is installed is the lock; then the project itself, without dependencies. pip installs
# uv alone (the lock's pin and hashes, cut out of it by awk), and uv the rest: 23 s on a fresh
# clone here where pip took 57 s, and it too refuses a package without its hash. Bytecode is
# compiled at install, as pip does, so no test process compiles the libraries again.
$(STAMP): $(DEV_LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	awk '/^uv==/ {uv = 1; print; next} uv && /^ / {print; next} {uv = 0}' $(DEV_LOCK) | \
	  $(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r /dev/stdin
	$(BIN)/uv pip install --python $(BIN)/python --quiet --compile-bytecode --require-hashes \
	  --no-deps -r $(DEV_LOCK)
	$(BIN)/uv pip install --python $(BIN)/python --quiet --no-deps -e .
	@rm -f $(VENV)/.installed-* && touch $@

# Re-resolve both locks from pyproject.toml's ranges, keeping every pin that still fits. After
# changing a range run `make lock`; to upgrade, `make lock LOCK_ARGS="--upgrade-package django"`
# (or LOCK_ARGS=--upgrade for everything). Then `make test` installs and tests what changed.
lock: $(STAMP)
	$(LOCK_COMPILE) $(LOCK_ARGS) -o $(LOCK)
	$(LOCK_COMPILE) --extra dev -c $(LOCK) $(LOCK_ARGS) -o $(DEV_LOCK)

install: $(STAMP)

$(IDP_STAMP): $(IDP_DIR)/package-lock.json
	cd $(IDP_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(AXE_STAMP): $(AXE_DIR)/package-lock.json
	cd $(AXE_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(STATIC_STAMP): package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

vendor: $(STATIC_STAMP)
	mkdir -p static/vendor/scorm-again
	for f in $(SCORM_AGAIN_FILES); do \
	  cp node_modules/scorm-again/dist/$$f node_modules/scorm-again/dist/$$f.map static/vendor/scorm-again/; \
	done
	mkdir -p static/vendor/workbox
	for m in $(WORKBOX_MODULES); do \
	  cp node_modules/$$m/build/$$m.prod.js node_modules/$$m/build/$$m.prod.js.map static/vendor/workbox/; \
	done

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

# The demo runs with DEBUG on, which shows Django's debug pages on errors. This serves the same
# database with DEBUG off on http://127.0.0.1:$(PROD_PAGES_PORT), to see the pages production
# shows (404, 403, 400, 500, 429). Cookies are HTTPS-only with DEBUG off, so sign in with `make run`.
PROD_PAGES_PORT ?= 8000
PROD_PAGES_ENV := DEBUG=0 SECRET_KEY=local-preview-of-the-production-error-pages-only-0123456789 \
  ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=0 \
  CREDENTIAL_SIGNING_KEY_FILE=var/credential-signing-key.pem
run-production-pages: $(STAMP)
	$(BIN)/python manage.py check -v0  # with DEBUG on: makes the dev signing key under var/ once
	$(PROD_PAGES_ENV) $(BIN)/python manage.py collectstatic --no-input -v0
	$(PROD_PAGES_ENV) $(BIN)/gunicorn cpd_portal.wsgi -b 127.0.0.1:$(PROD_PAGES_PORT)

# The whole topology on this machine (docs/operations.md#a-cluster-on-one-machine): PostgreSQL
# primary + streaming replica, Redis, SeaweedFS's S3, two web nodes behind nginx, a worker per
# queue, beat and an SMTP sink, with demo data; everything under var/cluster/. Ports from
# CLUSTER_PORT_BASE (8200) and CLUSTER_POSTGRES_PORT (55441). The drill kills and restarts
# parts of it under load and prints requests=, errors=, lost=, duplicated=.
cluster: $(STAMP)
	$(BIN)/python -m deploy.local.cluster up

cluster-stop:
	$(BIN)/python -m deploy.local.cluster stop

cluster-drill: $(STAMP)
	$(BIN)/python -m deploy.local.drill

# Backup and restore drill (cpd_portal/backup.py): the database (pg_dump custom format) and
# MEDIA_ROOT (uploads and certificates) in one dated archive under var/backups, or BACKUP_TO.
# Restore needs ARCHIVE, RESTORE_DATABASE_URL (a new database) and RESTORE_MEDIA_ROOT.
backup: $(STAMP)
	$(BIN)/python -m cpd_portal.backup create $(if $(BACKUP_TO),--to $(BACKUP_TO))

restore: $(STAMP)
	@test -n "$(ARCHIVE)" -a -n "$(RESTORE_DATABASE_URL)" -a -n "$(RESTORE_MEDIA_ROOT)" || \
	  { echo "usage: make restore ARCHIVE=var/backups/cpd-backup-....tar RESTORE_DATABASE_URL=postgres://.../new_db RESTORE_MEDIA_ROOT=/new/media"; exit 2; }
	$(BIN)/python -m cpd_portal.backup restore $(ARCHIVE) --database-url $(RESTORE_DATABASE_URL) --media-root $(RESTORE_MEDIA_ROOT)

# Ruff, the import-linter layering contracts (pyproject.toml) and the whole suite against real
# Postgres and Redis (override the URLs and CELERY_QUEUE to point elsewhere). The whole suite
# runs in PYTEST_WORKERS pytest-xdist processes (3 on two cores: many tests wait on a browser, a
# worker or a subprocess), each with its own test database, Redis keys and Celery queue
# (tests/settings.py). Tests picked in PYTEST_ARGS (a path under tests/, -k or -m) run in this
# one process unless PYTEST_WORKERS is given too, as in
# `make test PYTEST_WORKERS=3 PYTEST_ARGS=tests/browser`.
# --dist loadgroup hands out tests one by one, except that a module seeding the demo goes to one
# worker whole, which seeds it once (tests/conftest.py groups them). The 20 slowest tests are
# listed at the end, to see where the suite's time goes. The suite starts some fifty Python
# processes (workers, servers, subprocess checks): bytecode is written (to the ignored
# __pycache__ folders) even where the environment says not to, so that each compiles the
# portal, and pytest rewrites the tests, once rather than every time.
PYTEST_WORKERS ?= $(if $(filter tests% -k -m,$(PYTEST_ARGS)),0,3)
test: $(STAMP) $(IDP_STAMP) $(AXE_STAMP) $(STATIC_STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
	CELERY_QUEUE=$${CELERY_QUEUE:-cpd-test} EMAIL_URL=memorymail:// PATH="$(CURDIR)/$(BIN):$$PATH" \
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup --durations=20 $(PYTEST_ARGS)

# The Spanish and Brazilian Portuguese catalogs (docs/languages.md): gather the marked strings
# into locale/*/LC_MESSAGES/django.po, then compile the .mo files. Both are committed, so
# `make run` needs no gettext; a test fails when a .mo is older than its .po.
MESSAGES_IGNORE := $(foreach dir,.venv tests node_modules staticfiles var bench,--ignore=$(dir))
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l es -l pt_BR --no-obsolete --add-location=file \
	  $(MESSAGES_IGNORE)
	$(BIN)/python manage.py compilemessages $(MESSAGES_IGNORE)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

bench: $(STAMP)
	@echo "Benchmarks run by hand against a PostgreSQL database loaded by bench.generate:"
	@for f in bench/[a-z]*.py; do n=$$(basename $$f .py); \
	  case $$n in serving|bare_*|generate) ;; *) echo "  $(BIN)/python -m bench.$$n";; esac; done

clean:
	rm -rf $(VENV) var staticfiles
