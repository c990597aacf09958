"""Backup and restore: the PostgreSQL database (pg_dump custom format) and every stored file
(uploads, lesson files, certificates, exports: MEDIA_ROOT, or the bucket when STORAGE_S3_BUCKET
is set) in one dated archive, with a manifest of checksums; restored into a new, empty database
and an empty media root or bucket. Redis is not backed up: it holds nothing durable (cache,
broker; queued email waits in the outbox table).

    python -m cpd_portal.backup create [--to DIR_OR_FILE]
    python -m cpd_portal.backup restore ARCHIVE --database-url URL (--media-root DIR | --to-bucket)

`make backup` and `make restore` call these.
"""
import argparse
import datetime
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

DUMP_NAME = "database.dump"
MANIFEST_NAME = "manifest.json"
MEDIA_PREFIX = "media/"


class BackupError(Exception):
    """A backup or restore that cannot go ahead, with what to do about it."""


def _connection_env(*, name: str, user: str, password: str, host: str, port) -> tuple[list, dict]:
    args = ["--dbname", name]
    if user:
        args += ["--username", user]
    if host:
        args += ["--host", host]
    if port:
        args += ["--port", str(port)]
    env = dict(os.environ)
    if password:
        env["PGPASSWORD"] = password
    return args, env


def _settings_database() -> dict:
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError("Backups need PostgreSQL: set DATABASE_URL to the portal's database.")
    return database


def _database_from_url(url: str) -> dict:
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql") or not parsed.path.strip("/"):
        raise BackupError(f"{url!r} is not a postgres://user@host:port/name URL.")
    return {"NAME": parsed.path.lstrip("/"), "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""), "HOST": parsed.hostname or "",
            "PORT": parsed.port or ""}


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _stored_names(storage, folder: str = "") -> list[str]:
    """Every file name in `storage` under `folder`, through the storage API (a folder on disk
    or a bucket alike)."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}{name}" for name in files]
    for directory in directories:
        names += _stored_names(storage, f"{folder}{directory}/")
    return sorted(names)


def _files_storage(media_root: Path | None = None):
    """Where the portal keeps its files: the bucket when STORAGE_S3_BUCKET is set, else
    `media_root` (default MEDIA_ROOT)."""
    from django.conf import settings
    from django.core.files.storage import FileSystemStorage, storages

    if settings.STORAGE_S3_BUCKET and media_root is None:
        return storages["default"]
    return FileSystemStorage(location=media_root or settings.MEDIA_ROOT)


def backup_create(*, to: Path | None = None, database: dict | None = None,
                  media_root: Path | None = None, storage=None,
                  now: datetime.datetime | None = None) -> Path:
    """Write the archive and return its path: `to` as a file name (ending .tar), or a folder
    (default var/backups) that gets `cpd-backup-<UTC time>.tar`. The files come from `storage`,
    by default the portal's own (the bucket, or MEDIA_ROOT)."""
    from django.conf import settings

    database = database or _settings_database()
    storage = storage or _files_storage(Path(media_root) if media_root else None)
    stamp = (now or datetime.datetime.now(datetime.UTC)).strftime("%Y%m%dT%H%M%SZ")
    target = Path(to or Path(settings.VAR_DIR) / "backups")
    if target.suffix != ".tar":
        target = target / f"cpd-backup-{stamp}.tar"
    target.parent.mkdir(parents=True, exist_ok=True)
    args, env = _connection_env(name=database["NAME"], user=database.get("USER", ""),
                                password=database.get("PASSWORD", ""),
                                host=database.get("HOST", ""), port=database.get("PORT", ""))
    with tempfile.TemporaryDirectory() as work:
        # Copied out of the storage first (a bucket has no paths), then archived from there.
        media_root = Path(work) / MEDIA_PREFIX
        files = []
        for name in _stored_names(storage):
            path = media_root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with storage.open(name, "rb") as stored, path.open("wb") as copy:
                shutil.copyfileobj(stored, copy, 1 << 20)
            files.append(path)
        dump = Path(work) / DUMP_NAME
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-acl", "--file", str(dump),
              *args], env)
        manifest = {
            "created_at": stamp, "database": database["NAME"],
            "files_from": getattr(storage, "bucket_name", None) or str(storage.location),
            "database_sha256": _sha256(dump),
            "files": {str(path.relative_to(media_root)): _sha256(path) for path in files},
        }
        partial = target.with_suffix(".tar.partial")
        with tarfile.open(partial, "w") as archive:
            archive.add(dump, arcname=DUMP_NAME)
            for path in files:
                archive.add(path, arcname=MEDIA_PREFIX + str(path.relative_to(media_root)))
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST_NAME)
            info.size = len(data)
            archive.addfile(info, fileobj=io.BytesIO(data))
        partial.replace(target)  # never a half-written archive under the final name
    return target


def backup_restore(*, archive: Path, database_url: str, media_root: Path | None = None,
                   storage=None) -> dict:
    """Restore `archive` into a new database (created here; an existing one must be empty) and
    an empty media root, or an empty `storage` (a new bucket); every file is checked against the
    manifest. Returns the manifest."""
    from django.core.files import File
    from django.core.files.storage import FileSystemStorage

    database = _database_from_url(database_url)
    storage = storage or FileSystemStorage(location=media_root)
    if _stored_names(storage):
        raise BackupError(f"{media_root or 'The bucket'} is not empty; restore into a new "
                          "media root or bucket.")
    args, env = _connection_env(name=database["NAME"], user=database["USER"],
                                password=database["PASSWORD"], host=database["HOST"],
                                port=database["PORT"])
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive) as tar:
        members = {member.name: member for member in tar.getmembers()}
        if DUMP_NAME not in members or MANIFEST_NAME not in members:
            raise BackupError(f"{archive} is not a portal backup (no database or manifest).")
        manifest = json.loads(tar.extractfile(members[MANIFEST_NAME]).read())
        tar.extractall(work, filter="data")
        dump = Path(work) / DUMP_NAME
        if _sha256(dump) != manifest["database_sha256"]:
            raise BackupError("The database dump does not match its checksum; the archive is "
                              "damaged.")
        created = subprocess.run(["createdb", *args[2:], database["NAME"]], env=env,
                                 capture_output=True, text=True, check=False)
        if created.returncode != 0 and "already exists" not in created.stderr:
            raise BackupError(f"createdb failed: {created.stderr.strip()}")
        _run(["pg_restore", "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction",
              *args, str(dump)], env)
        source = Path(work) / MEDIA_PREFIX.rstrip("/")
        for relative, checksum in manifest["files"].items():
            if _sha256(source / relative) != checksum:
                raise BackupError(f"{relative} does not match its checksum; the archive is "
                                  "damaged.")
            with (source / relative).open("rb") as handle:
                saved = storage.save(relative, File(handle))
            if saved != relative:
                raise BackupError(f"{relative} was stored as {saved}; restore into an empty "
                                  "media root or bucket.")
    return manifest


def main(argv: list[str] | None = None) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpd_portal.settings")
    django.setup()
    from django.conf import settings

    parser = argparse.ArgumentParser(prog="python -m cpd_portal.backup", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="back up the database and stored files")
    create.add_argument("--to", type=Path, help="archive file (.tar) or folder; "
                                                "default var/backups")
    restore = commands.add_parser("restore", help="restore into a new database and media root")
    restore.add_argument("archive", type=Path)
    restore.add_argument("--database-url", required=True)
    target = restore.add_mutually_exclusive_group(required=True)
    target.add_argument("--media-root", type=Path)
    target.add_argument("--to-bucket", action="store_true",
                        help="into the (empty) bucket STORAGE_S3_BUCKET names")
    options = parser.parse_args(argv)
    try:
        if options.command == "create":
            print(backup_create(to=options.to))
        else:
            if options.to_bucket and not settings.STORAGE_S3_BUCKET:
                raise BackupError("--to-bucket needs STORAGE_S3_BUCKET (and its server) set.")
            storage = _files_storage() if options.to_bucket else None
            manifest = backup_restore(archive=options.archive, media_root=options.media_root,
                                      storage=storage, database_url=options.database_url)
            print(f"Restored the backup of {manifest['created_at']}: database into "
                  f"{options.database_url.rsplit('/', 1)[-1]}, {len(manifest['files'])} files "
                  f"into {options.media_root or 'the bucket'}.")
    except BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
