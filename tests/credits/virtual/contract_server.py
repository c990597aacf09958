"""What the local stand-ins for Zoom and Microsoft Graph share over the common server
(tests/stand_in_http.py): a log of every request, JSON answers, and a queue of faults (an error
status, with Retry-After) that the next requests answer with before the documented behaviour
resumes."""
import json
import urllib.parse

from tests.stand_in_http import StandInServer


class StandIn(StandInServer):
    def __init__(self):
        super().__init__()
        self.requests: list[tuple[str, str]] = []  # (method, path with query)
        self.faults: list[tuple[int, float | None]] = []  # (status, Retry-After seconds)

    def fail_next(self, status: int, *, retry_after: float | None = None, times: int = 1):
        self.faults.extend([(status, retry_after)] * times)

    def route(self, method: str, path: str, query: dict, headers, body: bytes
              ) -> tuple[int, dict, dict]:
        raise NotImplementedError

    def receive(self, method, path, headers, body) -> tuple[int, dict[str, str], bytes]:
        parsed = urllib.parse.urlsplit(path)
        query = dict(urllib.parse.parse_qsl(parsed.query))
        with self.lock:
            self.requests.append((method, path))
            fault = self.faults.pop(0) if self.faults else None
        if fault is not None:
            status, retry_after = fault
            answer_headers = {"Retry-After": str(int(retry_after))} if retry_after else {}
            payload = {"code": status, "message": "Too many requests."
                       if status == 429 else "Service unavailable."}
        else:
            status, payload, answer_headers = self.route(method, parsed.path, query, headers,
                                                         body)
        return status, {"Content-Type": "application/json", **answer_headers}, \
            json.dumps(payload).encode()
