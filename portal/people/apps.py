from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "portal.people"
    label = "people"
    verbose_name = _("People")

    def ready(self):
        from auditlog.registry import auditlog

        from portal.people.models import Guardianship, Person

        auditlog.register(Person)
        auditlog.register(Guardianship)
