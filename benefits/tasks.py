"""Celery tasks of the benefits: thin, named, idempotent; each calls one service. Scheduled in benefits/beat.py."""

from celery import shared_task


@shared_task(name="benefits.build_payment_list", soft_time_limit=600, time_limit=900)
def build_payment_list() -> int:
    """Item 7: on the first working day of the month, the month's payment list (else nothing)."""
    from benefits.services import payment_list_build_if_due

    built = payment_list_build_if_due()
    return built.lines.count() if built is not None else 0


@shared_task(name="benefits.carers_reproof", soft_time_limit=600, time_limit=900)
def carers_reproof() -> int:
    """B-15: each carer whose yearly proof ran out, or whose youngest one cared for turned 8, is looked at
    again (renewed, suspended, ended or left for tomorrow)."""
    from django.utils import timezone

    from benefits.services_survivor import carer_reproof, carers_reproof_due

    today = timezone.localdate()
    stopped = ("suspended", "ended")
    return sum(carer_reproof(dependant_id=pk, today=today) in stopped for pk in carers_reproof_due(today=today))
