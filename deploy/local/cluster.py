"""The whole topology on one machine (`make cluster`): a PostgreSQL primary and its streaming
replica, Redis, SeaweedFS's S3 server, two gunicorn web nodes behind nginx, a Celery worker per
queue and beat, and an SMTP sink that keeps every message it accepts. Tooling, not portal code.

Every process is started detached, in a process group of its own (so a drill can SIGKILL a
worker with its pool), with its pid under var/cluster/pids/ and its log under var/cluster/logs/;
`stop` ends them by those pids. All state lives under var/cluster/ (docs/operations.md).

    .venv/bin/python -m deploy.local.cluster up        # start (migrate and seed_demo once)
    .venv/bin/python -m deploy.local.cluster status
    .venv/bin/python -m deploy.local.cluster kill web-1 | start web-1
    .venv/bin/python -m deploy.local.cluster stop
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from cpd_portal import queues
from deploy.local.postgres_pair import PostgresPair

ROOT = Path(__file__).resolve().parents[2]
STATE = ROOT / "var" / "cluster"
PYTHON_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
# Defaults outside the ports the suite and `make run` use (8000, the OS's ephemeral range).
PORT_BASE = int(os.environ.get("CLUSTER_PORT_BASE", "8200"))
POSTGRES_PORT = int(os.environ.get("CLUSTER_POSTGRES_PORT", "55441"))
WEB_NODES = 2
DEFAULT_QUEUE = "cpd"
BUCKET = "cpd-cluster"
S3_ACCESS_KEY = "cpd-cluster"
DATABASE = "cpd_portal"
DEMO_PASSWORD = "cpd-demo-2026"  # seed_demo's, printed by `make run` too


def ports(base: int = PORT_BASE) -> dict[str, int]:
    """Every port of the topology, at fixed offsets from one base."""
    found = {"nginx": base, "smtp": base + 25, "redis": base + 90,
             "postgres-primary": POSTGRES_PORT, "postgres-replica": POSTGRES_PORT + 1}
    found.update({f"web-{number}": base + number for number in range(1, WEB_NODES + 1)})
    weed = ("master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port",
            "filer.port.grpc", "s3.port", "s3.port.grpc", "s3.port.iceberg", "s3.port.lance")
    found.update({f"weed-{name}": base + 40 + offset for offset, name in enumerate(weed)})
    return found


@dataclass
class Component:
    """One long-running process of the topology: how to start it and how to know it is up."""

    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    port: int | None = None  # up once something accepts connections here
    ready_text: str = ""  # or once its log says this

    @property
    def pid_file(self) -> Path:
        return STATE / "pids" / f"{self.name}.pid"

    @property
    def log_file(self) -> Path:
        return STATE / "logs" / f"{self.name}.log"

    def pid(self) -> int | None:
        with contextlib.suppress(FileNotFoundError, ValueError):
            pid = int(self.pid_file.read_text())
            return pid if alive(pid) else None
        return None

    def start(self) -> None:
        self.wait_ready(self.launch())

    def launch(self) -> int:
        """Start it without waiting; returns where its log of this start begins."""
        if self.pid():
            return 0
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        self.pid_file.parent.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("a") as log:
            log.write(f"--- started {time.strftime('%H:%M:%S')} ---\n")
            log.flush()
            log_start = log.tell()
            # A session of its own: the process leads a group holding everything it forks
            # (a Celery pool, gunicorn's workers), and outlives this command.
            process = subprocess.Popen(self.argv, cwd=ROOT, env={**os.environ, **self.env},
                                       stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
        self.pid_file.write_text(str(process.pid))
        return log_start

    def wait_ready(self, log_start: int = 0, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while not self._ready(log_start):
            if not self.pid():
                raise RuntimeError(f"{self.name} exited at start; see {self.log_file}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} not ready in {timeout} s; see {self.log_file}")
            time.sleep(0.2)

    def _ready(self, log_start: int) -> bool:
        if self.port is not None:
            return port_open(self.port)
        if self.ready_text:
            with self.log_file.open() as log:
                log.seek(log_start)
                return self.ready_text in log.read()
        return True

    def kill(self) -> None:
        """SIGKILL the whole process group, as `kill -9` of a container would."""
        pid = self.pid()
        if pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
        wait_exit(pid)

    def stop(self) -> None:
        pid = self.pid()
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGTERM)
            if not wait_exit(pid, timeout=20):
                self.kill()
        self.pid_file.unlink(missing_ok=True)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A killed process whose parent has not reaped it yet is a zombie: not alive.
    with contextlib.suppress(FileNotFoundError):
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    return False


def wait_exit(pid: int, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def port_open(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.5):
        return True
    return False


# --- PostgreSQL: a primary and its streaming replica (deploy/local/postgres_pair.py) -----------
PAIR = PostgresPair(STATE / "postgres", ports()["postgres-primary"], ports()["postgres-replica"])


def postgres_up() -> None:
    """Create the pair and the portal's database on the first run; start what is down."""
    if not PAIR.primary.data_dir.exists():
        PAIR.create()
        PAIR.primary.query(f"CREATE DATABASE {DATABASE}")
    for node in (PAIR.primary, PAIR.replica):
        if not node.is_running():
            node.start()


# --- The rest of the topology ------------------------------------------------------------------
def _secret(name: str, make) -> str:
    path = STATE / "secrets" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text()


def portal_env(node: str) -> dict[str, str]:
    """What every portal process reads. DEBUG stays on as in `make run`: seed_demo refuses to
    run with it off, and session cookies are HTTPS-only without it (this topology is plain
    HTTP on loopback). Each node has a media root of its own, which nothing may need: every
    file lives in the bucket."""
    from credits.certificates.openbadges.keys import new_signing_key_pem

    port = ports()
    site = f"http://{HOST}:{port['nginx']}"
    return {
        "DEBUG": "1", "NODE_NAME": node, "SITE_URL": site,
        "ALLOWED_HOSTS": f"{HOST},localhost", "CSRF_TRUSTED_ORIGINS": site,
        "SECRET_KEY": _secret("secret-key", lambda: secrets.token_urlsafe(50)),
        "CREDENTIAL_SIGNING_KEY": _secret("credential-signing-key.pem", new_signing_key_pem),
        "DATABASE_URL": PAIR.primary.url(DATABASE), "DB_CONN_MAX_AGE": "60",
        # Reports, exports, the dashboard and the API's sync feeds read the replica (decision 0032).
        "DATABASE_REPLICA_URL": PAIR.replica.url(DATABASE),
        "REDIS_URL": f"redis://{HOST}:{port['redis']}/0", "CELERY_QUEUE": DEFAULT_QUEUE,
        "EMAIL_URL": f"smtp://{HOST}:{port['smtp']}",
        "STORAGE_S3_BUCKET": BUCKET, "STORAGE_S3_ENDPOINT_URL": f"http://{HOST}:{port['weed-s3.port']}",
        "STORAGE_S3_ACCESS_KEY": S3_ACCESS_KEY,
        "STORAGE_S3_SECRET_KEY": _secret("s3-secret-key", lambda: secrets.token_urlsafe(24)),
        "STORAGE_S3_REGION": "us-east-1",
        "VAR_DIR": str(STATE / "nodes" / node), "MEDIA_ROOT": str(STATE / "nodes" / node / "media"),
        "STAFF_MFA_REQUIRED": "0", "LOG_LEVEL": "INFO", "PYTHONUNBUFFERED": "1",
        # A roster of a few dozen rows is built on the exports worker, as a large one would be.
        "EXPORT_ASYNC_THRESHOLD_ROWS": "10",
    }


def _weed_identities() -> Path:
    path = STATE / "s3" / "identities.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"identities": [{
        "name": "cpd-portal", "credentials": [{
            "accessKey": S3_ACCESS_KEY,
            "secretKey": _secret("s3-secret-key", lambda: secrets.token_urlsafe(24))}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
    return path


def nginx_config() -> Path:
    """deploy/nginx.conf's server block, with the web nodes listed by port and every path
    under var/cluster/nginx."""
    port = ports()
    prefix = STATE / "nginx"
    for folder in ("logs", "temp"):
        (prefix / folder).mkdir(parents=True, exist_ok=True)
    servers = "".join(f"    server {HOST}:{port[f'web-{number}']} max_fails=1 fail_timeout=5s;\n"
                      for number in range(1, WEB_NODES + 1))
    temp = prefix / "temp"
    config = prefix / "nginx.conf"
    config.write_text(f"""# Generated by deploy/local/cluster.py from deploy/nginx.conf.
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 512; }}
http {{
  access_log {prefix}/logs/access.log;
  client_body_temp_path {temp}/body;
  proxy_temp_path {temp}/proxy;
  fastcgi_temp_path {temp}/fastcgi;
  uwsgi_temp_path {temp}/uwsgi;
  scgi_temp_path {temp}/scgi;
  upstream portal_web {{
{servers}  }}
  server {{
    listen {HOST}:{port['nginx']};
    client_max_body_size 200m;
    location / {{
      proxy_pass http://portal_web;
      proxy_set_header Host $host:$server_port;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      # A node killed before it answered: the request goes to the next node. A POST is
      # retried only when it never reached the dead node (nginx's rule for non-idempotent
      # requests); one that did is answered 502 and retried by the client.
      proxy_next_upstream error timeout http_502 http_503;
      proxy_connect_timeout 2s;
      proxy_read_timeout 120s;
    }}
  }}
}}
""")
    return config


def components() -> dict[str, Component]:
    port = ports()
    python = str(PYTHON_BIN / "python")
    found = {
        "redis": Component("redis", [
            "redis-server", "--bind", HOST, "--port", str(port["redis"]),
            "--dir", str(STATE / "redis"), "--appendonly", "yes", "--save", ""],
            port=port["redis"]),
        "s3": Component("s3", [
            str(PYTHON_BIN / "weed"), "server", f"-dir={STATE / 's3' / 'data'}", f"-ip={HOST}",
            f"-ip.bind={HOST}", "-s3", f"-s3.config={STATE / 's3' / 'identities.json'}",
            "-volume.max=16", "-master.volumeSizeLimitMB=32",
            *(f"-{name[len('weed-'):]}={number}" for name, number in port.items()
              if name.startswith("weed-"))], port=port["weed-s3.port"]),
        "smtp": Component("smtp", [python, "-m", "deploy.local.smtp_sink", "--port",
                                   str(port["smtp"]), "--directory", str(STATE / "mail"),
                                   "--delay", "0.03"],
                          port=port["smtp"]),
        "nginx": Component("nginx", ["/usr/sbin/nginx", "-p", str(STATE / "nginx"), "-c",
                                     str(STATE / "nginx" / "nginx.conf"), "-g", "daemon off;"],
                           port=port["nginx"]),
        "beat": Component("beat", [
            python, "-m", "celery", "-A", "cpd_portal", "beat", "--loglevel", "INFO",
            "--pidfile", ""], env=portal_env("beat"), ready_text="beat: Starting"),
    }
    for number in range(1, WEB_NODES + 1):
        name = f"web-{number}"
        found[name] = Component(name, [
            python, "-m", "gunicorn", "cpd_portal.wsgi:application", "--bind",
            f"{HOST}:{port[name]}", "--workers", "2", "--access-logfile", "-"],
            env=portal_env(name), port=port[name])
    queue_names = [DEFAULT_QUEUE,
                   *(queues.queue_name(DEFAULT_QUEUE, kind) for kind in queues.KINDS)]
    for queue in queue_names:
        name = "worker-" + (queue.removeprefix(f"{DEFAULT_QUEUE}-") if queue != DEFAULT_QUEUE
                            else "default")
        # Two pool processes where a burst lands (email, certificates), one elsewhere.
        concurrency = 2 if queue.endswith(("-email", "-certificates")) else 1
        found[name] = Component(name, [
            python, "-m", "celery", "-A", "cpd_portal", "worker", "--loglevel", "INFO",
            "--pool", "prefork", "--concurrency", str(concurrency), "-Q", queue,
            "--without-gossip", "--without-mingle", "--hostname", f"{name}@cluster"],
            env=portal_env(name), ready_text="ready.")
    return found


def _manage(*arguments: str) -> None:
    subprocess.run([str(PYTHON_BIN / "python"), "manage.py", *arguments], cwd=ROOT, check=True,
                   env={**os.environ, **portal_env("setup"), "LOG_LEVEL": "WARNING"})


def _bucket_ensure() -> None:
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    env = portal_env("setup")
    client = boto3.client("s3", endpoint_url=env["STORAGE_S3_ENDPOINT_URL"],
                          aws_access_key_id=S3_ACCESS_KEY,
                          aws_secret_access_key=env["STORAGE_S3_SECRET_KEY"],
                          region_name="us-east-1")
    deadline = time.monotonic() + 60
    while True:
        try:
            client.create_bucket(Bucket=BUCKET)
            return
        except ClientError as error:
            if error.response["Error"]["Code"] in ("BucketAlreadyOwnedByYou",
                                                   "BucketAlreadyExists"):
                return
            if time.monotonic() > deadline:
                raise
        except BotoCoreError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.5)


# Started in this order; stopped in the reverse one.
ORDER = ("smtp", "redis", "s3", "web-1", "web-2", "nginx", "worker-default", "worker-email",
         "worker-certificates", "worker-exports", "worker-board-reporting", "worker-drills",
         "worker-imports", "beat")


def up() -> None:
    started = time.monotonic()
    STATE.mkdir(parents=True, exist_ok=True)
    (STATE / "redis").mkdir(exist_ok=True)
    (STATE / "s3" / "data").mkdir(parents=True, exist_ok=True)
    _weed_identities()
    nginx_config()
    postgres_up()
    every = components()
    for name in ("smtp", "redis", "s3"):
        every[name].start()
    _bucket_ensure()
    seeded = STATE / "seeded"
    if not seeded.exists():
        _manage("migrate", "--no-input", "-v", "0")
        _manage("seed_demo")
        seeded.write_text(time.strftime("%Y-%m-%dT%H:%M:%S"))
    # The web nodes and workers start at once (each takes seconds to import the portal).
    log_starts = {name: every[name].launch() for name in ORDER[3:]}
    for name, log_start in log_starts.items():
        every[name].wait_ready(log_start)
    port = ports()
    print(f"""
  CPD portal cluster: http://{HOST}:{port['nginx']}   (demo logins' password: {DEMO_PASSWORD})
  web nodes :{port['web-1']} :{port['web-2']}  PostgreSQL :{PAIR.primary.port} \
(replica :{PAIR.replica.port}, streaming: {PAIR.is_streaming()})
  Redis :{port['redis']}  S3 http://{HOST}:{port['weed-s3.port']} (bucket {BUCKET})  \
SMTP sink :{port['smtp']} (var/cluster/mail)
  state and logs: var/cluster/   up in {time.monotonic() - started:.0f} s
  Stop it with `make cluster-stop`; `make cluster-drill` runs the failure drill against it.
""")


def stop() -> None:
    every = components()
    for name in reversed(ORDER):
        every[name].stop()
    PAIR.stop()


def status() -> dict:
    report = {name: component.pid() for name, component in components().items()}
    report.update({"postgres-primary": PAIR.primary.postmaster_pid(),
                   "postgres-replica": PAIR.replica.postmaster_pid(),
                   "replica-streaming": PAIR.is_streaming()})
    return report


def node(name: str):
    """A component, or one PostgreSQL node of the pair (each with kill and start)."""
    if name == "postgres-replica":
        return PAIR.replica
    if name == "postgres-primary":
        return PAIR.primary
    return components()[name]


def destroy() -> None:
    stop()
    shutil.rmtree(STATE, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("up", "stop", "status", "destroy"):
        commands.add_parser(name)
    for name in ("kill", "start"):
        commands.add_parser(name).add_argument("component")
    arguments = parser.parse_args(argv)
    if arguments.command == "up":
        up()
    elif arguments.command == "stop":
        stop()
    elif arguments.command == "destroy":
        destroy()
    elif arguments.command == "status":
        print(json.dumps(status(), indent=2))
    else:
        getattr(node(arguments.component), arguments.command)()


if __name__ == "__main__":
    main()
