"""The HTTP side every local stand-in for an outside service shares (PARS, CE Broker, CPE
Monitor, Zoom and Graph, the push service): a threaded server on 127.0.0.1, port 0, started and
stopped as a context manager, handing each request to the stand-in's `receive`."""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class StandInServer:
    """Subclasses implement `receive(method, path, headers, body) -> (status, headers, payload)`:
    the answer's status, its headers (Content-Length is added) and its body."""

    def __init__(self):
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

    def receive(self, method: str, path: str, headers, body: bytes
                ) -> tuple[int, dict[str, str], bytes]:
        raise NotImplementedError

    def _handler(self):
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, headers, payload = stand_in.receive(self.command, self.path,
                                                            self.headers, body)
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve  # noqa: N815 (http.server's naming)

            def log_message(self, *args):
                pass

        return Handler
