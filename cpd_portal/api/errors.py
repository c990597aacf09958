"""Every API error is JSON with a readable `message`, and documented in the schema."""
import inspect
import logging
from functools import wraps

from django.http import Http404
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from .auth import ApiError
from .schemas import Error

logger = logging.getLogger(__name__)

PDF_RESPONSE = {"responses": {200: {"description": "The certificate as a PDF file.", "content": {
    "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}}


def responses(schema, *extra: int, public: bool = False) -> dict:
    """The success schema and the error statuses an operation can answer (422: a parameter
    that is not what the schema says)."""
    statuses = {422, 429, *extra} if public else {401, 403, 422, 429, *extra}
    return {200: schema, **dict.fromkeys(sorted(statuses), Error)}


def _field(location: list) -> str:
    return ".".join(str(part) for part in location if part not in ("query", "path"))


def exception_handlers_add(api) -> None:
    def answer(request, status: int, message: str, errors=None, headers=None):
        response = api.create_response(request, {"message": message, "errors": errors or []},
                                       status=status)
        for name, value in (headers or {}).items():
            response[name] = value
        return response

    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        return answer(request, exc.status, exc.message, headers=exc.headers)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return answer(request, 401, "Send a valid access token: 'Authorization: Bearer "
                                    "<token>'.")

    @api.exception_handler(NinjaValidationError)
    def invalid(request, exc: NinjaValidationError):
        errors = [{"field": _field(error.get("loc", [])), "message": error.get("msg", "")}
                  for error in exc.errors]
        summary = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"]
                            for e in errors)
        return answer(request, 422, f"Check the request: {summary}", errors)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return answer(request, 404, "Not found: nothing of yours exists at this address.")

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return answer(request, exc.status_code, str(exc))

    @api.exception_handler(Exception)
    def server_error(request, exc):
        logger.exception("API error on %s", request.path)
        return answer(request, 500, "Something went wrong on our side; it has been logged. "
                                    "Try again later.")


def unknown_parameters_refused(view):
    """422 for a query parameter the operation does not take: a typo ('sinse') must not
    silently answer everything."""
    accepted = set(inspect.signature(view).parameters) - {"request"}

    @wraps(view)
    def checked(request, *args, **kwargs):
        if unknown := sorted(set(request.GET) - accepted):
            raise ApiError(422, f"Unknown parameter {', '.join(map(repr, unknown))}; this "
                                f"route takes {', '.join(sorted(accepted)) or 'none'}.")
        return view(request, *args, **kwargs)

    return checked
