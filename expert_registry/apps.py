from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertRegistryConfig(AppConfig):
    name = "expert_registry"
    verbose_name = _("Registry of doctor-experts")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from expert_registry.models import Announcement, Application, Expert, Question, TestAttempt
        from expert_registry.sms import SAMPLE_CONTEXTS
        from notifications.services import template_samples_register

        # every field change of an expert, an application, a test session, an announcement;
        # ExpertStatusChange keeps the expert's dated status history with its actor.
        auditlog.register(Expert, m2m_fields={"nosology_groups"})
        auditlog.register(Application)
        auditlog.register(TestAttempt, exclude_fields=["answers"])
        auditlog.register(Announcement)
        auditlog.register(Question)
        template_samples_register(SAMPLE_CONTEXTS)

        from expert_registry.statesystems import SYSTEMS
        from portal.statedata.systems import register_system

        # E-3's seven documents and E-7's events, asked through the core's port.
        for system in SYSTEMS:
            register_system(system)
