"""X-7: an intake refusal's count carries the department serving the examined person's registration
unit on the day, so a department's report counts the refusals of the people it serves.

No backfill: the rows counted before this migration have no person (P-4 keeps them anonymous), so
their department cannot be known; they keep a null department and count only in their region's and
the country's reports."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("mse_pilot", "0009_grant_intake_refusal_view"),
        ("territory", "0002_department_address_languages"),
    ]

    operations = [
        migrations.AddField(
            model_name="intakerefusal",
            name="department",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="territory.msedepartment",
                verbose_name="department serving the person",
            ),
        ),
    ]
