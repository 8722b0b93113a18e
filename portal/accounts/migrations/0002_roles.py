from django.db import migrations

from portal.accounts.roles import Role, grant_permissions

ROLES = [
    Role.CITIZEN,
    Role.DEPARTMENT_STAFF,
    Role.PROVIDER_STAFF,
    Role.COMMITTEE_STAFF,
    Role.DOCTOR_EXPERT,
    Role.INTEGRATOR,
    Role.OPERATOR,
]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    # Core permissions. Each app grants its own in its own migrations.
    view_core = ["view_person", "view_guardianship"]
    grant_permissions(apps, Role.DEPARTMENT_STAFF, "people", view_core)
    grant_permissions(apps, Role.DEPARTMENT_STAFF, "referrals", ["view_referral", "view_referralexamination"])
    grant_permissions(apps, Role.PROVIDER_STAFF, "people", view_core)
    grant_permissions(apps, Role.PROVIDER_STAFF, "referrals", ["view_referral", "view_referralexamination"])
    grant_permissions(
        apps,
        Role.PROVIDER_STAFF,
        "territory",
        ["view_region", "view_atu", "add_atu", "change_atu", "view_msedepartment", "change_msedepartment"],
    )
    grant_permissions(
        apps, Role.PROVIDER_STAFF, "workcal",
        ["view_calendarexception", "add_calendarexception", "change_calendarexception", "delete_calendarexception"],
    )
    grant_permissions(apps, Role.COMMITTEE_STAFF, "people", view_core)
    grant_permissions(apps, Role.COMMITTEE_STAFF, "referrals", ["view_referral", "view_medicalorganisation"])
    grant_permissions(
        apps, Role.OPERATOR, "workcal",
        ["view_calendarexception", "add_calendarexception", "change_calendarexception", "delete_calendarexception"],
    )
    grant_permissions(
        apps, Role.OPERATOR, "accounts",
        ["view_integrator", "add_integrator", "change_integrator", "view_apitoken", "change_apitoken",
         "view_signinlock", "delete_signinlock"],
    )


def drop_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("people", "0001_initial"),
        ("referrals", "0001_initial"),
        ("territory", "0001_initial"),
        ("workcal", "0001_initial"),
        ("consent", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, drop_roles)]
