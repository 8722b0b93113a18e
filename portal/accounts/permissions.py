from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from portal.accounts.models import ApiToken

MSG_SCOPE = _("This API token lacks the scope this operation needs: %(scope)s.")


def HasScope(scope: str):
    """Token callers need ``scope``; signed-in people (session) pass to the view's own checks."""

    class _HasScope(BasePermission):
        def has_permission(self, request, view):
            if not (request.user and request.user.is_authenticated):
                return False
            if isinstance(request.auth, ApiToken) and scope not in request.auth.scopes:
                self.message = MSG_SCOPE % {"scope": scope}
                self.code = "scope_missing"
                return False
            return True

    _HasScope.__name__ = f"HasScope[{scope}]"
    return _HasScope


def is_integrator_call(request) -> bool:
    return isinstance(getattr(request, "auth", None), ApiToken)
