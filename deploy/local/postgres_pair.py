"""A private PostgreSQL primary and a streaming hot-standby replica on this machine, for the read
replica's tests and for `make cluster` (docs/operations.md#read-replica). Tooling, not portal code.

It uses Debian's PostgreSQL 15 binaries, so no shared server's pg_hba.conf is touched: each
cluster is a directory of its own, listens on 127.0.0.1 only (no Unix socket) and trusts that
address, the primary with a replication line too. As root (initdb refuses root) every binary runs
as the `postgres` OS user and the directories belong to it, as in Debian's own clusters.

    .venv/bin/python -m deploy.local.postgres_pair up var/pg-pair --ports 55431 55432
    .venv/bin/python -m deploy.local.postgres_pair status var/pg-pair
    .venv/bin/python -m deploy.local.postgres_pair kill|stop|start replica var/pg-pair
    .venv/bin/python -m deploy.local.postgres_pair down var/pg-pair

From Python: `pair = PostgresPair(directory, primary_port, replica_port); pair.create()`, then
`pair.primary.url("postgres")`, `pair.replica.stop()`, `pair.lag_seconds()` ...
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg2

from cpd_portal.replica import REPLICA_LAG_SQL  # the portal's own measure of lag

BIN = Path(os.environ.get("POSTGRES_BIN", "/usr/lib/postgresql/15/bin"))
HOST = "127.0.0.1"
SUPERUSER = "postgres"
SLOT = "replica"
# A throwaway pair on one machine: fsync off survives the kill of a PostgreSQL process (only an
# operating-system crash would lose data); a replication slot keeps the WAL a killed replica needs
# to catch up when it comes back.
SETTINGS = {
    "listen_addresses": f"'{HOST}'",
    "unix_socket_directories": "''",
    "wal_level": "replica",
    "max_wal_senders": "5",
    "max_replication_slots": "5",
    "hot_standby": "on",
    "hot_standby_feedback": "on",
    "wal_receiver_status_interval": "1s",
    # A restarted primary is streamed from again within half a second, not five.
    "wal_retrieve_retry_interval": "500ms",
    "fsync": "off",
    "full_page_writes": "off",
    "shared_buffers": "32MB",
    "max_connections": "100",
}
PG_HBA = (f"# Trust on {HOST} only: a private cluster for tests and the local topology.\n"
          f"host all all {HOST}/32 trust\n"
          f"host replication all {HOST}/32 trust\n")


def _run_as_owner() -> dict:
    """subprocess arguments that run a PostgreSQL binary as the postgres OS user when root."""
    return {"user": SUPERUSER, "group": pwd.getpwnam(SUPERUSER).pw_gid} if os.geteuid() == 0 else {}


def _give_to_owner(path: Path) -> None:
    if os.geteuid() == 0:
        entry = pwd.getpwnam(SUPERUSER)
        os.chown(path, entry.pw_uid, entry.pw_gid)


def _pg(binary: str, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / binary), *arguments], check=check, capture_output=True,
                          text=True, **_run_as_owner())


def free_ports(count: int, candidates: range | None = None) -> list[int]:
    """`count` ports nothing listens on: from `candidates` when a range is given (a machine shared
    by several runs, each with its own range), otherwise chosen by the operating system."""
    if candidates is None:
        sockets = []
        try:
            for _ in range(count):
                each = socket.socket()
                each.bind((HOST, 0))
                sockets.append(each)
            return [each.getsockname()[1] for each in sockets]
        finally:
            for each in sockets:
                each.close()
    found = []
    for port in candidates:
        with socket.socket() as probe:
            try:
                probe.bind((HOST, port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    raise RuntimeError(f"fewer than {count} free ports in {candidates}")


@dataclass
class Node:
    """One PostgreSQL cluster of the pair: its data directory and port."""

    name: str
    data_dir: Path
    port: int

    @property
    def log_file(self) -> Path:
        return self.data_dir.parent / f"{self.name}.log"

    def url(self, database: str = "postgres") -> str:
        return f"postgres://{SUPERUSER}@{HOST}:{self.port}/{database}"

    def connect(self, database: str = "postgres", timeout: int = 2):
        connection = psycopg2.connect(host=HOST, port=self.port, user=SUPERUSER, dbname=database,
                                      connect_timeout=timeout)
        connection.autocommit = True
        return connection

    def query(self, sql: str, parameters: tuple = (), database: str = "postgres"):
        """The first row of one statement (None when it returns none)."""
        with contextlib.closing(self.connect(database)) as connection, \
                connection.cursor() as cursor:
            cursor.execute(sql, parameters)
            return cursor.fetchone() if cursor.description else None

    def postmaster_pid(self) -> int | None:
        pid_file = self.data_dir / "postmaster.pid"
        try:
            pid = int(pid_file.read_text().split("\n", 1)[0])
        except (FileNotFoundError, ValueError):
            return None
        return pid if _alive(pid) else None

    def is_running(self) -> bool:
        return self.postmaster_pid() is not None

    def start(self, timeout: int = 60) -> None:
        """Start and wait until it accepts connections (a standby once it is consistent)."""
        _pg("pg_ctl", "start", "-D", str(self.data_dir), "-l", str(self.log_file), "-w",
            "-t", str(timeout))

    def stop(self, mode: str = "fast") -> None:
        """A clean stop (`fast`: roll back sessions, checkpoint) or `immediate` (no checkpoint)."""
        if self.is_running():
            _pg("pg_ctl", "stop", "-D", str(self.data_dir), "-m", mode, "-w")

    def kill(self) -> None:
        """SIGKILL the postmaster and every process it started, as a crash of the node would."""
        pid = self.postmaster_pid()
        if pid is None:
            return
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True,
                                  check=False).stdout.split()
        for each in (pid, *map(int, children)):
            with contextlib.suppress(ProcessLookupError):
                os.kill(each, signal.SIGKILL)
        # Until each has left the process table: PostgreSQL refuses to start while the pid in
        # postmaster.pid exists, even as a zombie the init process has not yet reaped.
        self._wait_for_exit(30, pids=[pid, *map(int, children)])

    def restart(self) -> None:
        self.stop()
        self.start()

    def _wait_for_exit(self, timeout: float, pids: list[int]) -> None:
        deadline = time.monotonic() + timeout
        while any(_exists(pid) for pid in pids):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name} did not exit within {timeout} s")
            time.sleep(0.05)


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _alive(pid: int) -> bool:
    if not _exists(pid):
        return False
    # A killed process stays in the table as a zombie until its parent reaps it.
    with contextlib.suppress(FileNotFoundError):
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    return False


class PostgresPair:
    """A primary and its streaming replica under one directory (`primary/`, `replica/`)."""

    def __init__(self, directory: Path | str, primary_port: int, replica_port: int):
        self.directory = Path(directory).resolve()
        self.primary = Node("primary", self.directory / "primary", primary_port)
        self.replica = Node("replica", self.directory / "replica", replica_port)

    @classmethod
    def load(cls, directory: Path | str) -> PostgresPair:
        """The pair `create()` made in `directory` (ports read back from its pair.json)."""
        ports = json.loads((Path(directory) / "pair.json").read_text())
        return cls(directory, ports["primary"], ports["replica"])

    def create(self, timeout: float = 60) -> None:
        """initdb the primary, start it, base-backup the replica, start it, wait until it
        streams. The directory must not hold a pair yet."""
        self.directory.mkdir(parents=True, exist_ok=True)
        _give_to_owner(self.directory)
        (self.directory / "pair.json").write_text(
            json.dumps({"primary": self.primary.port, "replica": self.replica.port}))
        self._init_primary()
        self.primary.start()
        _pg("pg_basebackup", "-h", HOST, "-p", str(self.primary.port), "-U", SUPERUSER,
            "-D", str(self.replica.data_dir), "-X", "stream", "-C", "-S", SLOT, "-R",
            "--checkpoint=fast", "--no-sync")
        # The backup copied the primary's port; the replica listens on its own.
        with (self.replica.data_dir / "postgresql.auto.conf").open("a") as conf:
            conf.write(f"port = {self.replica.port}\n")
        self.replica.start()
        self.wait_until_streaming(timeout)

    def _init_primary(self) -> None:
        _pg("initdb", "-D", str(self.primary.data_dir), "-U", SUPERUSER, "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        with (self.primary.data_dir / "postgresql.conf").open("a") as conf:
            conf.write("\n# deploy/local/postgres_pair.py\n")
            conf.write(f"port = {self.primary.port}\n")
            conf.writelines(f"{name} = {value}\n" for name, value in SETTINGS.items())
        (self.primary.data_dir / "pg_hba.conf").write_text(PG_HBA)

    def start(self) -> None:
        self.primary.start()
        self.replica.start()

    def stop(self) -> None:
        self.replica.stop()
        self.primary.stop()

    def destroy(self) -> None:
        """Stop both (immediately: nothing here is worth a checkpoint) and remove the directory."""
        for node in (self.replica, self.primary):
            node.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)

    def is_streaming(self) -> bool:
        try:
            row = self.primary.query(
                "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")
        except psycopg2.OperationalError:
            return False
        return bool(row and row[0])

    def wait_until_streaming(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not self.is_streaming():
            if time.monotonic() > deadline:
                raise TimeoutError(f"the replica did not stream within {timeout} s "
                                   f"(see {self.replica.log_file})")
            time.sleep(0.05)

    def wait_until_caught_up(self, timeout: float = 30) -> None:
        """Until the replica has replayed everything the primary has written so far.

        The insert position, not pg_current_wal_lsn() (the write position): a transaction
        committed with synchronous_commit off (the suite's connections) may still be in the
        primary's WAL buffers, beyond the write position, until the WAL writer flushes it; a
        wait on the write position could end before the replica has the commit."""
        (target,) = self.primary.query("SELECT pg_current_wal_insert_lsn()")
        deadline = time.monotonic() + timeout
        while True:
            row = self.replica.query(
                "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), %s) >= 0", (target,))
            if row and row[0]:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"the replica did not replay {target} within {timeout} s")
            time.sleep(0.02)

    def lag_seconds(self) -> float:
        """How far the replica's data is behind: 0 when it has replayed all it received,
        otherwise the age of the last transaction it replayed (the usual standby formula)."""
        (lag,) = self.replica.query(REPLICA_LAG_SQL)
        return float(lag)

    def status(self) -> dict:
        """What `status` prints: each node up or down, the replica's lag, the primary's view."""
        report = {"primary": {"port": self.primary.port, "running": self.primary.is_running()},
                  "replica": {"port": self.replica.port, "running": self.replica.is_running()}}
        with contextlib.suppress(psycopg2.Error):
            report["replica"]["lag_seconds"] = self.lag_seconds()
        with contextlib.suppress(psycopg2.Error):
            row = self.primary.query(
                "SELECT state, pg_wal_lsn_diff(sent_lsn, replay_lsn),"
                " extract(epoch FROM replay_lag) FROM pg_stat_replication LIMIT 1")
            if row:
                report["primary"]["replication"] = {
                    "state": row[0], "replay_behind_bytes": int(row[1] or 0),
                    "replay_lag_seconds": float(row[2] or 0)}
        return report




def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("up", help="create and start a pair in DIRECTORY")
    up.add_argument("directory")
    up.add_argument("--ports", nargs=2, type=int, metavar=("PRIMARY", "REPLICA"),
                    help="default: two free ports the operating system picks")
    for name in ("status", "down", "start-pair", "stop-pair"):
        commands.add_parser(name).add_argument("directory")
    for name in ("start", "stop", "kill", "restart"):
        node_command = commands.add_parser(name, help=f"{name} one node")
        node_command.add_argument("node", choices=["primary", "replica"])
        node_command.add_argument("directory")
    arguments = parser.parse_args(argv)

    if arguments.command == "up":
        pair = PostgresPair(arguments.directory, *(arguments.ports or free_ports(2)))
        pair.create()
        print(json.dumps({"primary": pair.primary.url(), "replica": pair.replica.url()}))
        return
    pair = PostgresPair.load(arguments.directory)
    if arguments.command == "status":
        print(json.dumps(pair.status(), indent=2))
    elif arguments.command == "down":
        pair.destroy()
    elif arguments.command == "start-pair":
        pair.start()
    elif arguments.command == "stop-pair":
        pair.stop()
    else:
        getattr(getattr(pair, arguments.node), arguments.command)()


if __name__ == "__main__":
    main()
