import datetime as dt

from auditlog.context import auditlog_value
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from portal.accounts.models import ApiToken
from portal.prepared import PreparedQuery

LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
MSG_BAD_TOKEN = _("The API token is unknown, revoked or expired.")

# read on every API call: built and compiled once (portal.prepared)
TOKEN_BY_HASH = PreparedQuery(
    lambda key_hash: ApiToken.objects.select_related("integrator__user").filter(
        key_hash=key_hash, integrator__is_active=True
    )[:1],
    key_hash="prepared-sample-key-hash-2b7e",
)


class IntegratorTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <key>``; the token's scopes are kept on ``request.auth``."""

    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(MSG_BAD_TOKEN, code="token_invalid")
        key = header[1].decode(errors="replace")
        token = TOKEN_BY_HASH.first(key_hash=ApiToken.hash_key(key))
        if token is None or not token.is_usable():
            raise exceptions.AuthenticationFailed(MSG_BAD_TOKEN, code="token_invalid")
        now = timezone.now()
        # Record use at most once a minute: a write on every read would cost more than it tells.
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        user = token.integrator.user
        # a call without Accept-Language is answered in the integrator's configured language.
        if token.integrator.language and "HTTP_ACCEPT_LANGUAGE" not in request.META:
            translation.activate(token.integrator.language)
            request._request.LANGUAGE_CODE = token.integrator.language
        # The audit middleware ran before DRF authenticated: name the integrator as the actor.
        ctx = auditlog_value.get(None)
        if ctx is not None:
            ctx["actor"] = user
        return user, token

    def authenticate_header(self, request):
        return self.keyword


class IntegratorTokenScheme(OpenApiAuthenticationExtension):
    target_class = IntegratorTokenAuthentication
    name = "IntegratorToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`: an integrator's API token; each endpoint names the scope it needs.",
        }
