"""Migrated databases made once and copied. Applying the portal's migrations costs about 16 s of
CPU (Django renders the model states of every step), and the suite needs a migrated database
in each pytest-xdist worker and in the SQLite runs of the parity walk, the credit report and the
cache freshness checks.

A template is made once for each digest of the portal's source (every Python file outside
tests/, and Django's version: a new migration or a change to the rows a post_migrate receiver
ensures makes a new one), and each database is a copy of it:

- PostgreSQL: a template database beside the test databases, `<test name>_tpl_<digest>`,
  copied by CREATE DATABASE ... TEMPLATE (about a second). An advisory lock lets one worker
  make it while the others wait; templates of other digests are dropped then.
- SQLite: a file in the machine's temporary directory, copied; a file lock serialises its
  making.

A PostgreSQL test database alone on its server is used as copied; otherwise (SQLite, or the
replica checks' mirrored alias) Django runs `migrate` on the copy as on a kept test database:
nothing to apply, and the post_migrate receivers run as after any migrate."""
import contextlib
import fcntl
import functools
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import django

from deploy.local.postgres_pair import BIN as POSTGRES_BIN

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SOURCE_PACKAGES = ("accounts", "courses", "credits", "cpd_portal")
SQLITE_TEMPLATES = Path(tempfile.gettempdir()) / "cpd-portal-test-templates"
# Each alias's own database name, kept when it is pointed at its test database: templates are
# named after it.
_OWN_NAMES: dict[str, str] = {}


@functools.cache  # the source does not change during a run; read it once per process
def source_digest() -> str:
    digest = hashlib.sha256(django.get_version().encode())
    for package in SOURCE_PACKAGES:
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def postgresql_test_database_copy(connection) -> None:
    """Create the test database of `connection` (a PostgreSQL alias, before Django's test
    setup) as a copy of the migrated template, making the template first if needed."""
    test_name = connection.creation._get_test_db_name()
    quote = connection.ops.quote_name
    with _template_locked(connection) as (cursor, template):
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(test_name)}")
        cursor.execute(f"CREATE DATABASE {quote(test_name)} TEMPLATE {quote(template)}")


def postgresql_test_database_use(connection) -> str:
    """Copy the template to `connection`'s test database and point the alias at it, as
    Django's create_test_db does but without its `migrate` (a few seconds of CPU in each
    worker with nothing to apply: the template ran the post_migrate receivers of this very
    source). Returns the alias's own database name, for Django's teardown_databases."""
    from django.conf import settings

    own_name = connection.settings_dict["NAME"]
    test_name = connection.creation._get_test_db_name()
    postgresql_test_database_copy(connection)
    _OWN_NAMES[connection.alias] = own_name
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = test_name
    connection.settings_dict["NAME"] = test_name
    connection.ensure_connection()
    return own_name


def postgresql_template_export(connection, *, to_url: str, database_name: str) -> None:
    """Copy the template of `connection`'s server (made first if needed) to the PostgreSQL
    server at `to_url` (its maintenance database), named as a test run there whose
    DATABASE_URL names `database_name` will look for it: the private replica pair's primary
    then copies instead of migrating."""
    settings = connection.settings_dict
    own_name = _OWN_NAMES.get(connection.alias, settings["NAME"])
    with _template_locked(connection, own_name) as (cursor, template):
        exported = template.replace(_template_prefix(own_name),
                                    _template_prefix(database_name), 1)
        subprocess.run([str(POSTGRES_BIN / "psql"), to_url, "-qc",
                        f'CREATE DATABASE "{exported}"'], check=True, capture_output=True)
        dump = subprocess.Popen(
            [str(POSTGRES_BIN / "pg_dump"), "--format=custom", "--no-owner",
             "-h", settings.get("HOST") or "127.0.0.1", "-p", str(settings.get("PORT") or 5432),
             "-U", settings["USER"], template], stdout=subprocess.PIPE)
        restore = subprocess.run(
            [str(POSTGRES_BIN / "pg_restore"), "--no-owner", "-d",
             to_url.rsplit("/", 1)[0] + f"/{exported}"], stdin=dump.stdout, capture_output=True)
        dump.stdout.close()
        if dump.wait() or restore.returncode:
            raise RuntimeError(f"copying the template failed: {restore.stderr[-3000:]!r}")


def _template_prefix(database_name: str) -> str:
    return f"test_{database_name}_tpl_"


@contextlib.contextmanager
def _template_locked(connection, own_name: str | None = None):
    """A cursor on the server's maintenance database and the name of the migrated template,
    made if missing, while this run holds the templates' lock (CREATE DATABASE ... TEMPLATE
    fails while another session is connected to the template). The template is named after
    the alias's own database (`own_name`, once the alias points at its test database)."""
    from django.core.management import call_command

    prefix = _template_prefix(own_name or connection.settings_dict["NAME"])
    template = prefix + source_digest()
    quote = connection.ops.quote_name
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [prefix])
        try:
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                           [prefix.replace("_", r"\_") + "%"])
            present = {name for (name,) in cursor.fetchall()}
            for stale in present - {template}:
                with contextlib.suppress(Exception):  # in use by another run: left for it
                    cursor.execute(f"DROP DATABASE {quote(stale)}")
            if template not in present:
                partial = f"{template}_partial"
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(partial)}")
                cursor.execute(f"CREATE DATABASE {quote(partial)}")
                with _connected_to(connection, partial):
                    call_command("migrate", verbosity=0, interactive=False)
                # Renamed only once complete: a run killed while migrating leaves no template.
                cursor.execute(f"ALTER DATABASE {quote(partial)} RENAME TO {quote(template)}")
            yield cursor, template
        finally:
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [prefix])


@contextlib.contextmanager
def _connected_to(connection, name: str):
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original


def sqlite_database_copy(path: Path) -> None:
    """A migrated SQLite database at `path`, copied from the template."""
    SQLITE_TEMPLATES.mkdir(exist_ok=True)
    template = SQLITE_TEMPLATES / f"portal-{source_digest()}.sqlite3"
    with open(SQLITE_TEMPLATES / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            for stale in SQLITE_TEMPLATES.glob("portal-*.sqlite3"):
                stale.unlink()
            _sqlite_template_make(template)
    shutil.copyfile(template, path)


def _sqlite_template_make(template: Path) -> None:
    partial = template.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as var_dir:
        environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "cpd_portal.settings",
                       "DATABASE_URL": f"sqlite:///{partial}", "VAR_DIR": var_dir}
        environment.pop("REDIS_URL", None)
        done = subprocess.run([sys.executable, "manage.py", "migrate", "-v0"],
                              cwd=PROJECT_ROOT, env=environment, capture_output=True,
                              text=True, timeout=300)
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise RuntimeError(f"migrating the SQLite template failed:\n{done.stderr[-3000:]}")
    partial.rename(template)
