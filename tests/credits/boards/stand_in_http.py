"""The HTTP side the PARS and CE Broker stand-ins share: a threaded server on port 0, the
faults a network gives (slow answers, 5xx) and a log of what was received."""
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class StandIn:
    """Subclasses implement `answer(method, path, headers, body) -> (status, bytes)`."""

    content_type = "application/xml"

    def __init__(self):
        self.requests: list[tuple[str, str, bytes]] = []
        self.faults: list[tuple[str, float]] = []  # ("slow", seconds) or ("status", 503)
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        # A short poll: shutting down waits for at most one poll interval.
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def paths(self) -> list[str]:
        return [f"{method} {path}" for method, path, _ in self.requests]

    def _receive(self, method, path, headers, body) -> tuple[int, bytes]:
        with self.lock:
            self.requests.append((method, path, body))
            fault = self.faults.pop(0) if self.faults else None
        if fault and fault[0] == "slow":
            time.sleep(fault[1])
        if fault and fault[0] == "status":
            return int(fault[1]), b"<Errors><Error code='SERVER_ERROR'>Down.</Error></Errors>"
        with self.lock:
            return self.answer(method, path, headers, body)

    def answer(self, method, path, headers, body) -> tuple[int, bytes]:
        raise NotImplementedError

    def _handler(self):
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, payload = stand_in._receive(self.command, self.path, self.headers, body)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", stand_in.content_type)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

            do_GET = do_POST = do_DELETE = _serve  # noqa: N815 (http.server's naming)

            def log_message(self, *args):
                pass

        return Handler


def settings_point_at(settings, prefix: str, server: StandIn, **values) -> None:
    """Point the portal's <PREFIX>_URL at the stand-in, with its credentials and a short
    timeout (a slow-answer fault then costs half a second)."""
    setattr(settings, f"{prefix}_URL", server.url)
    setattr(settings, f"{prefix}_TIMEOUT_SECONDS", 0.5)
    for name, value in values.items():
        setattr(settings, f"{prefix}_{name}", value)
