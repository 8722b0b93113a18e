"""The roles of the portal, as Django groups created by a migration.

Apps grant their own model permissions to these groups in their own migrations
(``grant_permissions`` below), so the core never needs to know an app's models.
"""

from django.utils.translation import gettext_lazy as _


class Role:
    CITIZEN = "citizen"
    DEPARTMENT_STAFF = "department_staff"
    PROVIDER_STAFF = "provider_staff"
    COMMITTEE_STAFF = "committee_staff"
    DOCTOR_EXPERT = "doctor_expert"
    INTEGRATOR = "integrator"
    OPERATOR = "operator"


ROLE_LABELS = {
    Role.CITIZEN: _("citizen"),
    Role.DEPARTMENT_STAFF: _("MSE department staff"),
    Role.PROVIDER_STAFF: _("provider (regional department) staff"),
    Role.COMMITTEE_STAFF: _("Committee staff"),
    Role.DOCTOR_EXPERT: _("doctor-expert"),
    Role.INTEGRATOR: _("integrator (MIS, State Corporation)"),
    Role.OPERATOR: _("operator"),
}


def grant_permissions(apps, role: str, app_label: str, codenames: list[str]) -> None:
    """For data migrations: give ``role`` the listed permissions of ``app_label``."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after migrate; a data migration needs them now.
    create_permissions(global_apps.get_app_config(app_label), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=role)
    perms = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    group.permissions.add(*perms)
