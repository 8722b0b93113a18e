from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenefitsConfig(AppConfig):
    name = "benefits"
    verbose_name = _("Benefits")

    def ready(self) -> None:
        from benefits.scopes import BenefitScope
        from portal.accounts.scopes import register_scopes

        register_scopes(BenefitScope)

        from benefits.sms import SAMPLE_CONTEXTS
        from notifications.services import template_samples_register

        template_samples_register(SAMPLE_CONTEXTS)

        # B-7, B-15: the state systems of the disability and survivor benefits, through the core's port
        from benefits.statesystems import SYSTEMS
        from portal.statedata.systems import register_system

        for system in SYSTEMS:
            register_system(system)

        # S-7: an MSE act that establishes disability offers the benefits' application at once
        from benefits.receivers import disability_offer_on_act
        from portal.acts.signals import act_registered

        act_registered.connect(disability_offer_on_act, dispatch_uid="benefits.disability_offer_on_act")

        # X-7: the benefits' monthly report, built and shown by the core's reports.
        from benefits.reports import REPORT
        from portal.reports.registry import register_report

        register_report(REPORT)

        # X-6: the decisions' due times on the core's radar.
        from benefits.deadlines import SOURCES
        from portal.deadlines.registry import register_deadline_source

        for source in SOURCES:
            register_deadline_source(source)
