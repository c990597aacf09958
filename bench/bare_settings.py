"""The portal's own settings with a URLconf of one bare view: the catalog benchmark's baseline.

Same middleware, same gunicorn command, no database work and no template: what Django itself
costs per request on this machine.
"""
from cpd_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare_urls"
