"""The backup and restore drill: seed the demo, back up, restore into a new database and media
root, and find every user, credit record, certificate file and verification code as before,
with the ledger's trigger still refusing a raw DELETE."""
import hashlib
import time
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from cpd_portal.backup import BackupError, backup_create, backup_restore
from cpd_portal.demo.seed import demo_seed
from credits.certificates.services import certificate_render_now
from credits.models import Certificate

QUERIES = {
    "users": "SELECT id, email, full_name, password FROM accounts_user ORDER BY id",
    "credit_records": "SELECT id, user_id, course_id, credit_type, amount, status, completed_on "
                      "FROM credits_creditrecord ORDER BY id",
    "certificates": "SELECT id, user_id, course_id, verification_code, pdf, status "
                    "FROM credits_certificate ORDER BY id",
}


def _rows(cursor) -> dict[str, list]:
    result = {}
    for name, sql in QUERIES.items():
        cursor.execute(sql)
        result[name] = cursor.fetchall()
    return result


def _url(settings_dict: dict, name: str) -> str:
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    return (f"postgres://{settings_dict['USER']}{password}@{settings_dict['HOST']}:"
            f"{settings_dict['PORT'] or 5432}/{name}")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_a_new_database_and_media_root(tmp_path, settings):
    demo_seed()
    for certificate in Certificate.objects.exclude(status=Certificate.Status.READY):
        certificate_render_now(certificate_id=certificate.pk)
    certificates = list(Certificate.objects.filter(status=Certificate.Status.READY))
    assert certificates and all(certificate.pdf for certificate in certificates)
    media = Path(settings.MEDIA_ROOT)
    files_before = {str(p.relative_to(media)): _digest(p) for p in media.rglob("*")
                    if p.is_file()}
    with connection.cursor() as cursor:
        before = _rows(cursor)

    started = time.monotonic()
    archive = backup_create(to=tmp_path / "backups", database=connection.settings_dict)
    backed_up = time.monotonic()
    assert archive.name.startswith("cpd-backup-") and archive.suffix == ".tar"

    restored_name = f"{connection.settings_dict['NAME']}_restored"
    restored_url = _url(connection.settings_dict, restored_name)
    restored_media = tmp_path / "restored-media"
    admin = psycopg2.connect(_url(connection.settings_dict, "postgres"))
    admin.autocommit = True
    admin.cursor().execute(f'DROP DATABASE IF EXISTS "{restored_name}"')
    try:
        backup_restore(archive=archive, database_url=restored_url, media_root=restored_media)
        restored_at = time.monotonic()
        print(f"restore drill: backup {backed_up - started:.1f} s, restore "
              f"{restored_at - backed_up:.1f} s, archive {archive.stat().st_size / 1024:.0f} KiB, "
              f"{len(before['users'])} users, {len(before['credit_records'])} credit records, "
              f"{len(files_before)} files")
        restored = psycopg2.connect(restored_url)
        try:
            with restored.cursor() as cursor:
                assert _rows(cursor) == before
                cursor.execute("SELECT id FROM credits_creditrecord LIMIT 1")
                with pytest.raises(psycopg2.Error, match="cannot be deleted; void it instead"):
                    cursor.execute("DELETE FROM credits_creditrecord")
        finally:
            restored.close()
        files_after = {str(p.relative_to(restored_media)): _digest(p)
                       for p in restored_media.rglob("*") if p.is_file()}
        assert files_after == files_before
        for certificate in certificates:  # each certificate's PDF is where its row says
            assert (restored_media / certificate.pdf.name).is_file()
        # A restore never lands on top of data: the media root is now in use.
        with pytest.raises(BackupError, match="not empty"):
            backup_restore(archive=archive, database_url=restored_url,
                           media_root=restored_media)
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')
        admin.close()
