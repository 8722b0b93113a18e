"""X-9: record reads of personal data; purge rows older than the retention period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.accesslog.models import PersonalDataAccess
from portal.accounts.models import Integrator
from portal.accounts.roles import Role
from portal.people.models import Person
from portal.people.selectors import ward_list
from portal.prepared import insert_one

Kind = PersonalDataAccess.ActorKind


def actor_kind_of(user: Any, *, integrator: Integrator | None = None) -> str:
    """The role a read is recorded under. Costs no query for integrators and department or provider
    staff; one (cached on the user) to tell Committee staff from operators."""
    if integrator is not None:
        return Kind.INTEGRATOR
    if getattr(user, "department_id", None) is not None:
        return Kind.DEPARTMENT_STAFF
    if getattr(user, "region_id", None) is not None:
        return Kind.PROVIDER_STAFF
    if getattr(user, "is_superuser", False):
        return Kind.ADMINISTRATOR
    if user.has_role(Role.COMMITTEE_STAFF):
        return Kind.COMMITTEE
    if user.has_role(Role.OPERATOR):
        return Kind.OPERATOR
    return Kind.ADMINISTRATOR


def _person_ids(persons: Iterable[Person | int | None]) -> set[int]:
    ids = set()
    for p in persons:
        pk = p.pk if isinstance(p, models.Model) else p
        if pk is not None:
            ids.add(pk)
    return ids


def _others(actor: Any, ids: set[int]) -> set[int]:
    """``ids`` less the actor's own person and their wards: reading those is not "someone else looked"."""
    own = getattr(actor, "person_id", None)
    if own is None or not ids:
        return ids
    ids = ids - {own}
    if ids:  # one query, only when a person reads someone else's data (their wards, for the API)
        ids -= set(ward_list(representative=actor.person).filter(pk__in=ids).values_list("pk", flat=True))
    return ids


def object_reference(obj: models.Model | None) -> tuple[str, str]:
    """The model label and public id (else primary key) of ``obj``: never an IIN."""
    if obj is None:
        return "", ""
    public_id = getattr(obj, "public_id", None)
    return obj._meta.label_lower, str(public_id if public_id is not None else obj.pk)


def personal_data_access_record(
    *,
    actor: Any,
    persons: Iterable[Person | int | None],
    subject: str,
    purpose: str,
    channel: str,
    obj: models.Model | None = None,
    integrator: Integrator | None = None,
    now: dt.datetime | None = None,
) -> int:
    """X-9: one row per person whose data ``actor`` read, in one INSERT; returns how many.

    ``persons`` are Person objects or primary keys (repeats count once). ``integrator`` is the
    integrator whose token made the call, if any. Nothing is recorded for the actor's own data or
    their wards' (a citizen reading their own cabinet is not someone else looking).
    """
    ids = _others(actor, _person_ids(persons))
    if not ids:
        return 0
    now = now or timezone.now()
    kind = actor_kind_of(actor, integrator=integrator)
    label, object_id = object_reference(obj)
    rows = [
        PersonalDataAccess(
            person_id=pk,
            accessed_at=now,
            actor=actor,
            actor_kind=kind,
            integrator=integrator,
            department_id=getattr(actor, "department_id", None),
            region_id=getattr(actor, "region_id", None),
            subject=subject,
            purpose=purpose,
            channel=channel,
            object_label=label,
            object_id=object_id,
        )
        for pk in sorted(ids)
    ]
    if len(rows) == 1:
        # one INSERT on its own (bulk_create would wrap it in BEGIN ... COMMIT: three round trips),
        # built once and prepared: every API read of someone's data writes one
        insert_one(rows[0])
    else:
        PersonalDataAccess.objects.bulk_create(rows)
    return len(rows)


def personal_data_access_purge(*, now: dt.datetime | None = None) -> int:
    """Delete rows older than ``ACCESS_LOG_RETENTION_DAYS`` (0 keeps them for ever); returns how many."""
    days = settings.ACCESS_LOG_RETENTION_DAYS
    if not days:
        return 0
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    # No relation points at the log and no signal listens to it: Django deletes in one statement.
    deleted, _by_model = PersonalDataAccess.objects.filter(accessed_at__lt=cutoff).delete()
    return deleted
