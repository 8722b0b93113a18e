from django.db import migrations

from portal.accounts.roles import Role, grant_permissions


def grant(apps, schema_editor):
    # Committee staff and operators read the access log (for complaints and audits); nobody
    # changes it. Department and provider staff do not read who else looked.
    grant_permissions(apps, Role.COMMITTEE_STAFF, "accesslog", ["view_personaldataaccess"])
    grant_permissions(apps, Role.OPERATOR, "accesslog", ["view_personaldataaccess"])


class Migration(migrations.Migration):
    dependencies = [
        ("accesslog", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
