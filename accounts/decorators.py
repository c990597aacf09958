"""View decorators for role checks; object-level checks live in each app's selectors."""
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def role_required(predicate_name: str):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not getattr(request.user, predicate_name):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


educator_required = role_required("is_educator")
administrator_required = role_required("is_administrator")
