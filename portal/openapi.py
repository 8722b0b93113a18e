"""The OpenAPI schema documents the errors too: every operation lists the 4xx answers it can give,
each in the one error shape (component ``Error``, see ``portal/errors.py``) with an example.

- 400 always (a body, a query or a rule refused; also a body too large or nested too deep),
- 401 where the view authenticates and does not allow anyone,
- 403 always (a missing scope, a foreign object, a bad signature),
- 404 always,
- 409 on writes (the state changed under the caller: a place just taken, already booked),
- 429 where the view has a request budget (with ``Retry-After``).

A status the view documents itself (``extend_schema(responses=...)``) is left as it is.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import exceptions
from rest_framework.permissions import AllowAny

from portal.validators import MSG_IIN_CHECKSUM

# The same sentence the queue answers with when the last place goes (one catalog entry for both).
EXAMPLE_CONFLICT = _("This date and time has just been taken. Choose another one.")
DESCRIPTIONS = {
    "400": _("The request was refused: each item names the field at fault (null: the request as a whole)."),
    "401": _("No valid credentials: send `Authorization: Token <key>` or sign in."),
    "403": _("The caller may not do this (scope, ownership, signature)."),
    "404": _("No such object, or not one of the caller's."),
    "409": _("The state changed under the request (for example the place was just taken); nothing was done."),
    "429": _("Over the caller's request budget; nothing was done. Retry after `Retry-After` seconds."),
}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

ERROR_ITEM_SCHEMA = {
    "type": "object",
    "properties": {
        "field": {
            "type": "string",
            "nullable": True,
            "description": "The input at fault as a dotted path (`examinations.3.performed_on`); "
            "null when the request as a whole is refused.",
        },
        "code": {"type": "string", "description": "A stable machine code (`slot_full`, `iin_checksum`)."},
        "message": {"type": "string", "description": "A sentence for people, in the caller's language."},
    },
    "required": ["field", "code", "message"],
}
ERROR_SCHEMA = {
    "type": "object",
    "description": "The one error shape of the API.",
    "properties": {"errors": {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/ErrorItem"}}},
    "required": ["errors"],
}


def _examples() -> dict[str, tuple[str | None, str, str]]:
    """(field, code, message) per status, rendered in the schema request's language."""
    return {
        "400": ("person_iin", "iin_checksum", str(MSG_IIN_CHECKSUM)),
        "401": (None, "not_authenticated", str(exceptions.NotAuthenticated.default_detail)),
        "403": (None, "permission_denied", str(exceptions.PermissionDenied.default_detail)),
        "404": (None, "not_found", str(exceptions.NotFound.default_detail)),
        "409": ("slot", "slot_full", str(EXAMPLE_CONFLICT)),
        "429": (None, "throttled", str(exceptions.Throttled(wait=30).detail)),
    }


class ErrorDocumentingAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema plus the error answers (the project's DEFAULT_SCHEMA_CLASS)."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        for name, schema in (("ErrorItem", ERROR_ITEM_SCHEMA), ("Error", ERROR_SCHEMA)):
            registry.register_on_missing(
                ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
            )
        responses = operation.setdefault("responses", {})
        examples = _examples()
        for status in self._error_statuses():
            if status in responses:
                continue
            field, code, message = examples[status]
            response = {
                "description": str(DESCRIPTIONS[status]),
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/Error"},
                        "examples": {code: {"value": {"errors": [{"field": field, "code": code, "message": message}]}}},
                    }
                },
            }
            if status == "429":
                response["headers"] = {
                    "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}
                }
            responses[status] = response
        self._add_view_examples(responses)
        return operation

    def _add_view_examples(self, responses: dict) -> None:
        """A view's own error examples (``error_examples()``: status -> name -> items), next to the
        generic one: the intake API shows the apps' refusals (the remote pilot's P-4) this way."""
        error_examples = getattr(self.view, "error_examples", None)
        if not callable(error_examples):
            return
        for status, named in error_examples().items():
            content = responses.get(status, {}).get("content", {}).get("application/json")
            if content is None:
                continue
            for name, items in named.items():
                content.setdefault("examples", {})[name] = {"value": {"errors": [i.as_dict() for i in items]}}

    def _error_statuses(self) -> list[str]:
        view = self.view
        statuses = ["400"]
        anyone = all(isinstance(p, AllowAny) for p in view.get_permissions())
        if view.authentication_classes and not anyone:
            statuses.append("401")
        statuses += ["403", "404"]
        if self.method in UNSAFE_METHODS:
            statuses.append("409")
        if view.throttle_classes:
            statuses.append("429")
        return statuses
