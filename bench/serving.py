"""Start the portal (or the bare baseline) under gunicorn and load it, for HTTP benchmarks."""
import argparse
import contextlib
import http.client
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from credits.certificates.openbadges.keys import new_signing_key_pem

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(**overrides) -> dict:
    """Production settings (DEBUG off) on plain HTTP on loopback."""
    env = dict(os.environ)
    env.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="127.0.0.1",
               CREDENTIAL_SIGNING_KEY=new_signing_key_pem(),
               SECURE_SSL_REDIRECT="0", LOG_LEVEL="WARNING")
    env.update(overrides)
    return env


def collectstatic(env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
                   cwd=ROOT, env=env, check=True)


@contextlib.contextmanager
def gunicorn(settings_module: str, env: dict, workers: int = 2, port: int = 0,
             app: str = "cpd_portal.wsgi:application"):
    """Gunicorn serving `app` on `port` (0: any free port) until the block ends."""
    port = port or free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", app, "--bind",
         f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": settings_module})
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


def single_client_latencies_ms(address: str, path: str, requests: int,
                               headers: dict | None = None) -> list[float]:
    """One keep-alive client, one request at a time: the latency a lone clinician sees."""
    host, port = address.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    latencies = []
    for _ in range(requests):
        started = time.perf_counter()
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {path} answered {response.status}")
        latencies.append((time.perf_counter() - started) * 1000)
    connection.close()
    return latencies


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def load_client() -> str:
    """wrk where it is installed; else a client of Python threads, one keep-alive connection
    each. The Python client spends CPU of its own on the same cores as gunicorn, so its figures
    are lower than wrk's; the ratio (page against the bare view, same client) is what compares."""
    return "wrk" if shutil.which("wrk") else "python"


def python_requests_per_second(address: str, path: str, seconds: int, connections: int,
                               headers: dict | None = None) -> float:
    """Requests/s of `connections` threads each sending requests one after the other over its
    own keep-alive connection for `seconds` (a closed loop, as wrk's)."""
    host, port = address.split(":")
    deadline = time.perf_counter() + seconds
    counts = [0] * connections
    failures = []

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        while time.perf_counter() < deadline:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                failures.append(response.status)
                break
            counts[index] += 1
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(index,)) for index in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"GET {path} answered {failures[0]}")
    return sum(counts) / elapsed


def wrk_requests_per_second(address: str, path: str, seconds: int, connections: int,
                            headers: dict | None = None) -> float:
    header_args = [arg for name, value in (headers or {}).items()
                   for arg in ("-H", f"{name}: {value}")]
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", *header_args,
         f"http://{address}{path}"],
        capture_output=True, text=True, check=True).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        raise RuntimeError(f"{non_2xx.group(1)} failed responses for {path}:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def http_benchmark_args(description: str) -> argparse.Namespace:
    """The options every HTTP benchmark takes; it refuses anything but PostgreSQL."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--latency-requests", type=int, default=200)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to the PostgreSQL benchmark database.")
    return args


def page_measure(address: str, path: str, args: argparse.Namespace,
                 headers: dict | None = None) -> tuple[float, float]:
    """Requests/s under the load client (`load_client`) and single-client p95 (ms) of one page,
    after a warm-up."""
    single_client_latencies_ms(address, path, 20, headers)  # warm-up: connections, caches
    measure = (wrk_requests_per_second if load_client() == "wrk"
               else python_requests_per_second)
    rps = measure(address, path, args.seconds, args.connections, headers)
    latency = p95(single_client_latencies_ms(address, path, args.latency_requests, headers))
    return rps, latency
