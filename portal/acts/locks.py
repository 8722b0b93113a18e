"""Every row lock of the register of MSE acts.

One lock: the ``ActNumberSequence`` row of a department and year, taken to give an act its number,
so two acts registered at once in one department never get the same number (the unique constraint
on ``MseAct(department, year, sequence)`` is the database's guarantee behind it).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from portal.acts.models import ActNumberSequence


def act_number_sequence_lock(*, department_id: int, year: int) -> ActNumberSequence:
    """The department's sequence row of ``year``, created when missing, locked until the transaction ends."""
    try:
        with transaction.atomic():
            ActNumberSequence.objects.get_or_create(department_id=department_id, year=year)
    except IntegrityError:  # created by a concurrent call between our read and our insert
        pass
    return ActNumberSequence.objects.select_for_update().get(department_id=department_id, year=year)
