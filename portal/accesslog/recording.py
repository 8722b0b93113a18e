"""X-9 where reads happen: one call in a page or API view, one mixin on an admin.

A view that shows staff or an integrator someone's personal data adds one line once it has the
object or the rows, saying what was read and why::

    personal_data_read(request, booking, Subject.BOOKING, Purpose.BOOKING_ON_BEHALF)
    personal_data_read(request, rows, Subject.QUEUE, Purpose.QUEUE_SERVICE)

Whose data it is comes from the rows' ``person`` (or ``recipient``) foreign key; the channel (page
or API) and the integrator (from the API token) from the request.

An admin of a model holding personal data puts ``PersonalDataAdminMixin`` first in its bases and
names what it shows and the fields that lead to the people::

    class ReferralAdmin(PersonalDataAdminMixin, StaffScopedAdminMixin, admin.ModelAdmin):
        access_subject = Subject.REFERRAL
        access_person_fields = ("person",)

Each call writes one INSERT and reads nothing more (the person ids are the rows' foreign keys).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest, HttpResponse
from rest_framework.request import Request

from portal.accesslog.models import PersonalDataAccess
from portal.accesslog.services import personal_data_access_record
from portal.accounts.models import ApiToken
from portal.people.models import Person

Subject = PersonalDataAccess.Subject
Purpose = PersonalDataAccess.Purpose
Channel = PersonalDataAccess.Channel
# How a row read leads to its person, tried in order: the foreign key's column.
PERSON_ATTNAMES = ("person_id", "recipient_id")


def personal_data_read(
    request: HttpRequest,
    read: models.Model | Iterable[models.Model],
    subject: str,
    purpose: str,
    *,
    persons: Iterable[Person | int | None] | None = None,
) -> int:
    """Record that the request's user read ``read`` (one object, or the rows of a list), whose
    people are found through ``person`` (``recipient`` for a message; a Person is its own), unless
    ``persons`` names them."""
    single = read if isinstance(read, models.Model) else None
    rows: Iterable[models.Model] = [read] if isinstance(read, models.Model) else read
    if persons is None:
        persons = [_person_id(row) for row in rows]
    auth = getattr(request, "auth", None)
    return personal_data_access_record(
        actor=request.user,
        persons=persons,
        subject=subject,
        purpose=purpose,
        channel=Channel.API if isinstance(request, Request) else Channel.PAGE,
        obj=single,
        integrator=auth.integrator if isinstance(auth, ApiToken) else None,
    )


def _person_id(row: models.Model) -> int | None:
    if isinstance(row, Person):
        return row.pk
    for attname in PERSON_ATTNAMES:
        if hasattr(row, attname):
            pk: int | None = getattr(row, attname)
            return pk
    raise TypeError(f"{type(row).__name__} does not lead to a person: name them with persons=.")


def person_ids_of(objects: Iterable[models.Model], fields: Iterable[str]) -> list[int]:
    """The ids of the people ``objects`` lead to through the foreign keys ``fields`` ("pk": itself)."""
    fields = tuple(fields)
    ids = []
    for obj in objects:
        for field in fields:
            pk = obj.pk if field == "pk" else getattr(obj, f"{field}_id")
            if pk is not None:
                ids.append(pk)
    return ids


if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin[Any]
else:
    _ModelAdmin = object


class PersonalDataAdminMixin(_ModelAdmin):
    """X-9 in the Django admin: the change form records its object's people, a changelist the people
    of its page. Goes first in the bases."""

    access_subject: str = ""
    # Foreign keys to people.Person on the model; "pk" when the model is Person itself.
    access_person_fields: tuple[str, ...] = ("person",)

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        request._personal_data_object = obj  # type: ignore[attr-defined]  # change_view records it once the form is shown
        return obj

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = getattr(request, "_personal_data_object", None)
        if obj is not None and response.status_code == 200:
            self._personal_data_read(request, [obj], obj=obj)
        return response

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            # Evaluates the page's queryset, which the template then reads from its cache.
            self._personal_data_read(request, changelist.result_list)
        return response

    def _personal_data_read(
        self, request: HttpRequest, objects: Iterable[models.Model], obj: models.Model | None = None
    ) -> None:
        personal_data_access_record(
            actor=request.user,
            persons=person_ids_of(objects, self.access_person_fields),
            subject=self.access_subject,
            purpose=Purpose.ADMINISTRATION,
            channel=Channel.ADMIN,
            obj=obj,
        )
