"""Seed the distribution programmes and their panels (mse_pilot/act_data.py ``PROGRAMMES``: P-6, E-8);
grant staff their permissions on programmes, seats and assignments.

Rows that exist are updated by their natural keys (a re-run after a flush restores them)."""

from django.db import migrations

from mse_pilot.act_data import PROGRAMMES
from portal.accounts.roles import Role, grant_permissions

READ = ["view_programme", "view_programmeseat", "view_panelassignment"]
NATIONAL = [f"{a}_{m}" for a in ("add", "change", "delete") for m in ("programme", "programmeseat")]


def seed(apps, schema_editor):
    programme_model = apps.get_model("mse_pilot", "Programme")
    seat_model = apps.get_model("mse_pilot", "ProgrammeSeat")
    for row in PROGRAMMES:
        defaults = {k: v for k, v in row.items() if k not in ("code", "seats")}
        programme, _ = programme_model.objects.update_or_create(code=row["code"], defaults=defaults)
        for role, count, from_on, until_on, position in row["seats"]:
            seat_model.objects.update_or_create(
                programme=programme,
                role=role,
                defaults={"count": count, "from_on": from_on, "until_on": until_on, "position": position},
            )


def grant(apps, schema_editor):
    for role in (Role.DEPARTMENT_STAFF, Role.PROVIDER_STAFF):
        grant_permissions(apps, role, "mse_pilot", READ)
    for role in (Role.COMMITTEE_STAFF, Role.OPERATOR):
        grant_permissions(apps, role, "mse_pilot", [*READ, *NATIONAL])


def seed_and_grant(apps, schema_editor):
    seed(apps, schema_editor)
    grant(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("mse_pilot", "0004_panel_distribution"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(seed_and_grant, migrations.RunPython.noop)]
