"""``calendar_changed``: a staff override of the working calendar was saved or deleted.

Sent explicitly by ``calendar_exception_save`` / ``calendar_exception_delete`` (never from a model
signal, so loading a fixture or a raw save triggers nothing), inside the service's transaction, so
what a receiver does (an app moving its bookings off a new day off) commits with the edit.

Keyword arguments a receiver gets:

- ``dates``: the set of days whose status may have changed (old and new date);
- ``old_date`` / ``old_kind``: the exception before the edit (``None`` for a new one);
- ``new_date`` / ``new_kind``: the exception after the edit (``None`` when deleted);
- ``actor_user``: the staff member who made the edit (or ``None``);
- ``now``: the moment of the edit (``None``: the receiver uses the current time).

A receiver returns a short, translated sentence for staff (or ``None``); the admin shows it.
Each receiver runs in its own savepoint: one that raises is rolled back alone, logged, and reported
to the staff member, and neither the calendar edit nor the other apps' receivers are blocked.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)


class SavepointSignal(Signal):
    """A signal whose ``send_robust`` runs each receiver in its own savepoint.

    Django's ``send_robust`` catches a receiver's exception, but a database error inside the
    surrounding transaction would still poison it for everyone after; a savepoint per receiver
    rolls back only that receiver's writes. Only synchronous receivers are supported.
    """

    def send_robust(self, sender, **named):
        if not self.receivers:
            return []
        # Django offers no public accessor for the resolved receivers of a sender.
        sync_receivers, async_receivers = self._live_receivers(sender)
        if async_receivers:
            raise TypeError("calendar receivers must be synchronous: they run in the edit's transaction")
        responses = []
        for receiver in sync_receivers:
            try:
                with transaction.atomic():
                    response = receiver(signal=self, sender=sender, **named)
            except Exception as err:  # one app's failure must not block the calendar nor the others
                logger.error(
                    "calendar_changed: receiver %s.%s failed",
                    receiver.__module__,
                    receiver.__qualname__,
                    exc_info=err,
                )
                responses.append((receiver, err))
            else:
                responses.append((receiver, response))
        return responses


calendar_changed = SavepointSignal()
