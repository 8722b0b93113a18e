"""P-4, X-7: staff read the anonymous counts of refused intakes in the admin (read-only, scoped to
their region); no role adds, changes or deletes them (only the intake writes them)."""

from django.db import migrations

from portal.accounts.roles import Role, grant_permissions


def grant(apps, schema_editor):
    for role in (Role.DEPARTMENT_STAFF, Role.PROVIDER_STAFF, Role.COMMITTEE_STAFF, Role.OPERATOR):
        grant_permissions(apps, role, "mse_pilot", ["view_intakerefusal"])


class Migration(migrations.Migration):
    dependencies = [
        ("mse_pilot", "0008_intake_refusal_counts"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
