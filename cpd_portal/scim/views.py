"""The /scim/v2/ endpoints: thin views over the SCIM services and selectors.

Only a service token holding the `scim` scope gets in (401 without a token, 403 without the
scope); session cookies are ignored and CSRF does not apply (no browser sends these). Every
answer is `application/scim+json`, errors included, as RFC 7644 §3.12 shapes them.
"""
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError
from scim2_models import (
    Context,
    Error,
    InvalidSyntaxException,
    InvalidValueException,
    ListResponse,
    NotFoundException,
    NotImplementedException,
    ResponseParameters,
    SCIMException,
)

from accounts.models import AccessToken
from accounts.tokens import access_token_authenticate
from cpd_portal import replica

from . import services
from .resources import MAX_RESULTS, PROVIDER, GroupResource, UserResource
from .selectors import (
    scim_group_get,
    scim_group_resource,
    scim_groups_filtered,
    scim_user_get,
    scim_user_resource,
    scim_users_filtered,
)

CONTENT_TYPE = "application/scim+json"


def _json(payload: dict | None, status: int = 200, headers: dict | None = None) -> HttpResponse:
    body = "" if payload is None else json.dumps(payload)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPE, headers=headers)


def _error(status: int, detail: str, scim_type: str | None = None,
           headers: dict | None = None) -> HttpResponse:
    error = Error(status=status, detail=detail, scim_type=scim_type)
    return _json(error.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE), status, headers)


def _refusal(request) -> HttpResponse | None:
    """401 without a working token, 403 without the scim scope; None lets the request in."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    token = None
    if scheme.lower() == "bearer":
        token = access_token_authenticate(secret=secret.strip())
    if token is None:
        return _error(401, "Send a service token with the scim scope: 'Authorization: Bearer "
                           "<token>'. A revoked or expired token no longer works.",
                      headers={"WWW-Authenticate": 'Bearer realm="scim"'})
    if AccessToken.Scope.SCIM not in token.scopes:
        return _error(403, "This token does not have the 'scim' scope. Create one with "
                           "manage.py api_token_create --scope scim --user <your email>.")
    replica.token_acting(token_id=token.pk, user_id=token.user_id)
    return None


def scim_endpoint(*methods: str):
    """Authenticate, allow `methods`, run under the provider's policy, and answer SCIM
    exceptions and invalid payloads as SCIM errors."""
    def decorate(view):
        @csrf_exempt
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if (refusal := _refusal(request)) is not None:
                return refusal
            if request.method not in methods:
                return _error(405, f"{request.method} is not allowed here; use "
                                   f"{', '.join(methods)}.")
            try:
                with PROVIDER:
                    return view(request, *args, **kwargs)
            except SCIMException as exc:
                error = exc.to_error()
                return _json(error.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE),
                             int(error.status))
            except ValidationError as exc:
                return _error(400, _readable(exc), "invalidValue")
        return wrapped
    return decorate


def _readable(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "the payload"
    return f"{where}: {first['msg']}"


def _base_url(request) -> str:
    return request.build_absolute_uri("/scim/v2").rstrip("/")


def _payload(request) -> dict:
    try:
        payload = json.loads(request.body or b"null")
    except ValueError:
        raise InvalidSyntaxException(detail="The body is not valid JSON.") from None
    if not isinstance(payload, dict):
        raise InvalidSyntaxException(detail="The body must be a JSON object.")
    return payload


def _parameters(request) -> ResponseParameters:
    return ResponseParameters.model_validate(
        {key: request.GET[key] for key in ("attributes", "excludedAttributes")
         if request.GET.get(key)})


def _one(resource, request, status: int = 200) -> HttpResponse:
    payload = resource.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE,
                                  response_parameters=_parameters(request))
    return _json(payload, status, {"Location": resource.meta.location})


def _whole_number(request, name: str, default: int) -> int:
    try:
        return int(request.GET.get(name) or default)
    except ValueError:
        raise InvalidValueException(detail=f"{name} must be a whole number.") from None


def _page(request, queryset, resource_class, to_resource) -> HttpResponse:
    """RFC 7644 §3.4.2.4: startIndex counts from 1, count is capped at MAX_RESULTS."""
    start = max(_whole_number(request, "startIndex", 1), 1)
    count = min(max(_whole_number(request, "count", MAX_RESULTS), 0), MAX_RESULTS)
    total = queryset.count()
    rows = list(queryset[start - 1:start - 1 + count]) if count else []
    base_url = _base_url(request)
    response = ListResponse[resource_class](
        total_results=total, start_index=start, items_per_page=len(rows),
        resources=[to_resource(link=row, base_url=base_url) for row in rows])
    return _json(response.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE,
                                     response_parameters=_parameters(request)))


@scim_endpoint("GET")
def service_provider_config(request):
    return _json(PROVIDER.config.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


def _discovery_list(items) -> HttpResponse:
    dumped = [item.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE) for item in items]
    return _json({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                  "totalResults": len(dumped), "itemsPerPage": len(dumped), "startIndex": 1,
                  "Resources": dumped})


def _discovery_one(items, identifier: str, noun: str) -> HttpResponse:
    for item in items:
        if str(item.id) == identifier:
            return _json(item.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
    raise NotFoundException(detail=f"No {noun} is called {identifier}.")


@scim_endpoint("GET")
def schemas(request):
    return _discovery_list(PROVIDER.schemas)


@scim_endpoint("GET")
def schema(request, schema_id: str):
    return _discovery_one(PROVIDER.schemas, schema_id, "schema")


@scim_endpoint("GET")
def resource_types(request):
    return _discovery_list(PROVIDER.resource_types)


@scim_endpoint("GET")
def resource_type(request, resource_type_id: str):
    return _discovery_one(PROVIDER.resource_types, resource_type_id, "resource type")


@scim_endpoint("GET", "POST", "PUT", "PATCH", "DELETE")
def unknown(request, unknown: str):
    raise NotFoundException(detail=f"/scim/v2/{unknown} is no SCIM endpoint: use /Users, "
                                   "/Groups, /Schemas, /ResourceTypes or /ServiceProviderConfig.")


@scim_endpoint("POST")
def search(request):
    raise NotImplementedException(
        detail="Searching several resource types at once is not supported; query "
               "/Users or /Groups with a filter.")


@dataclass(frozen=True)
class _Kind:
    """What differs between /Users and /Groups: the model, the look-ups and the services."""

    model: type
    get: Callable
    listed: Callable
    resource: Callable
    create: Callable
    replace: Callable
    patch: Callable
    delete: Callable


USERS = _Kind(UserResource, scim_user_get, scim_users_filtered, scim_user_resource,
              services.scim_user_create, services.scim_user_replace, services.scim_user_patch,
              services.scim_user_delete)
GROUPS = _Kind(GroupResource, scim_group_get, scim_groups_filtered, scim_group_resource,
               services.scim_group_create, services.scim_group_replace,
               services.scim_group_patch, services.scim_group_delete)


def _collection(request, kind: _Kind) -> HttpResponse:
    if request.method == "POST":
        resource = kind.model.model_validate(_payload(request),
                                             scim_ctx=Context.RESOURCE_CREATION_REQUEST)
        link = kind.create(resource=resource)
        return _one(kind.resource(link=kind.get(scim_id=str(link.scim_id)),
                                  base_url=_base_url(request)), request, 201)
    return _page(request, kind.listed(text=request.GET.get("filter")), kind.model,
                 kind.resource)


def _member(request, kind: _Kind, scim_id: str) -> HttpResponse:
    link = kind.get(scim_id=scim_id)
    if request.method == "DELETE":
        kind.delete(link=link)
        return HttpResponse(status=204)
    if request.method == "PUT":
        resource = kind.model.model_validate(_payload(request),
                                             scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
        kind.replace(link=link, resource=resource)
    elif request.method == "PATCH":
        kind.patch(link=link, payload=_payload(request), base_url=_base_url(request))
    return _one(kind.resource(link=kind.get(scim_id=scim_id), base_url=_base_url(request)),
                request)


@scim_endpoint("GET", "POST")
def users(request):
    return _collection(request, USERS)


@scim_endpoint("GET", "PUT", "PATCH", "DELETE")
def user(request, scim_id: str):
    return _member(request, USERS, scim_id)


@scim_endpoint("GET", "POST")
def groups(request):
    return _collection(request, GROUPS)


@scim_endpoint("GET", "PUT", "PATCH", "DELETE")
def group(request, scim_id: str):
    return _member(request, GROUPS, scim_id)
