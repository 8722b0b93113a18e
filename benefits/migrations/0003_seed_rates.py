"""Item 2: the rate tables seeded with the published values (FACTS.md); staff edit them in the admin."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

LAW_BUDGET_2025 = "Law on the republican budget for 2025-2027, art. 9 (MRP 3,932; SM 46,228)"
LAW_BUDGET_2026 = "Law on the republican budget for 2026-2028, art. 9 (MRP 4,325; SM 50,851)"
ART_242 = "Social Code of 20.04.2023 No. 224-VII, art. 242"

BASES = [
    ("mrp", 2025, Decimal("3932"), LAW_BUDGET_2025),
    ("mrp", 2026, Decimal("4325"), LAW_BUDGET_2026),
    ("sm", 2025, Decimal("46228"), LAW_BUDGET_2025),
    ("sm", 2026, Decimal("50851"), LAW_BUDGET_2026),
]
COEFFICIENTS = [
    ("funeral", "recipient", "recipient of a pension or benefit", "mrp", Decimal("35"), ART_242),
    ("funeral", "wwii_veteran", "WWII veteran on an age pension", "mrp", Decimal("36.6"), ART_242),
]
SINCE = dt.date(2023, 7, 1)  # the Social Code in force


def seed(apps, schema_editor):
    RateBase = apps.get_model("benefits", "RateBase")
    RateCoefficient = apps.get_model("benefits", "RateCoefficient")
    for base, year, amount, source in BASES:
        RateBase.objects.update_or_create(base=base, year=year, defaults={"amount": amount, "legal_source": source})
    for programme, code, description, base, coefficient, source in COEFFICIENTS:
        RateCoefficient.objects.update_or_create(
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


class Migration(migrations.Migration):
    dependencies = [("benefits", "0002_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
