from django.db import migrations

from portal.accounts.roles import Role, grant_permissions

# Department and provider staff read the message log (the admin shows each only their own area's
# messages) and resend a message that failed; operators also edit the texts.
READ = ["view_message", "view_messageevent", "view_template", "view_templateversion"]
RESEND = ["change_message"]
EDIT_TEXTS = ["change_template"]


def grant(apps, schema_editor):
    grant_permissions(apps, Role.DEPARTMENT_STAFF, "notifications", [*READ, *RESEND])
    grant_permissions(apps, Role.PROVIDER_STAFF, "notifications", [*READ, *RESEND])
    grant_permissions(apps, Role.OPERATOR, "notifications", [*READ, *RESEND, *EDIT_TEXTS])


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_seed_templates"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
