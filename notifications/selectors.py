"""Reads of the notifications app."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.models import SENDABLE_STATUSES, Message, MessageEvent, Template
from portal.admin_scoping import scope_filter
from portal.errors import NotFoundError
from portal.referrals.selectors import persons_visible_to_integrator

MSG_MESSAGE_UNKNOWN = _("No such message.")


def messages_visible_to_integrator(*, integrator) -> QuerySet[Message]:
    """X-8: the messages an integrator may read the status of: those its own requests caused (a
    consent code), and the others about one of its people (a referral from its organisations),
    except messages carrying a secret (sign-in codes, and consent codes it did not ask for)."""
    people = persons_visible_to_integrator(integrator=integrator)
    about_its_people = Q(subject__in=people) | Q(subject__isnull=True, recipient__in=people)
    return Message.objects.filter(Q(integrator=integrator) | (Q(template__sensitive=False) & about_its_people))


def message_get_by_public_id(public_id, *, integrator=None, staff_user=None) -> Message:
    """The message; for an integrator only one of ``messages_visible_to_integrator``, for staff only
    one filed under their department or region (Committee staff and operators: any). Any other is
    answered as no such message."""
    qs = Message.objects.all() if integrator is None else messages_visible_to_integrator(integrator=integrator)
    if staff_user is not None:
        qs = scope_filter(qs, staff_user, department="department", region="department__region")
    message = (
        qs.select_related("template")
        .prefetch_related(Prefetch("events", queryset=MessageEvent.objects.order_by("at", "id")))
        .filter(public_id=public_id)
        .first()
    )
    if message is None:
        raise NotFoundError(MSG_MESSAGE_UNKNOWN, code="message_unknown")
    return message


def message_get_by_gateway_id(*, backend: str, gateway_id: str) -> Message | None:
    """The message the gateway knows as ``gateway_id``. Our own id is the gateway's, so a report
    that overtakes the recording of the gateway's answer still finds its message."""
    match = Q(gateway_id=gateway_id)
    if gateway_id.isdigit():
        match |= Q(gateway_id="", pk=int(gateway_id))
    return Message.objects.filter(match, backend=backend).first()


def dev_inbox_list(*, phone: str = "", limit: int = 200) -> QuerySet[Message]:
    """What the database backend "delivered", newest first, as a phone's inbox shows it."""
    qs = Message.objects.filter(backend="database").select_related("template").order_by("-sent_at", "-id")
    if phone:
        qs = qs.filter(phone=phone)
    return qs[:limit]


def outbox_backlog_count() -> int:
    """SMS whose send attempt is due and not made yet (a sendable status, ``next_attempt_at`` past):
    the outbox's backlog, for the monitoring gauge. One COUNT over the due index."""
    return Message.objects.filter(status__in=SENDABLE_STATUSES, next_attempt_at__lte=timezone.now()).count()


def message_delivery_counts(
    *, template_keys: list[str], created_from, created_to, department_filter: Q
) -> dict[str, int]:
    """X-7: how many of these templates' messages created in [from, to) were delivered, failed for good
    or are still on their way, in one aggregate query (apps' monthly reports read it)."""
    from django.db.models import Count

    failed = [Message.Status.PERMANENT_FAILURE, Message.Status.TECHNICAL_FAILURE]
    return Message.objects.filter(
        department_filter,
        template__key__in=template_keys,
        created_at__gte=created_from,
        created_at__lt=created_to,
    ).aggregate(
        delivered=Count("pk", filter=Q(status=Message.Status.DELIVERED)),
        failed=Count("pk", filter=Q(status__in=failed)),
        pending=Count("pk", filter=~Q(status__in=[Message.Status.DELIVERED, *failed])),
    )


# --- templates kept between messages --------------------------------------------------------------

TEMPLATE_TTL = 300
_TEMPLATE_CHANGED = "notifications_templates_changed"


def _template_key(key: str) -> str:
    return f"notifications:template:{key}"


def template_by_key(key: str) -> Template | None:
    """The SMS template ``key`` (``None`` if there is none), kept in the cache until it changes.

    Every write of a template throws the entry away (``template_changed``: model signals, and the
    admin's direct update). A transaction that has changed a template reads the database until it
    ends and keeps nothing (a rollback must not leave its texts behind). An unknown key is not kept.
    When the cache is down (Redis fails open) the template is read from the database.
    """
    changed_here = _template_changed_in_this_transaction()
    if not changed_here:
        kept = cache.get(_template_key(key))
        if isinstance(kept, Template):
            return kept
    template = Template.objects.filter(key=key).first()
    if template is not None and not changed_here:
        cache.set(_template_key(key), template, timeout=TEMPLATE_TTL)
    return template


def _template_changed_in_this_transaction() -> bool:
    connection = transaction.get_connection()
    return connection.in_atomic_block and any(
        getattr(entry[1], _TEMPLATE_CHANGED, False) for entry in connection.run_on_commit
    )


def template_changed(*, key: str) -> None:
    """Throw away the kept template ``key``: now, and again when the transaction commits (a reader
    in between may have kept the rows as they were before the commit)."""
    cache.delete(_template_key(key))

    def forget() -> None:
        cache.delete(_template_key(key))

    setattr(forget, _TEMPLATE_CHANGED, True)
    transaction.on_commit(forget)
