"""One error family and one JSON error body for the whole portal.

Services raise ``ApplicationError`` (or a subclass) with a machine ``code``, a translatable
``message`` and, where it applies, the ``field`` at fault. The DRF exception handler turns it, and
DRF's and Django's own validation errors, into::

    {"errors": [{"field": "slot", "code": "slot_full", "message": "..."}]}

Messages are rendered in the caller's language (LocaleMiddleware has already activated it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions as drf_exceptions
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_default_handler

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NON_FIELD = "non_field_errors"


@dataclass(frozen=True)
class ErrorItem:
    field: str | None
    code: str
    message: str

    def as_dict(self) -> dict:
        return {"field": self.field, "code": self.code, "message": str(self.message)}


@dataclass(frozen=True)
class ErrorCode:
    """A machine code and its translatable message, declared once at module level in each app's
    ``errors.py`` (``SLOT_FULL = ErrorCode("slot_full", _("..."))``) and raised as
    ``ApplicationError(SLOT_FULL, field="slot")``. Views compare ``exc.code`` with ``SLOT_FULL.code``.

    A message with placeholders gets its values when raised: ``TOO_LATE.format(minutes=15)``.
    """

    code: str
    message: StrOrPromise

    def format(self, **params: object) -> ErrorCode:
        return ErrorCode(self.code, self.message % params)


class ApplicationError(Exception):
    """A rule refused the request. ``status`` is the HTTP status an API answers with.

    ``message`` is a message with ``code=``, or an ``ErrorCode`` carrying both.
    """

    status: int = status.HTTP_400_BAD_REQUEST

    def __init__(self, message, *, code: str | None = None, field: str | None = None, extra: dict | None = None):
        if isinstance(message, ErrorCode):
            code = code or message.code
            message = message.message
        if code is None:
            raise TypeError("ApplicationError needs a code: pass code= or an ErrorCode")
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field
        self.extra = extra or {}

    @property
    def items(self) -> list[ErrorItem]:
        return [ErrorItem(self.field, self.code, self.message)]

    def as_validation_error(self) -> DjangoValidationError:
        """For forms: the same error attached to its field."""
        err = DjangoValidationError(self.message, code=self.code)
        return DjangoValidationError({self.field: [err]}) if self.field else err


class ApplicationErrors(ApplicationError):
    """Several field errors at once (all of a form's problems, not just the first)."""

    def __init__(self, items: list[ErrorItem]):
        first = items[0]
        super().__init__(first.message, code=first.code, field=first.field)
        self._items = items

    @property
    def items(self) -> list[ErrorItem]:
        return self._items


class NotFoundError(ApplicationError):
    status = status.HTTP_404_NOT_FOUND


class ForbiddenError(ApplicationError):
    status = status.HTTP_403_FORBIDDEN


class ConflictError(ApplicationError):
    status = status.HTTP_409_CONFLICT


def _flatten(detail, field: str | None = None) -> list[ErrorItem]:
    """DRF's nested error detail -> a flat list of (field path, code, message)."""
    items: list[ErrorItem] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = None if key in (NON_FIELD, "detail") else (f"{field}.{key}" if field else str(key))
            items.extend(_flatten(value, name if name is not None else field))
    elif isinstance(detail, list):
        for i, value in enumerate(detail):
            sub = f"{field}.{i}" if isinstance(value, dict) and field else field
            items.extend(_flatten(value, sub))
    else:
        code = getattr(detail, "code", None) or "invalid"
        items.append(ErrorItem(field, code, str(detail)))
    return items


def error_body(items: list[ErrorItem]) -> dict:
    return {"errors": [i.as_dict() for i in items]}


def api_exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        return Response(error_body(exc.items), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        # keep each error's own code (a validator's ``iin_checksum``), not a blanket "invalid"
        groups = exc.error_dict.items() if hasattr(exc, "error_dict") else [(NON_FIELD, exc.error_list)]
        items = []
        for field, errors in groups:
            for error in errors:
                for m in error.messages:
                    name = None if field in (NON_FIELD, "__all__") else field
                    items.append(ErrorItem(name, error.code or "invalid", m))
        return Response(error_body(items), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf_exceptions.PermissionDenied()
    response = drf_default_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, drf_exceptions.ValidationError):
        items = _flatten(exc.detail)
    else:
        detail = exc.detail if isinstance(exc, drf_exceptions.APIException) else str(exc)
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        items = [ErrorItem(None, code, str(detail))]
    response.data = error_body(items)
    return response
