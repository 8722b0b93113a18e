"""What the availability reads keep between requests, and the writes that throw it away.

Kept (Django's default cache: Redis in production, the database cache without it):

- per registration unit (ATU): its region's pilot windows (Q-1) and the department serving it (Q-3);
- per department: the free days of the booking window (Q-6) and one day's free slots.

Fresh on every request, never kept: who asks (token, person, X-8), the referral, its bookings (Q-9),
the consent, and the clock (a slot that has started is dropped at read time).

Each entry carries the versions it was read under: a global one (pilots, departments, territory,
the working calendar, schedules and closures) and one per department (its slots). A write bumps
the version when its transaction commits, so the next read misses and reads the database again.
A reader takes the versions *before* it reads the database: an entry computed from rows a
concurrent write has since changed is stored under the old version and never served. A transaction
that has changed slots reads past the cache until it ends (it must see its own writes).

The writes are caught where they happen, not in each service: the slots' own QuerySet bumps on
``update``/``delete``/``bulk_create``, model signals on ``save``/``delete`` and on the pilot's
regions and the departments' units. When the cache is down (Redis fails open) a read misses and
goes to the database; a bump lost that way is bounded by the entries' lifetime (``TTL``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction

TTL = 60
_GLOBAL = "queue:avail:v"


def _dept_key(department_id: int) -> str:
    return f"queue:avail:v:{department_id}"


def _new_version() -> str:
    return uuid.uuid4().hex[:12]


def _bump(keys: list[str]) -> None:
    cache.set_many({k: _new_version() for k in keys}, timeout=None)


def _bump_on_commit(keys: list[str]) -> None:
    # after the commit: a reader that sees the new version reads the committed rows
    def bump() -> None:
        _bump(keys)

    bump.queue_availability = frozenset(keys)  # type: ignore[attr-defined]
    transaction.on_commit(bump)


def _changed_in_this_transaction(version_keys: list[str]) -> bool:
    """This transaction changed what is kept under these versions and has not committed: its reads
    of such entries skip the cache (they must see its own writes, and must not keep what a rollback
    may undo). Entries under other versions are untouched by its writes and still served."""
    connection = transaction.get_connection()
    for entry in connection.run_on_commit:
        pending = getattr(entry[1], "queue_availability", None)
        if pending and (_GLOBAL in pending or not pending.isdisjoint(version_keys)):
            return True
    return False


def availability_changed(*, department_ids: Iterable[int | None] | None = None) -> None:
    """Throw away what was kept: for these departments' slots, or (``None``) everything."""
    if department_ids is None:
        _bump_on_commit([_GLOBAL])
        return
    keys = sorted({_dept_key(d) for d in department_ids if d is not None})
    if keys:
        _bump_on_commit(keys)


def _versions(found: dict[str, Any], keys: list[str]) -> tuple[str, ...]:
    missing = {k: _new_version() for k in keys if k not in found}
    for key, value in missing.items():
        # another process may set it first: read back whichever won
        if not cache.add(key, value, timeout=None):
            found[key] = cache.get(key, value)
        else:
            found[key] = value
    return tuple(found[k] for k in keys)


def kept(key: str, compute: Callable[[], Any], *, department_id: int | None = None) -> Any:
    """The value kept under ``key`` if still valid, else ``compute()`` read now and kept.

    One cache round trip on a hit (the versions and the entry together).
    """
    version_keys = [_GLOBAL] if department_id is None else [_GLOBAL, _dept_key(department_id)]
    if _changed_in_this_transaction(version_keys):
        return compute()
    found = cache.get_many([*version_keys, key])
    versions = _versions(found, version_keys)
    entry = found.get(key)
    if entry is not None and entry[0] == versions:
        return entry[1]
    value = compute()
    cache.set(key, (versions, value), timeout=TTL)
    return value


def connect_signals() -> None:
    """Connect the model signals of every write that changes what is kept (called from ``ready``)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from portal.territory.models import Atu, MseDepartment, Region
    from portal.workcal.models import CalendarException
    from queue_booking.models import Pilot, ReceptionException, ReceptionSchedule, Slot

    def everything(sender, **kwargs) -> None:
        availability_changed()

    def slot_saved(sender, instance, **kwargs) -> None:
        availability_changed(department_ids=[instance.department_id])

    for model in (Pilot, MseDepartment, Atu, Region, CalendarException, ReceptionSchedule, ReceptionException):
        uid = f"queue_booking.cache.{model._meta.label_lower}"
        post_save.connect(everything, sender=model, dispatch_uid=uid + ".save", weak=False)
        post_delete.connect(everything, sender=model, dispatch_uid=uid + ".delete", weak=False)
    m2m_changed.connect(
        everything, sender=Pilot.regions.through, dispatch_uid="queue_booking.cache.pilot_regions", weak=False
    )
    m2m_changed.connect(
        everything, sender=MseDepartment.atus.through, dispatch_uid="queue_booking.cache.department_atus", weak=False
    )
    post_save.connect(slot_saved, sender=Slot, dispatch_uid="queue_booking.cache.slot.save", weak=False)
    post_delete.connect(slot_saved, sender=Slot, dispatch_uid="queue_booking.cache.slot.delete", weak=False)
