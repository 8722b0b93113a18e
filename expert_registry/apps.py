from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# the models not in the audit log, and why (``tests/expert_registry/test_item11_api.py`` checks
# that every other model of the app is registered).
AUDIT_EXEMPT = {
    "ExpertStatusChange": "it is the audit of an expert's status: who, when, from, to, ground, evidence",
    "CabinetMessage": "written once by a service and never changed",
    "EvaluationResult": "recomputed in bulk by one SQL statement (no model signals) from the audited work "
    "record and formula; each row keeps its formula version and computed_at",
}


class ExpertRegistryConfig(AppConfig):
    name = "expert_registry"
    verbose_name = _("Registry of doctor-experts")

    def ready(self) -> None:
        from expert_registry.scopes import ExpertScope
        from portal.accounts.models import Integrator
        from portal.accounts.scopes import register_scopes

        # the registry is the Committee's national data; no other system's token may hold the scope.
        register_scopes(ExpertScope, integrator_kinds=[Integrator.Kind.COMMITTEE])

        from auditlog.registry import auditlog

        from expert_registry import models as m
        from expert_registry.sms import SAMPLE_CONTEXTS
        from notifications.services import template_samples_register

        # every field change of every model whose rows change state (``AUDIT_EXEMPT`` below names
        # the others and why); ExpertStatusChange keeps the expert's dated status history with its actor.
        auditlog.register(m.Expert, m2m_fields={"nosology_groups"})
        auditlog.register(m.Application)
        auditlog.register(m.TestAttempt, exclude_fields=["answers"])
        auditlog.register(m.Announcement)
        auditlog.register(m.Question)
        auditlog.register(m.ApplicationDocument)
        # the state systems' answers may carry registry facts: the verdict is audited, not the facts
        auditlog.register(m.StateDocumentCheck, exclude_fields=["facts"])
        # the text and the CMS stay on the row; the audit follows the status and the dates
        auditlog.register(m.ExpertContract, exclude_fields=["content", "signature"])
        auditlog.register(m.ExpertStateEvent)
        auditlog.register(m.WorkRecord)
        auditlog.register(m.ExpertLeave)
        auditlog.register(m.EvaluationFormula)
        auditlog.register(m.Tariff)
        auditlog.register(m.Training)
        auditlog.register(m.ModemLoan)
        template_samples_register(SAMPLE_CONTEXTS)

        from expert_registry.statesystems import SYSTEMS
        from portal.statedata.systems import register_system

        # E-3's seven documents and E-7's events, asked through the core's port.
        for system in SYSTEMS:
            register_system(system)

        # the registry's monthly report, built and shown by the core's reports.
        from expert_registry.reports import REPORT
        from portal.reports.registry import register_report

        register_report(REPORT)

        # the registry's deadlines (contracts, tests, modem loans) on the core's radar.
        from expert_registry.deadlines import SOURCES
        from portal.deadlines.registry import register_deadline_source

        for source in SOURCES:
            register_deadline_source(source)
