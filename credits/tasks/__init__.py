"""Celery tasks of the credits app; each submodule is imported here so autodiscovery finds it."""
