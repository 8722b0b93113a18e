from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project itself: project-wide management commands and start-up settings of the core."""

    name = "portal"
    verbose_name = "MSE portal"

    def ready(self):
        from portal.i18n import fallback_to_the_source_language

        fallback_to_the_source_language()

        from portal.monitoring.metrics import register_core_gauges

        register_core_gauges()
