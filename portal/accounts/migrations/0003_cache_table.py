from django.db import migrations


def create_cache_table(apps, schema_editor):
    # The embedded default keeps its cache in the database (no Redis): make the table with the
    # schema, so that a migrate is all a fresh machine needs. With Redis configured it is unused.
    from django.core.management import call_command

    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles")]
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
