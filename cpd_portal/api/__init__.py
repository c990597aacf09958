"""The JSON API at /api/v1/ (django-ninja): OpenAPI 3 at /api/v1/openapi.json, docs at
/api/v1/docs from ninja's vendored Swagger UI. Routes are thin: each calls the selectors the
web pages use, with the same object rules.
"""
from django.conf import settings
from ninja import NinjaAPI

from . import catalog, me, reports
from .errors import exception_handlers_add, unknown_parameters_refused

api = NinjaAPI(
    title=f"{settings.SITE_NAME} API", version="1", urls_namespace="api-1",
    description="Your transcript, certificates and requirement progress with a personal access "
                "token (create one on your profile page), the public catalog, and for "
                "integrations holding a service token, credit and completion change feeds. "
                "Send `Authorization: Bearer <token>`.",
)
exception_handlers_add(api)
api.add_decorator(unknown_parameters_refused)
api.add_router("", me.router)
api.add_router("", catalog.router)
api.add_router("", reports.router)

