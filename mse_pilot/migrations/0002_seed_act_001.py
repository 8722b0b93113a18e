"""Seed act 001's data (mse_pilot/act_data.py): the pilot's window and rollout starts (P-1), and the
mandatory examinations of each nosological form (P-3); grant staff their permissions.

Rows that exist are updated by their natural keys (a re-run after a flush restores them)."""

from django.db import migrations

from mse_pilot.act_data import EXAMINATIONS, WINDOW, rollout_rows
from portal.accounts.roles import Role, grant_permissions

READ = ["view_pilotwindow", "view_rolloutstart", "view_mandatoryexamination", "view_routingdecision", "view_remotecase"]
NATIONAL = [f"{a}_{m}" for a in ("add", "change", "delete") for m in ("pilotwindow", "rolloutstart", "mandatoryexamination")]


def seed(apps, schema_editor):
    window_model = apps.get_model("mse_pilot", "PilotWindow")
    rollout_model = apps.get_model("mse_pilot", "RolloutStart")
    exam_model = apps.get_model("mse_pilot", "MandatoryExamination")
    group_model = apps.get_model("nosology", "NosologyGroup")
    window_model.objects.update_or_create(name=WINDOW["name"], defaults=WINDOW)
    for row in rollout_rows():
        rollout_model.objects.update_or_create(
            region_kato=row["region_kato"], mis_vendor=row["mis_vendor"], defaults=row
        )
    groups = {g.code: g for g in group_model.objects.all()}
    for group_code, position, code, also, requirement, at_diagnosis, ru, kk, en in EXAMINATIONS:
        exam_model.objects.update_or_create(
            group=groups[group_code],
            code=code,
            defaults={
                "position": position,
                "also_accepted": also,
                "requirement": requirement,
                "at_diagnosis": at_diagnosis,
                "title_ru": ru,
                "title_kk": kk,
                "title_en": en,
            },
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
    dependencies = [
        ("mse_pilot", "0001_initial"),
        ("nosology", "0002_seed_p2"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(seed_and_grant, migrations.RunPython.noop)]
