"""``calendar_changed``: the working calendar's staff overrides changed on these dates.

Sent inside the transaction that saved or deleted a ``CalendarException``, so what a receiver does
(an app moving its bookings off a new day off) commits or rolls back with it. Receivers return a
short, translated sentence for staff (or None); the admin shows them after saving.
"""

from django.dispatch import Signal

# providing_args: dates (a set of datetime.date)
calendar_changed = Signal()


def _loaded_date(instance):
    return getattr(instance, "_loaded_date", None)


def on_exception_saved(sender, instance, **kwargs):
    dates = {instance.date, _loaded_date(instance)} - {None}
    instance._calendar_responses = calendar_changed.send(sender=sender, dates=dates)
    instance._loaded_date = instance.date


def on_exception_deleted(sender, instance, **kwargs):
    instance._calendar_responses = calendar_changed.send(sender=sender, dates={instance.date})
