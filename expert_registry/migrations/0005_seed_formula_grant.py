import datetime as dt
from decimal import Decimal

from django.db import migrations

from portal.accounts.roles import Role, grant_permissions

# E-10 [A]: the first version of the evaluation formula (docs/rules.md E-10); the Committee edits it
# in the admin by adding a new version.
FORMULA_V1 = {
    "version": 1,
    "valid_from": dt.date(2024, 1, 1),
    "weight_timeliness": Decimal("40"),
    "weight_quality": Decimal("40"),
    "weight_volume": Decimal("20"),
    "volume_cap": Decimal("100"),
    "explanation_kk": (
        "Баға = 40% уақтылық (мерзімінде шығарылған шешімдер / барлық шешімдер) + 40% сапа "
        "(әдістемелік бақылау растаған қорытындылар / тексерілген қорытындылар) + 20% көлем "
        "(шешімдер / шарттағы жоспарлы көрсеткіш, 100%-дан аспайды). Өлшенбейтін бөлік есепке алынбайды."
    ),
    "explanation_ru": (
        "Оценка = 40% своевременность (решения в срок / все решения) + 40% качество (заключения, "
        "подтвержденные методологическим контролем / проверенные заключения) + 20% объем (решения / "
        "плановый показатель договора, не более 100%). Часть, которую нечем измерить, не учитывается."
    ),
    "explanation_en": (
        "Score = 40% timeliness (decisions on time / all decisions) + 40% quality (conclusions upheld by "
        "methodology control / conclusions reviewed) + 20% volume (decisions / the contract's planned "
        "indicator, at most 100%). A part with nothing to measure is left out."
    ),
}

COMMITTEE_STAFF = [
    "view_evaluationformula",
    "add_evaluationformula",
    "change_evaluationformula",
    "view_evaluationresult",
    "view_tariff",
    "add_tariff",
    "change_tariff",
    "view_training",
    "add_training",
    "change_training",
    "view_modemloan",
    "add_modemloan",
    "change_modemloan",
]
AREA_STAFF = ["view_evaluationresult", "view_training", "view_modemloan"]


def seed_and_grant(apps, schema_editor):
    Formula = apps.get_model("expert_registry", "EvaluationFormula")
    Formula.objects.get_or_create(version=FORMULA_V1["version"], defaults=FORMULA_V1)
    grant_permissions(apps, Role.COMMITTEE_STAFF, "expert_registry", COMMITTEE_STAFF)
    grant_permissions(apps, Role.DEPARTMENT_STAFF, "expert_registry", AREA_STAFF)
    grant_permissions(apps, Role.PROVIDER_STAFF, "expert_registry", AREA_STAFF)


class Migration(migrations.Migration):
    dependencies = [
        ("expert_registry", "0004_evaluation_price_equipment"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(seed_and_grant, migrations.RunPython.noop)]
