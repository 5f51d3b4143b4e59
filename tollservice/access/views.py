"""One mixin and one decorator apply ``tollservice.access.permissions`` to every view."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from tollservice.access.permissions import has_permission


def _deny(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


class PermissionRequiredMixin:
    """Class-based views declare ``permission = "roster.manage"``."""

    permission: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not self.permission:
            raise LookupError(f"{type(self).__name__} declares no permission")
        if not has_permission(request.user, self.permission):
            return _deny(request)
        return super().dispatch(request, *args, **kwargs)


def permission_required(permission: str):
    """Function-based views: ``@permission_required("ledger.collect")``."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_permission(request.user, permission):
                return _deny(request)
            return view(request, *args, **kwargs)

        wrapped.permission = permission
        return wrapped

    return decorator
