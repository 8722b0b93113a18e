from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueBookingConfig(AppConfig):
    name = "queue_booking"
    verbose_name = _("Electronic queue")

    def ready(self):
        from auditlog.registry import auditlog

        from portal.referrals.routing import referral_routed
        from portal.workcal.signals import calendar_changed
        from queue_booking.models import Booking, Incident, Pilot, ReceptionException, ReceptionSchedule, WaitlistEntry
        from queue_booking.signals import on_calendar_changed, on_referral_routed

        referral_routed.connect(on_referral_routed, dispatch_uid="queue_booking.referral_invite")
        calendar_changed.connect(on_calendar_changed, dispatch_uid="queue_booking.calendar_changed")
        from queue_booking.cache import connect_signals

        connect_signals()  # the availability cache is thrown away by the writes that change it
        # the audit log keeps every field change; BookingTransition keeps the visit's story.
        auditlog.register(Booking)
        auditlog.register(Pilot, m2m_fields={"regions"})
        auditlog.register(ReceptionSchedule)
        auditlog.register(ReceptionException)
        auditlog.register(WaitlistEntry)
        auditlog.register(Incident)

        from portal.accounts.scopes import register_scopes
        from queue_booking.scopes import QueueScope

        register_scopes(QueueScope)

        from notifications.services import template_samples_register
        from queue_booking.sms import SAMPLE_CONTEXTS

        template_samples_register(SAMPLE_CONTEXTS)

        # the queue's monthly report, built and shown by the core's reports.
        from portal.reports.registry import register_report
        from queue_booking.reports import REPORT

        register_report(REPORT)

        # the queue's deadlines (Q-13 incidents) on the core's radar.
        from portal.deadlines.registry import register_deadline_source
        from queue_booking.deadlines import SOURCES

        for source in SOURCES:
            register_deadline_source(source)
