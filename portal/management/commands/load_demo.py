"""``manage.py load_demo``: demo data for the Akmola pilot, safe to run again.

Creates the region with its districts and cities, five MSE departments, demo people, a hospital with
its MIS integrator and API token, staff sign-ins, referrals (through the real intake, so routing and
the N-Q1 SMS run) and consents; then runs every installed app's ``<app>.demo.seed(stdout=...)``.

The passwords and the API token below are public demo values: the command refuses to run with
DEBUG off unless ``--force`` is given.
"""

from __future__ import annotations

import base64
import datetime as dt
import importlib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from portal.accounts.models import ApiToken, Integrator, User
from portal.accounts.roles import Role
from portal.accounts.scopes import scope_values
from portal.accounts.services import integrator_create
from portal.acts.models import StaffSignatory
from portal.acts.services import act_register, department_code
from portal.acts.signing import act_signed_content
from portal.consent.models import Consent
from portal.consent.services import consent_give
from portal.people.models import Guardianship, Person
from portal.referrals.models import MedicalOrganisation, MisVendor, Referral
from portal.referrals.services import referral_intake
from portal.referrals.signing import referral_signed_content
from portal.signatures.testing import sign_cms
from portal.signatures.testpki import TestPki
from portal.territory.models import Atu, MseDepartment, Region
from portal.territory.selectors import department_for_atu
from portal.validators import bin_build, iin_build, normalize_phone

DEMO_STAFF_PASSWORD = "demo-staff-2026"  # noqa: S105 - a documented demo value, refused in production
DEMO_ADMIN_PASSWORD = "demo-admin-2026"  # noqa: S105
DEMO_API_TOKEN = "demo-mis-token-akmola-2026"  # noqa: S105

REGION = {"kato": "110000000", "name_kk": "Ақмола облысы", "name_ru": "Акмолинская область", "name_en": "Akmola Region"}

# The region's cities of regional significance and its 17 districts. The first four digits follow
# the KATO classifier as published in secondary sources (1110 Kokshetau, 1132 Akkol ...); check the
# 9-digit codes against the official classifier of the Bureau of National Statistics before
# production use. (kato, kind, kk, ru, en)
CITY, DISTRICT, OKRUG = Atu.Kind.CITY, Atu.Kind.DISTRICT, Atu.Kind.RURAL_OKRUG
UNITS = [
    ("111000000", CITY, "Көкшетау қаласы", "город Кокшетау", "Kokshetau"),
    ("111600000", CITY, "Қосшы қаласы", "город Косшы", "Kosshy"),
    ("111800000", CITY, "Степногорск қаласы", "город Степногорск", "Stepnogorsk"),
    ("113200000", DISTRICT, "Ақкөл ауданы", "Аккольский район", "Akkol District"),
    ("113400000", DISTRICT, "Аршалы ауданы", "Аршалынский район", "Arshaly District"),
    ("113600000", DISTRICT, "Астрахан ауданы", "Астраханский район", "Astrakhan District"),
    ("113800000", DISTRICT, "Атбасар ауданы", "Атбасарский район", "Atbasar District"),
    ("114000000", DISTRICT, "Бұланды ауданы", "Буландынский район", "Bulandy District"),
    ("114400000", DISTRICT, "Егіндікөл ауданы", "Егиндыкольский район", "Egindykol District"),
    ("114500000", DISTRICT, "Біржан сал ауданы", "район Биржан сал", "Birzhan Sal District"),
    ("114600000", DISTRICT, "Ерейментау ауданы", "Ерейментауский район", "Ereymentau District"),
    ("114800000", DISTRICT, "Есіл ауданы", "Есильский район", "Esil District"),
    ("115200000", DISTRICT, "Жақсы ауданы", "Жаксынский район", "Zhaksy District"),
    ("115400000", DISTRICT, "Жарқайың ауданы", "Жаркаинский район", "Zharkain District"),
    ("115600000", DISTRICT, "Зеренді ауданы", "Зерендинский район", "Zerendi District"),
    ("116000000", DISTRICT, "Қорғалжын ауданы", "Коргалжынский район", "Korgalzhyn District"),
    ("116400000", DISTRICT, "Сандықтау ауданы", "Сандыктауский район", "Sandyktau District"),
    ("116600000", DISTRICT, "Целиноград ауданы", "Целиноградский район", "Tselinograd District"),
    ("116800000", DISTRICT, "Шортанды ауданы", "Шортандинский район", "Shortandy District"),
    ("117000000", DISTRICT, "Бурабай ауданы", "Бурабайский район", "Burabay District"),
]

# A few units below the districts. Their codes are plausible placeholders within the parent's
# range: check them against the official classifier. (kato, kind, kk, ru, en, parent kato)
SUB_UNITS = [
    ("111033000", OKRUG, "Красный Яр ауылдық округі", "Красноярский сельский округ", "Krasny Yar", "111000000"),
    ("117010000", CITY, "Щучинск қаласы", "город Щучинск", "Shchuchinsk", "117000000"),
    ("117043000", OKRUG, "Қатаркөл ауылдық округі", "Катаркольский сельский округ", "Katarkol", "117000000"),
    ("117047000", OKRUG, "Үрімқай ауылдық округі", "Урумкайский сельский округ", "Urumkay", "117000000"),
    ("115633000", OKRUG, "Зеренді ауылдық округі", "Зерендинский сельский округ", "Zerendi", "115600000"),
    ("116633000", OKRUG, "Ақмол ауылдық округі", "Акмолинский сельский округ", "Akmol", "116600000"),
    ("116637000", OKRUG, "Қабанбай батыр ауылдық округі", "с. о. Кабанбай батыра", "Kabanbay Batyr", "116600000"),
    ("113810000", CITY, "Атбасар қаласы", "город Атбасар", "Atbasar", "113800000"),
]

# Five MSE departments, each receiving the residents of its units (a district covers its okrugs).
# Names and the city, street and room of the address are (kk, ru, en); the house is the same in all.
DEPARTMENTS = [
    {
        "number": 1,
        "names": ("Көкшетау қалалық МӘС бөлімі", "Отдел МСЭ города Кокшетау", "Kokshetau MSE department"),
        "city": ("Көкшетау", "Кокшетау", "Kokshetau"),
        "street": ("Әуезов көшесі", "ул. Ауэзова", "Auezov Street"),
        "house": "189А",
        "room": ("104-кабинет", "каб. 104", "room 104"),
        "phone": "+7 7162 25 13 40",
        "atus": ["111000000", "115600000", "116400000", "113200000", "114500000"],
    },
    {
        "number": 2,
        "names": ("Степногорск қалалық МӘС бөлімі", "Отдел МСЭ города Степногорск", "Stepnogorsk MSE department"),
        "city": ("Степногорск", "Степногорск", "Stepnogorsk"),
        "street": ("4-шағын аудан", "мкр. 4", "Microdistrict 4"),
        "house": "12",
        "room": ("7-кабинет", "каб. 7", "room 7"),
        "phone": "+7 71645 6 21 18",
        "atus": ["111800000", "114600000", "114000000", "116800000"],
    },
    {
        "number": 3,
        "names": ("Бурабай аудандық МӘС бөлімі", "Отдел МСЭ Бурабайского района (Щучинск)", "Burabay MSE department"),
        "city": ("Щучинск", "Щучинск", "Shchuchinsk"),
        "street": ("Абылай хан көшесі", "ул. Абылай хана", "Abylai Khan Street"),
        "house": "32",
        "room": ("3-кабинет", "каб. 3", "room 3"),
        "phone": "+7 71636 4 11 52",
        "atus": ["117000000"],
    },
    {
        "number": 4,
        "names": ("Атбасар аудандық МӘС бөлімі", "Отдел МСЭ Атбасарского района", "Atbasar MSE department"),
        "city": ("Атбасар", "Атбасар", "Atbasar"),
        "street": ("Уәлиханов көшесі", "ул. Валиханова", "Valikhanov Street"),
        "house": "18",
        "room": ("2-кабинет", "каб. 2", "room 2"),
        "phone": "+7 71643 2 40 15",
        "atus": ["113800000", "114800000", "115400000", "115200000", "114400000", "113600000"],
    },
    {
        "number": 5,
        "names": ("Қосшы қалалық МӘС бөлімі", "Отдел МСЭ города Косшы", "Kosshy MSE department"),
        "city": ("Қосшы", "Косшы", "Kosshy"),
        "street": ("Республика көшесі", "ул. Республики", "Respublika Street"),
        "house": "5",
        "room": ("11-кабинет", "каб. 11", "room 11"),
        "phone": "+7 7172 31 05 27",
        "atus": ["111600000", "116600000", "113400000", "116000000"],
    },
]

# Demo people: keys are used below. Serials are fixed, so the IINs are the same on every run.
PEOPLE = {
    "citizen": {
        "birth": dt.date(1978, 5, 12),
        "female": False,
        "serial": 4101,
        "last_name": "Омаров",
        "first_name": "Серик",
        "patronymic": "Бауржанович",
        "phone": "+77015550101",
        "preferred_language": "ru",
        "atu": "111000000",
        "address": "Кокшетау, ул. Абая, 150, кв. 12",
    },
    "parent": {
        "birth": dt.date(1990, 9, 3),
        "female": True,
        "serial": 4202,
        "last_name": "Ахметова",
        "first_name": "Айгүл",
        "patronymic": "Ержанқызы",
        "phone": "+77075550202",
        "preferred_language": "kk",
        "atu": "117010000",
        "address": "Щучинск, ул. Ленина, 21",
    },
    "child": {
        "birth": dt.date(2019, 4, 18),
        "female": False,
        "serial": 4303,
        "last_name": "Ахметов",
        "first_name": "Әлихан",
        "patronymic": "Нұрланұлы",
        "phone": "",
        "preferred_language": "kk",
        "atu": "117010000",
        "address": "Щучинск, ул. Ленина, 21",
    },
    "unregistered": {
        "birth": dt.date(1965, 11, 30),
        "female": False,
        "serial": 4404,
        "last_name": "Ким",
        "first_name": "Виктор",
        "patronymic": "Александрович",
        "phone": "+77775550303",
        "preferred_language": "ru",
        "atu": None,  # no permanent registration: Q-6 (b) refuses the booking
        "address": "",
    },
}

ORGANISATION = {
    "names": (
        "Көкшетау қаласындағы көпбейінді облыстық аурухана",
        "Многопрофильная областная больница, г. Кокшетау",
        "Multidisciplinary Regional Hospital, Kokshetau",
    ),
    "bin": bin_build(dt.date(2002, 7, 1), serial=4321),
    "mis_vendor": MisVendor.DAMU,
}
INTEGRATOR_NAME = "МИС DAMU (демо)"

# (external id, person key, ICD-10, diagnosis, days since signing)
REFERRALS = [
    ("031-DEMO-0001", "citizen", "I63.5", "Последствия инфаркта мозга, правосторонний гемипарез", 2),
    ("031-DEMO-0002", "child", "G80.1", "Детский церебральный паралич, спастическая диплегия", 1),
    ("031-DEMO-0003", "unregistered", "I69.3", "Последствия инфаркта мозга", 3),
]

STAFF = [
    # username, group, is_superuser, department number, region
    ("dept1", Role.DEPARTMENT_STAFF, False, 1, False),
    ("provider", Role.PROVIDER_STAFF, False, None, True),
    ("operator", Role.OPERATOR, False, None, True),
    ("admin", None, True, None, False),
]


# the VKK chair who signs the demo referrals (a certificate of the test PKI)
DEMO_CHAIR_IIN = iin_build(dt.date(1972, 4, 12), female=True, serial=410)
# the department 1 staff member's signing certificate (test PKI): the demo act is signed with it
DEMO_EXPERT_IIN = iin_build(dt.date(1975, 9, 3), female=True, serial=430)


class Command(BaseCommand):
    help = "Load the Akmola demo data (region, departments, people, staff, a MIS token, referrals). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off (never on a real portal)")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: the demo data has public passwords. Use --force to load it anyway.")
        with transaction.atomic():
            region = self._region()
            units = self._units(region)
            departments = self._departments(region, units)
            people = self._people(units)
            integrator, organisation = self._integrator(region)
            users = self._staff(region, departments)
            self._referrals(integrator, organisation, people)
            self._consents(people)
            self._acts(users, people)
        self._app_hooks()
        self._summary(people, users)

    # --- steps --------------------------------------------------------------------------------

    def _region(self) -> Region:
        region, _ = Region.objects.update_or_create(kato=REGION["kato"], defaults=REGION)
        return region

    def _units(self, region: Region) -> dict[str, Atu]:
        units: dict[str, Atu] = {}
        rows = [(*u, None) for u in UNITS] + SUB_UNITS
        for kato, kind, kk, ru, en, parent in rows:
            units[kato], _ = Atu.objects.update_or_create(
                kato=kato,
                defaults={
                    "region": region,
                    "kind": kind,
                    "name_kk": kk,
                    "name_ru": ru,
                    "name_en": en,
                    "parent": units[parent] if parent else None,
                },
            )
        return units

    def _departments(self, region: Region, units: dict[str, Atu]) -> dict[int, MseDepartment]:
        departments = {}
        for d in DEPARTMENTS:
            kk, ru, en = d["names"]
            address = {
                f"{part}_{language}": d[part][i]
                for part in ("city", "street", "room")
                for i, language in enumerate(("kk", "ru", "en"))
            }
            dept, _ = MseDepartment.objects.update_or_create(
                region=region,
                number=d["number"],
                defaults={
                    "name_kk": kk,
                    "name_ru": ru,
                    "name_en": en,
                    **address,
                    "house": d["house"],
                    "phone": d["phone"],
                    "is_active": True,
                },
            )
            wanted = {units[k].pk for k in d["atus"]}
            if set(dept.atus.values_list("pk", flat=True)) != wanted:
                dept.atus.set(wanted)
            departments[d["number"]] = dept
        return departments

    def _people(self, units: dict[str, Atu]) -> dict[str, Person]:
        people = {}
        for key, p in PEOPLE.items():
            iin = iin_build(p["birth"], female=p["female"], serial=p["serial"])
            person, _ = Person.objects.update_or_create(
                iin=iin,
                defaults={
                    "last_name": p["last_name"],
                    "first_name": p["first_name"],
                    "patronymic": p["patronymic"],
                    "birth_date": p["birth"],
                    "phone": normalize_phone(p["phone"]) if p["phone"] else "",
                    "preferred_language": p["preferred_language"],
                    "registration_atu": units[p["atu"]] if p["atu"] else None,
                    "registration_address": p["address"],
                },
            )
            person.full_clean()
            people[key] = person
        Guardianship.objects.get_or_create(
            representative=people["parent"],
            ward=people["child"],
            defaults={
                "basis": Guardianship.Basis.PARENT,
                "document_number": "I-АГ 0418201",
                "document_date": PEOPLE["child"]["birth"],
                "valid_from": PEOPLE["child"]["birth"],
            },
        )
        return people

    def _integrator(self, region: Region) -> tuple[Integrator, MedicalOrganisation]:
        integrator = Integrator.objects.filter(name=INTEGRATOR_NAME).first()
        if integrator is None:
            integrator = integrator_create(name=INTEGRATOR_NAME, kind=Integrator.Kind.MIS, bin=ORGANISATION["bin"])
        organisation, _ = MedicalOrganisation.objects.update_or_create(
            bin=ORGANISATION["bin"],
            defaults={
                "name_kk": ORGANISATION["names"][0],
                "name_ru": ORGANISATION["names"][1],
                "name_en": ORGANISATION["names"][2],
                "mis_vendor": ORGANISATION["mis_vendor"],
                "region": region,
                "integrator": integrator,
            },
        )
        # A fixed, documented key (the service would draw a random one) so the demo can print it on
        # every run; only its hash is stored, as for real tokens.
        ApiToken.objects.update_or_create(
            key_hash=ApiToken.hash_key(DEMO_API_TOKEN),
            defaults={
                "integrator": integrator,
                "name": "demo",
                "prefix": DEMO_API_TOKEN[:8],
                "scopes": scope_values(integrator_kind=integrator.kind),
                "expires_at": None,
                "revoked_at": None,
            },
        )
        return integrator, organisation

    def _staff(self, region: Region, departments: dict[int, MseDepartment]) -> dict[str, User]:
        users = {}
        for username, role, superuser, dept_number, with_region in STAFF:
            user, _ = User.objects.get_or_create(username=username)
            user.is_staff = True
            user.is_superuser = superuser
            user.is_active = True
            user.department = departments[dept_number] if dept_number else None
            user.region = region if with_region else None
            password = DEMO_ADMIN_PASSWORD if superuser else DEMO_STAFF_PASSWORD
            if not user.check_password(password):
                user.set_password(password)
            user.save()
            if role:
                user.groups.add(Group.objects.get(name=role))
            users[username] = user
        return users

    def _referrals(self, integrator: Integrator, organisation: MedicalOrganisation, people: dict[str, Person]) -> None:
        now = timezone.now()
        # P-5: the VKK chair signs with the test PKI (the one the development settings trust)
        roots = settings.SIGNATURE_TRUSTED_ROOTS
        pki = TestPki(Path(roots[0]).parent if roots else Path(settings.BASE_DIR) / "var" / "pki").ensure()
        chair_key, chair_cert = pki.person(DEMO_CHAIR_IIN, bin=organisation.bin, name="ЖУМАБЕКОВА ГУЛЬМИРА")
        for external_id, person_key, icd10, diagnosis, days_ago in REFERRALS:
            if Referral.objects.filter(medical_organisation=organisation, external_id=external_id).exists():
                continue
            form = {
                "person_iin": people[person_key].iin,
                "organisation_bin": organisation.bin,
                "external_id": external_id,
                "icd10": icd10,
                "diagnosis_text": diagnosis,
                "signed_at": (now - dt.timedelta(days=days_ago)).replace(microsecond=0),
                "vkk_chair_name": "Жумабекова Г. С.",
                "vkk_chair_iin": DEMO_CHAIR_IIN,
                "examinations": [{"code": "inpatient_extract", "title": "Выписка из медицинской карты стационара"}],
            }
            cms = sign_cms(referral_signed_content(**form), chair_key, chair_cert, chain=pki.chain())
            referral_intake(integrator=integrator, signature=base64.b64encode(cms).decode(), **form)

    def _consents(self, people: dict[str, Person]) -> None:
        # The citizen has not yet consented to the processing of personal data: their first
        # booking asks for it. The parent gave the child's, so booking for the child does not ask.
        pairs = [
            ("citizen", "citizen", Consent.Scope.SMS),
            ("parent", "parent", Consent.Scope.PERSONAL_DATA),
            ("child", "parent", Consent.Scope.PERSONAL_DATA),
            ("unregistered", "unregistered", Consent.Scope.PERSONAL_DATA),
        ]
        for subject, given_by, scope in pairs:
            consent_give(
                subject=people[subject],
                given_by=people[given_by],
                scope=scope,
                purpose="Электронная очередь на освидетельствование (демо)",
                channel=Consent.Channel.PORTAL,
            )

    def _acts(self, users: dict[str, User], people: dict[str, Person]) -> None:
        """P-8, S-5: the department 1 staff member signs with the test PKI; the citizen has one act
        (last year's examination, group II until a date 40 days ahead: results in the cabinet, and
        the X-10 reminder due)."""
        StaffSignatory.objects.update_or_create(user=users["dept1"], defaults={"iin": DEMO_EXPERT_IIN})
        person = people["citizen"]
        if person.mse_acts.exists() or person.registration_atu is None:
            return
        department = department_for_atu(atu=person.registration_atu)
        if department is None:
            return
        today = timezone.localdate()
        decision = {
            "kind": "primary",
            "place": "department",
            "examined_on": today - dt.timedelta(days=330),
            "recognised": True,
            "group": "2",
            "cause": "general_illness",
            "category": "adult",
            "term_until": today + dt.timedelta(days=40),
            "without_term": False,
            "general_capacity_loss": None,
            "professional_capacity_loss": None,
            "ipr_social": True,
            "ipr_professional": True,
            "needs_help_and_care": False,
        }
        content = act_signed_content(
            person_iin=person.iin,
            department=department_code(department),
            referral=None,
            signer_iin=DEMO_EXPERT_IIN,
            **decision,
        )
        roots = settings.SIGNATURE_TRUSTED_ROOTS
        pki = TestPki(Path(roots[0]).parent if roots else Path(settings.BASE_DIR) / "var" / "pki").ensure()
        key, cert = pki.person(DEMO_EXPERT_IIN, name="АХМЕТОВА ДИНАРА")
        cms = sign_cms(content, key, cert, chain=pki.chain())
        act_register(
            actor_user=None,  # the demo registers it as a system channel, naming the signer
            person=person,
            department=department,
            signature=base64.b64encode(cms).decode(),
            signer_iin=DEMO_EXPERT_IIN,
            **decision,
        )

    def _app_hooks(self) -> None:
        """Each installed app may seed its own demo data: ``<app>.demo.seed(*, stdout)``."""
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name == module_name:
                    continue
                raise
            seed = getattr(module, "seed", None)
            if callable(seed):
                self.stdout.write(f"Demo data of {config.label} ...")
                seed(stdout=self.stdout)

    def _summary(self, people: dict[str, Person], users: dict[str, User]) -> None:
        site = settings.SITE_URL
        lines = [
            "",
            "=" * 72,
            "MSE portal demo (Akmola region)",
            f"URL:                    {site}/",
            "",
            "Citizens sign in with their IIN and a one-time SMS code. In development the code is in",
            f"the console log and in the dev inbox: {site}/notifications/dev/inbox/",
            f"  citizen:              IIN {people['citizen'].iin}  ({people['citizen'].full_name})",
            f"  parent of a child:    IIN {people['parent'].iin}  (ward IIN {people['child'].iin})",
            f"  no registration:      IIN {people['unregistered'].iin}",
            f"  MSE results:          {site}/acts/results/ (the citizen's act, signed with the test PKI)",
            "",
            f"Staff sign-in:          {site}/accounts/staff/sign-in/",
            f"  department 1 staff:   {users['dept1'].username} / {DEMO_STAFF_PASSWORD}",
            f"  provider staff:       {users['provider'].username} / {DEMO_STAFF_PASSWORD}",
            f"  operator:             {users['operator'].username} / {DEMO_STAFF_PASSWORD}",
            f"Admin:                  {site}/admin/  {users['admin'].username} / {DEMO_ADMIN_PASSWORD}",
            "",
            "Other pages (signed in as above):",
            f"  benefits (citizen):   {site}/benefits/  (funeral, survivor; disability offered from the act)",
            f"  expert selection:     {site}/experts/announcements/  (public), {site}/experts/cabinet/",
            f"  remote examination:   {site}/pilot/radar/ (staff), {site}/pilot/workspace/ (experts)",
            f"  acts (staff):         {site}/acts/staff/  (plans, refusals); the act of a served visit from the desk",
            f"  monthly reports:      {site}/reports/  (staff)",
            f"  deadlines:            {site}/deadlines/  (staff: every app's deadlines of their area)",
            f"  check your signature: {site}/signatures/check/  (the demo key stands in for NCALayer)",
            "",
            f"API (MIS integrator):   Authorization: Token {DEMO_API_TOKEN}",
            "  acts for the people its clinic referred; name them in the X-Citizen-IIN header",
            f"  docs:                 {site}/api/docs/",
            "=" * 72,
        ]
        self.stdout.write("\n".join(lines))
