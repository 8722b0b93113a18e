from django.db import migrations

from portal.accounts.roles import Role, grant_permissions

DEPARTMENT_STAFF = [
    "view_booking",
    "change_booking",
    "view_bookingtransition",
    "view_slot",
    "view_receptionschedule",
    "view_receptionexception",
    "view_waitlistentry",
    "view_incident",
    "add_incident",
    "change_incident",
    "view_pilot",
]
PROVIDER_STAFF = [
    *DEPARTMENT_STAFF,
    "add_receptionschedule",
    "change_receptionschedule",
    "delete_receptionschedule",
    "add_receptionexception",
    "change_receptionexception",
    "delete_receptionexception",
    "view_ticketcounter",
]


def grant(apps, schema_editor):
    grant_permissions(apps, Role.DEPARTMENT_STAFF, "queue_booking", DEPARTMENT_STAFF)
    grant_permissions(apps, Role.PROVIDER_STAFF, "queue_booking", PROVIDER_STAFF)


class Migration(migrations.Migration):
    dependencies = [
        ("queue_booking", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
