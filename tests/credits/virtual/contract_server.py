"""What the local stand-ins for Zoom and Microsoft Graph share: a threaded HTTP server on port 0,
a log of every request, and a queue of faults (an error status, with Retry-After) that the
next requests answer with before the documented behaviour resumes."""
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class StandIn:
    def __init__(self):
        self.requests: list[tuple[str, str]] = []  # (method, path with query)
        self.faults: list[tuple[int, float | None]] = []  # (status, Retry-After seconds)
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, status: int, *, retry_after: float | None = None, times: int = 1):
        self.faults.extend([(status, retry_after)] * times)

    def route(self, method: str, path: str, query: dict, headers, body: bytes
              ) -> tuple[int, dict, dict]:
        raise NotImplementedError

    def _handler(self):
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, method: str):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parsed = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(parsed.query))
                with stand_in.lock:
                    stand_in.requests.append((method, self.path))
                    fault = stand_in.faults.pop(0) if stand_in.faults else None
                if fault is not None:
                    status, retry_after = fault
                    headers = {"Retry-After": str(int(retry_after))} if retry_after else {}
                    payload = {"code": status, "message": "Too many requests."
                               if status == 429 else "Service unavailable."}
                else:
                    status, payload, headers = stand_in.route(method, parsed.path, query,
                                                              self.headers, body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):  # noqa: N802
                self._answer("GET")

            def do_POST(self):  # noqa: N802
                self._answer("POST")

            def log_message(self, *args):
                pass

        return Handler
