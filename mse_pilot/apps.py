from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MsePilotConfig(AppConfig):
    name = "mse_pilot"
    verbose_name = _("Proactive remote MSE (pilot)")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mse_pilot.models import (
            MandatoryExamination,
            PanelAssignment,
            PilotWindow,
            Programme,
            ProgrammeSeat,
            RemoteCase,
            RolloutStart,
        )
        from mse_pilot.services import (
            intake_refusal_record,
            on_referral_routed,
            p4_refusal_example,
            pilot_intake_check,
            pilot_router,
        )
        from mse_pilot.sms import SAMPLE_CONTEXTS
        from notifications.services import template_samples_register
        from portal.referrals.routing import referral_routed, register_intake_check, register_router

        # P-1, P-2: the pilot's referrals leave the in-person default; P-4: its forms are checked
        # before anything is stored; P-6: a routed referral forms its draft act, in the same transaction.
        register_router(50, pilot_router)
        # a refusal is counted, anonymously, once the intake's transaction has rolled back.
        register_intake_check(
            pilot_intake_check,
            examples={"examination_missing": p4_refusal_example},
            on_refused=intake_refusal_record,
        )
        referral_routed.connect(on_referral_routed, dispatch_uid="mse_pilot.remote_case_form")
        # every change of the pilot's data and of a case is audited.
        auditlog.register(PilotWindow)
        auditlog.register(RolloutStart)
        auditlog.register(MandatoryExamination)
        auditlog.register(RemoteCase)
        auditlog.register(Programme)
        auditlog.register(ProgrammeSeat)
        auditlog.register(PanelAssignment)
        template_samples_register(SAMPLE_CONTEXTS)

        from mse_pilot.selectors import waiting_list
        from portal.monitoring.metrics import register_gauge

        # P-6: draft acts waiting for distribution to an expert panel
        register_gauge(
            name="portal_pilot_distribution_waiting",
            documentation="Remote pilot: draft acts waiting for distribution (P-6).",
            read=lambda: float(waiting_list().count()),
        )

        # the pilot's monthly report, built and shown by the core's reports.
        from mse_pilot.reports import REPORT
        from portal.reports.registry import register_report

        register_report(REPORT)

        # the pilot's deadlines on the core's radar.
        from mse_pilot.deadlines import SOURCES
        from portal.deadlines.registry import register_deadline_source

        for source in SOURCES:
            register_deadline_source(source)
