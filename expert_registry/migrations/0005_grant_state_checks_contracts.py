from django.db import migrations

from portal.accounts.roles import Role, grant_permissions

# E-3, E-6, E-7: the Committee reads the state checks, the contracts and the state events; the
# services write them.
COMMITTEE_STAFF = ["view_statedocumentcheck", "view_expertcontract", "view_expertstateevent"]


def grant(apps, schema_editor):
    grant_permissions(apps, Role.COMMITTEE_STAFF, "expert_registry", COMMITTEE_STAFF)


class Migration(migrations.Migration):
    dependencies = [
        ("expert_registry", "0004_state_checks_contracts_exclusion"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
