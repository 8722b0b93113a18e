"""X-1: a department's address in Kazakh, Russian and English.

The single-language parts were written in Russian: they become the Russian ones (renamed, so every
row keeps its text); the Kazakh and English parts start empty and show the Russian text until staff
fill them in (the admin warns about each department that lacks its Kazakh address).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("territory", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("msedepartment", "city", "city_ru"),
        migrations.RenameField("msedepartment", "street", "street_ru"),
        migrations.RenameField("msedepartment", "room", "room_ru"),
        migrations.AlterField(
            "msedepartment", "city_ru", models.CharField(max_length=100, verbose_name="city (Russian)")
        ),
        migrations.AlterField(
            "msedepartment", "street_ru", models.CharField(max_length=150, verbose_name="street (Russian)")
        ),
        migrations.AlterField(
            "msedepartment", "room_ru", models.CharField(max_length=20, verbose_name="room (Russian)")
        ),
        migrations.AddField(
            "msedepartment",
            "city_kk",
            models.CharField(blank=True, max_length=100, verbose_name="city (Kazakh)"),
        ),
        migrations.AddField(
            "msedepartment",
            "city_en",
            models.CharField(blank=True, max_length=100, verbose_name="city (English)"),
        ),
        migrations.AddField(
            "msedepartment",
            "street_kk",
            models.CharField(blank=True, max_length=150, verbose_name="street (Kazakh)"),
        ),
        migrations.AddField(
            "msedepartment",
            "street_en",
            models.CharField(blank=True, max_length=150, verbose_name="street (English)"),
        ),
        migrations.AddField(
            "msedepartment",
            "room_kk",
            models.CharField(blank=True, max_length=20, verbose_name="room (Kazakh)"),
        ),
        migrations.AddField(
            "msedepartment",
            "room_en",
            models.CharField(blank=True, max_length=20, verbose_name="room (English)"),
        ),
    ]
