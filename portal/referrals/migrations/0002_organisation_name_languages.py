"""X-1: a medical organisation's name in Kazakh, Russian and English.

The single name was written in Russian: it becomes the Russian one (renamed, so every row keeps
it); the Kazakh and English names start empty and show the Russian one until staff fill them in
(the admin warns about each organisation that lacks its Kazakh name).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("medicalorganisation", "name", "name_ru"),
        migrations.AlterField(
            "medicalorganisation", "name_ru", models.CharField(max_length=300, verbose_name="name (Russian)")
        ),
        migrations.AddField(
            "medicalorganisation",
            "name_kk",
            models.CharField(blank=True, max_length=300, verbose_name="name (Kazakh)"),
        ),
        migrations.AddField(
            "medicalorganisation",
            "name_en",
            models.CharField(blank=True, max_length=300, verbose_name="name (English)"),
        ),
        migrations.AlterModelOptions(
            name="medicalorganisation",
            options={
                "ordering": ["name_ru"],
                "verbose_name": "medical organisation",
                "verbose_name_plural": "medical organisations",
            },
        ),
    ]
