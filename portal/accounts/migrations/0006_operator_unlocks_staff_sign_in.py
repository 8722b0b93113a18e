from django.db import migrations

from portal.accounts.roles import Role, grant_permissions


def grant(apps, schema_editor):
    # Citizens are no longer locked out (a wrong code only uses up that code); operators instead
    # release a staff user name and address that django-axes paused.
    grant_permissions(apps, Role.OPERATOR, "axes", ["view_accessattempt", "delete_accessattempt"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_sign_in_limits_without_iin_lockout"),
        ("axes", "0010_accessattemptexpiration"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
