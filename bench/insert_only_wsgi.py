"""The least any HTTP commit endpoint can do, for bench/scorm_commits.py: no framework, no
session, no lock or summary; each POST's JSON body is stored by one INSERT and answered `{}`.
Served by gunicorn like the portal, it measures what HTTP itself costs on this machine."""
import json
import os

import psycopg2

_connection = None


def _cursor():
    global _connection
    if _connection is None:  # one connection per gunicorn worker, opened after the fork
        _connection = psycopg2.connect(os.environ["DATABASE_URL"])
        _connection.autocommit = True
    return _connection.cursor()


def application(environ, start_response):
    body = json.loads(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)))
    attempt_id = int(environ["PATH_INFO"].rstrip("/").split("/")[-2])
    with _cursor() as cursor:
        cursor.execute("INSERT INTO bench_bare_commit (attempt_id, commit_id, received_at, cmi) "
                       "VALUES (%s, %s, now(), %s)",
                       [attempt_id, body["commit_id"], json.dumps(body["cmi"])])
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "2")])
    return [b"{}"]
