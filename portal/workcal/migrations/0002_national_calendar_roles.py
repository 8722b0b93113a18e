"""The national working calendar is edited by Committee staff and operators only.

Provider staff keep reading it (a day off here moves bookings in every region); their own
closures are the queue's business trips and days off, scoped to their region.
"""

from django.db import migrations

from portal.accounts.roles import Role, grant_permissions

EDIT = ["add_calendarexception", "change_calendarexception", "delete_calendarexception"]


def national_calendar(apps, schema_editor):
    grant_permissions(apps, Role.COMMITTEE_STAFF, "workcal", ["view_calendarexception", *EDIT])
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    edit = Permission.objects.filter(content_type__app_label="workcal", codename__in=EDIT)
    Group.objects.get(name=Role.PROVIDER_STAFF).permissions.remove(*edit)


def back(apps, schema_editor):
    grant_permissions(apps, Role.PROVIDER_STAFF, "workcal", EDIT)


class Migration(migrations.Migration):
    dependencies = [
        ("workcal", "0001_initial"),
        ("accounts", "0002_roles"),
    ]
    operations = [migrations.RunPython(national_calendar, back)]
