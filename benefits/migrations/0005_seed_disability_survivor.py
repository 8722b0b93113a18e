"""S-7, B-10, B-11, B-16: the SMS texts of the disability and survivor benefits; the rate tables'
coefficients of both (FACTS.md: Social Code arts. 176-177, 236), which staff edit in the admin."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

from benefits.sms import DISABILITY_SURVIVOR_TEMPLATES
from notifications.services import templates_seed, templates_unseed

ART_176 = "Social Code of 20.04.2023 No. 224-VII, arts. 176-177"
ART_236 = "Social Code of 20.04.2023 No. 224-VII, art. 236"
SINCE = dt.date(2023, 7, 1)  # the Social Code in force
D = Decimal

COEFFICIENTS = [
    # (programme, code, description, base, coefficient, source)
    ("disability", "child.under7", "child under 7", "sm", D("1.61"), ART_176),
    ("disability", "child.1", "child aged 7-18, group I", "sm", D("2.20"), ART_176),
    ("disability", "child.2", "child aged 7-18, group II", "sm", D("1.83"), ART_176),
    ("disability", "child.3", "child aged 7-18, group III", "sm", D("1.61"), ART_176),
    ("disability", "childhood.1", "disabled since childhood, group I", "sm", D("2.20"), ART_176),
    ("disability", "childhood.2", "disabled since childhood, group II", "sm", D("1.83"), ART_176),
    ("disability", "childhood.3", "disabled since childhood, group III", "sm", D("1.61"), ART_176),
    ("disability", "general.1", "general illness, work injury or occupational disease, group I", "sm", D("2.20"), ART_176),
    ("disability", "general.2", "general illness, work injury or occupational disease, group II", "sm", D("1.76"), ART_176),
    ("disability", "general.3", "general illness, work injury or occupational disease, group III", "sm", D("1.20"), ART_176),
    ("disability", "radiation.1", "nuclear tests, ecological or radiation causes, group I", "sm", D("3.22"), ART_176),
    ("disability", "radiation.2", "nuclear tests, ecological or radiation causes, group II", "sm", D("2.75"), ART_176),
    ("disability", "radiation.3", "nuclear tests, ecological or radiation causes, group III", "sm", D("2.31"), ART_176),
    ("disability", "military.1", "injury on duty in military service, group I", "sm", D("3.94"), ART_176),
    ("disability", "military.2", "injury on duty in military service, group II", "sm", D("3.04"), ART_176),
    ("disability", "military.3", "injury on duty in military service, group III", "sm", D("2.31"), ART_176),
    ("disability", "special.1", "special state benefit, group I", "mrp", D("1.71"), ART_176),
    ("disability", "special.2", "special state benefit, group II", "mrp", D("1.71"), ART_176),
    ("disability", "special.3", "special state benefit, group III", "mrp", D("0.74"), ART_176),
    ("disability", "child_raising", "raising a child with disability, per child", "sm", D("1.61"), ART_176),
    ("disability", "group1_care", "care of a person with group I disability", "sm", D("1.61"), ART_176),
    ("survivor", "dependants.1", "one dependant", "sm", D("0.92"), ART_236),
    ("survivor", "dependants.2", "two dependants", "sm", D("1.70"), ART_236),
    ("survivor", "dependants.3", "three dependants", "sm", D("2.25"), ART_236),
    ("survivor", "dependants.4", "four dependants", "sm", D("2.60"), ART_236),
    ("survivor", "dependants.5", "five dependants", "sm", D("2.75"), ART_236),
    ("survivor", "dependants.6plus", "six or more dependants, shared equally", "sm", D("3.00"), ART_236),
]


def seed(apps, schema_editor):
    templates_seed(templates=DISABILITY_SURVIVOR_TEMPLATES, apps=apps)
    RateCoefficient = apps.get_model("benefits", "RateCoefficient")
    for programme, code, description, base, coefficient, source in COEFFICIENTS:
        RateCoefficient.objects.get_or_create(
            programme=programme,
            code=code,
            valid_from=SINCE,
            defaults={
                "description": description,
                "base": base,
                "coefficient": coefficient,
                "rounding": "up_tenge",
                "legal_source": source,
            },
        )


def unseed(apps, schema_editor):
    templates_unseed(keys=[t["key"] for t in DISABILITY_SURVIVOR_TEMPLATES], apps=apps)


class Migration(migrations.Migration):
    dependencies = [("benefits", "0004_disability_survivor"), ("notifications", "0005_consent_code_template")]

    operations = [migrations.RunPython(seed, unseed)]
