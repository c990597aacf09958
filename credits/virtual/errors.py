"""What the Zoom and Graph clients raise, so the worker treats both services alike."""


class ProviderError(Exception):
    """The service refused the request for good (a wrong meeting id, a missing permission)."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.status = status


class ProviderUnavailable(ProviderError):
    """A timeout, a refused connection, a 5xx or a 429: retried later. `retry_after` is the
    service's own figure (Retry-After) when it gave one."""

    def __init__(self, message: str, *, status: int | None = None,
                 retry_after: float | None = None):
        super().__init__(message, status=status)
        self.retry_after = retry_after
