"""Celery tasks of the credits app; each submodule is imported here so autodiscovery finds it."""
from . import exports  # noqa: F401
