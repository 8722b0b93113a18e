from django.db import migrations, models

# E-10: a month's result rows are opened as its cases come in and filled in place by the run on the
# 1st. With half of each page left free, PostgreSQL rewrites each row on its own page without touching
# the table's four indexes (a heap-only update); a full page would move the row and update every index.
TABLE = "expert_registry_evaluationresult"


def leave_room_for_the_run(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} SET (fillfactor = 40)")


def fill_pages(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [
        ("expert_registry", "0012_evaluation_result_fewer_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="evaluationresult",
            name="computed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="computed at"),
        ),
        migrations.RunPython(leave_room_for_the_run, fill_pages),
    ]
