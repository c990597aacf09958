"""Files in object storage: a real S3-compatible server (SeaweedFS's `weed`, installed from the
dev lock) run by the test, a real Celery worker configured from the environment as a deployment
is (STORAGE_S3_*), and the portal's own download view streaming the file after its permission
check. The bucket stays private: an unsigned request is refused, a signed URL works for its
short life. Without a bucket the storages stay on the local filesystem (the embedded default).
"""
import json
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from storages.backends.s3 import S3Storage

from credits.models import Certificate
from tests.conftest import _test_database_url, start_celery_worker, stop_process, wait_for
from tests.credits.certificates.certificate_helpers import claim_credit, make_course
from tests.factories import UserFactory

BUCKET = "cpd-portal-test"
ACCESS_KEY, SECRET_KEY = "portal-test-key", "portal-test-secret-0123456789"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def s3_server(tmp_path):
    """`weed server -s3` on spare ports with one identity (so anonymous access is refused)."""
    weed = Path(sys.executable).parent / "weed"
    identities = tmp_path / "s3.json"
    identities.write_text(json.dumps({"identities": [{
        "name": "portal", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
    ports = {name: _free_port() for name in (
        "master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port",
        "filer.port.grpc", "s3.port", "s3.port.grpc", "s3.port.iceberg", "s3.port.lance")}
    data = tmp_path / "weed"
    data.mkdir()
    log = open(tmp_path / "weed.log", "w")  # noqa: SIM115  (kept open for the server's life)
    process = subprocess.Popen(
        [str(weed), "server", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-s3",
         f"-s3.config={identities}", "-volume.max=16", "-master.volumeSizeLimitMB=32",
         *(f"-{name}={port}" for name, port in ports.items())],
        stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{ports['s3.port']}"
    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=ACCESS_KEY,
                          aws_secret_access_key=SECRET_KEY, region_name="us-east-1")

    def bucket_made():
        try:
            client.create_bucket(Bucket=BUCKET)
            return True
        except ClientError as error:
            return error.response["Error"]["Code"] == "BucketAlreadyOwnedByYou"
        except BotoCoreError:
            return False

    try:
        wait_for(bucket_made, timeout=60, interval=0.5)
        yield {"endpoint": endpoint, "client": client,
               "env": {"STORAGE_S3_BUCKET": BUCKET, "STORAGE_S3_ENDPOINT_URL": endpoint,
                       "STORAGE_S3_ACCESS_KEY": ACCESS_KEY, "STORAGE_S3_SECRET_KEY": SECRET_KEY,
                       "STORAGE_S3_REGION": "us-east-1"}}
    finally:
        process.kill()  # a throwaway server: nothing to flush
        process.wait()
        log.close()


def _bucket(server: dict, bucket: str = BUCKET, **options) -> S3Storage:
    """The storage the settings build from STORAGE_S3_*, for this process."""
    return S3Storage(bucket_name=bucket, endpoint_url=server["endpoint"], access_key=ACCESS_KEY,
                     secret_key=SECRET_KEY, region_name="us-east-1", addressing_style="path",
                     signature_version="s3v4", **options)


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_without_a_bucket_every_storage_is_the_local_filesystem():
    from django.core.files.storage import storages

    for alias in ("default", "certificates", "lesson_files", "support_agreements"):
        assert isinstance(storages[alias], FileSystemStorage)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_stores_the_certificate_in_the_bucket_and_the_portal_streams_it_privately(
        s3_server, settings, tmp_path, client, clinician, monkeypatch):
    from cpd_portal.celery import app

    app.control.purge()
    worker_media = tmp_path / "worker-media"
    worker = start_celery_worker(
        name="s3-worker", log_path=tmp_path / "worker.log",
        env={"DATABASE_URL": _test_database_url(), "EMAIL_URL": "memorymail://",
             "MEDIA_ROOT": str(worker_media), **s3_server["env"]})
    try:
        course = make_course(title="Sepsis Grand Rounds in object storage")
        with transaction.atomic():
            claim_credit(clinician, course)
        certificate = Certificate.objects.get(user=clinician)
        wait_for(lambda: Certificate.objects.get(pk=certificate.pk).status == "ready",
                 timeout=60)
    finally:
        stop_process(worker)
    certificate.refresh_from_db()
    name = certificate.pdf.name
    stored = s3_server["client"].get_object(Bucket=BUCKET, Key=name)["Body"].read()
    assert stored.startswith(b"%PDF")
    assert not list(worker_media.rglob("*.pdf"))  # nothing on the worker's disk

    # This process reads the same bucket, as any web node would.
    storage = _bucket(s3_server, querystring_expire=2)
    monkeypatch.setattr(Certificate._meta.get_field("pdf"), "storage", storage)
    client.force_login(clinician)
    response = client.get(f"/certificates/{certificate.pk}/download/")
    body = b"".join(response.streaming_content)
    assert response.status_code == 200 and body == stored
    client.force_login(UserFactory())
    assert client.get(f"/certificates/{certificate.pk}/download/").status_code == 404

    # Private: no unsigned read; a URL the storage makes is signed and short-lived
    # (STORAGE_S3_URL_SECONDS; SeaweedFS, unlike AWS, does not enforce the expiry itself).
    assert _status(f"{s3_server['endpoint']}/{BUCKET}/{name}") == 403
    signed = storage.url(name)
    assert "X-Amz-Signature" in signed and "X-Amz-Expires=2&" in signed
    assert _status(signed) == 200


def test_a_range_of_a_lesson_video_is_read_from_the_bucket_alone(s3_server, rf, monkeypatch):
    """A seek in a lesson video asks the store for those bytes only (one ranged GET), not for
    the whole object, which S3File would download before the first read."""
    from django.core.files.base import ContentFile
    from django.db.models import FileField
    from django.db.models.fields.files import FieldFile
    from storages.backends.s3 import S3File

    from credits.online.ranged import ranged_file_response

    storage = _bucket(s3_server)
    video = bytes(range(256)) * 4096  # 1 MiB
    name = storage.save("lesson_files/hand-hygiene.mp4", ContentFile(video))
    field_file = FieldFile(None, FileField(storage=storage), name)
    monkeypatch.setattr(S3File, "_get_file", lambda self: pytest.fail("downloaded it whole"))

    response = ranged_file_response(rf.get("/", HTTP_RANGE="bytes=500000-500999"), field_file,
                                    "video/mp4")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 500000-500999/{len(video)}"
    assert b"".join(response.streaming_content) == video[500000:501000]


@pytest.mark.django_db
def test_backup_and_restore_cover_the_bucket(s3_server, tmp_path):
    """`make backup` with a bucket archives its files with the database; a restore fills a new,
    empty bucket and refuses one in use."""
    import psycopg2
    from django.core.files.base import ContentFile
    from django.db import connection

    from cpd_portal.backup import BackupError, backup_create, backup_restore
    from tests.test_backup_restore import _url

    source = _bucket(s3_server)
    files = {"certificates/7/certificate-v1.pdf": b"%PDF-1.7 a certificate",
             "lesson_files/hand-hygiene.mp4": bytes(range(256)) * 64}
    for name, content in files.items():
        source.save(name, ContentFile(content))
    archive = backup_create(to=tmp_path / "backups", database=connection.settings_dict,
                            storage=source)

    s3_server["client"].create_bucket(Bucket="cpd-portal-restored")
    target = _bucket(s3_server, bucket="cpd-portal-restored")
    restored_name = f"{connection.settings_dict['NAME']}_bucket_restored"
    restored_url = _url(connection.settings_dict, restored_name)
    admin = psycopg2.connect(_url(connection.settings_dict, "postgres"))
    admin.autocommit = True
    try:
        manifest = backup_restore(archive=archive, database_url=restored_url, storage=target)
        assert set(manifest["files"]) == set(files)
        for name, content in files.items():
            with target.open(name, "rb") as handle:
                assert handle.read() == content
        with pytest.raises(BackupError, match="not empty"):
            backup_restore(archive=archive, database_url=restored_url, storage=target)
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')
        admin.close()
