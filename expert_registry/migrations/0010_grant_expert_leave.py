from django.db import migrations

from portal.accounts.roles import Role, grant_permissions

# P-6, E-8, E-9: the Committee and the departments record their experts' leaves (each scoped to its
# own area in the admin); provider staff read them.
WRITERS = ["view_expertleave", "add_expertleave", "delete_expertleave"]


def grant(apps, schema_editor):
    grant_permissions(apps, Role.COMMITTEE_STAFF, "expert_registry", WRITERS)
    grant_permissions(apps, Role.DEPARTMENT_STAFF, "expert_registry", WRITERS)
    grant_permissions(apps, Role.PROVIDER_STAFF, "expert_registry", ["view_expertleave"])


class Migration(migrations.Migration):
    dependencies = [
        ("expert_registry", "0009_expert_leave"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
