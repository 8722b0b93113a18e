from django.db import migrations

from portal.accounts.roles import Role, grant_permissions

# The Committee keeps the registry; department and provider staff read their own area's experts.
COMMITTEE_STAFF = [
    "view_expert",
    "add_expert",
    "change_expert",
    "view_expertstatuschange",
    "view_workrecord",
    "view_announcement",
    "add_announcement",
    "change_announcement",
    "view_application",
    "change_application",
    "view_applicationdocument",
    "view_question",
    "add_question",
    "change_question",
    "delete_question",
    "view_testattempt",
    "change_testattempt",
    "view_cabinetmessage",
]
AREA_STAFF = ["view_expert", "view_expertstatuschange", "view_workrecord"]


def grant(apps, schema_editor):
    grant_permissions(apps, Role.COMMITTEE_STAFF, "expert_registry", COMMITTEE_STAFF)
    grant_permissions(apps, Role.DEPARTMENT_STAFF, "expert_registry", AREA_STAFF)
    grant_permissions(apps, Role.PROVIDER_STAFF, "expert_registry", AREA_STAFF)


class Migration(migrations.Migration):
    dependencies = [
        ("expert_registry", "0002_registry"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
