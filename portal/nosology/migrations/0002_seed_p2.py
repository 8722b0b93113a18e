from django.db import migrations

from portal.accounts.roles import Role, grant_permissions
from portal.nosology.codes import P2_GROUPS, icd_listing_expand


def seed(apps, schema_editor):
    """P-2: the three nosological forms of appendix 1 to the algorithm and their ICD-10 codes."""
    group_model = apps.get_model("nosology", "NosologyGroup")
    code_model = apps.get_model("nosology", "NosologyCode")
    for source in P2_GROUPS:
        group, _created = group_model.objects.update_or_create(
            code=source.code,
            defaults={
                "number": source.number,
                "title_kk": source.title_kk,
                "title_ru": source.title_ru,
                "title_en": source.title_en,
                "listing": source.listing,
                "children_only": source.children_only,
            },
        )
        for code in icd_listing_expand(source.listing):
            code_model.objects.update_or_create(code=code, defaults={"group": group})


def grant(apps, schema_editor):
    # Staff read the forms (the pilot's routing, an expert's competences); Committee staff and
    # operators change them when the act is amended (NationalDataAdminMixin).
    for role in (Role.DEPARTMENT_STAFF, Role.PROVIDER_STAFF):
        grant_permissions(apps, role, "nosology", ["view_nosologygroup", "view_nosologycode"])
    for role in (Role.COMMITTEE_STAFF, Role.OPERATOR):
        grant_permissions(
            apps,
            role,
            "nosology",
            [f"{action}_{model}" for action in ("view", "add", "change", "delete") for model in ("nosologygroup", "nosologycode")],
        )


def seed_and_grant(apps, schema_editor):
    seed(apps, schema_editor)
    grant(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("nosology", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(seed_and_grant, migrations.RunPython.noop)]
