"""Celery tasks of the credits app; each submodule is imported here so autodiscovery finds it."""
from . import (
    certificates,  # noqa: F401
    exports,  # noqa: F401
)
