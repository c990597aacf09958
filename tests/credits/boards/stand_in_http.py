"""What the PARS and CE Broker stand-ins share over the common server (tests/stand_in_http.py):
the faults a network gives (slow answers, 5xx) and a log of what was received."""
import time

from tests.stand_in_http import StandInServer


class StandIn(StandInServer):
    """Subclasses implement `answer(method, path, headers, body) -> (status, bytes)`."""

    content_type = "application/xml"

    def __init__(self):
        super().__init__()
        self.requests: list[tuple[str, str, bytes]] = []
        self.faults: list[tuple[str, float]] = []  # ("slow", seconds) or ("status", 503)

    def paths(self) -> list[str]:
        return [f"{method} {path}" for method, path, _ in self.requests]

    def receive(self, method, path, headers, body) -> tuple[int, dict[str, str], bytes]:
        with self.lock:
            self.requests.append((method, path, body))
            fault = self.faults.pop(0) if self.faults else None
        if fault and fault[0] == "slow":
            time.sleep(fault[1])
        if fault and fault[0] == "status":
            status = int(fault[1])
            payload = b"<Errors><Error code='SERVER_ERROR'>Down.</Error></Errors>"
        else:
            with self.lock:
                status, payload = self.answer(method, path, headers, body)
        return status, {"Content-Type": self.content_type}, payload

    def answer(self, method, path, headers, body) -> tuple[int, bytes]:
        raise NotImplementedError


def settings_point_at(settings, prefix: str, server: StandIn, **values) -> None:
    """Point the portal's <PREFIX>_URL at the stand-in, with its credentials and a short
    timeout (a slow-answer fault then costs half a second)."""
    setattr(settings, f"{prefix}_URL", server.url)
    setattr(settings, f"{prefix}_TIMEOUT_SECONDS", 0.5)
    for name, value in values.items():
        setattr(settings, f"{prefix}_{name}", value)
