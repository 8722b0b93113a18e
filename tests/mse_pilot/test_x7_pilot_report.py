"""X-7: the remote pilot's monthly report, checked against the cases and panels the test writes.

October 2026 (Asia/Almaty). Persons registered in Akmola unless said otherwise:
- case 1: form 2, organisation in Akmola on DAMU, received 5 Oct 10:00, due 5 Oct 18:00; first
  member sent 10:30 (30 min), taken away and replaced at 12:00 (due 6 Oct 18:00, concluded 6 Oct
  11:00: on time); decided 5 Oct 17:00 (on time);
- case 2: form 2, organisation in Akmola on Zhetysu, received 6 Oct 17:00, due 7 Oct 18:00; first
  member sent 18:30 (90 min), replaced 7 Oct 09:00 (still open); sent to methodology 7 Oct 19:00,
  decided by methodology 8 Oct 10:00 (late);
- case 3: form 3, organisation in Karaganda on DAMU, received 20 Oct 09:00, never distributed;
- case 4: received 2 November: not October's;
- case 5: a person registered in Karaganda, received 10 Oct: in the country's report, not Akmola's.

Intake refusals (P-4) counted: in Akmola, form 2 missing the karyotype on 1 and 31 Oct and the
neurologist's conclusion on 31 Oct; form 3 missing the DNA test on 15 Oct; in Karaganda, form 2
missing the karyotype on 12 Oct; in Akmola on 1 November (not October's). None of them names a
department (as the rows counted before the department was recorded).
"""

import csv as csv_module
import datetime as dt
import io
import zipfile
from zoneinfo import ZoneInfo

import pytest

from mse_pilot.models import IntakeRefusal, PanelAssignment, RemoteCase, Role
from portal.accounts.models import User
from portal.nosology.models import NosologyGroup
from portal.referrals.models import MisVendor
from portal.reports.registry import ReportScope, report_definition
from portal.reports.services import report_build
from portal.territory.models import Region
from tests.factories import (
    AtuFactory,
    DepartmentFactory,
    MedicalOrganisationFactory,
    PersonFactory,
    ReferralFactory,
    RegionFactory,
)
from tests.mse_pilot.panel import doctor_expert

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
MONTH = dt.date(2026, 10, 1)


def at(day: int, hour: int, minute: int = 0, month: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=ALMATY)


def case(*, received, due, number=2, organisation, person=None, **fields) -> RemoteCase:
    referral = ReferralFactory(medical_organisation=organisation, **({"person": person} if person else {}))
    return RemoteCase.objects.create(
        referral=referral,
        person=referral.person,
        nosology_group=NosologyGroup.objects.get(number=number),
        received_at=received,
        due_at=due,
        due_reading="same_day",
        **fields,
    )


def member(c: RemoteCase, *, sent, due, status, status_at=None, replaces=None) -> PanelAssignment:
    return PanelAssignment.objects.create(
        case=c,
        person=c.person,
        expert=doctor_expert(),
        role=Role.DOCTOR_EXPERT,
        assigned_at=sent,
        due_at=due,
        status=status,
        status_at=status_at,
        redistributed_from=replaces,
        rule_version="test",
    )


@pytest.fixture
def akmola(db):
    return RegionFactory(kato="110000000")


@pytest.fixture
def october(akmola):
    karaganda = RegionFactory(kato="350000000", name_ru="Карагандинская область")
    akmola_damu = MedicalOrganisationFactory(region=akmola, mis_vendor=MisVendor.DAMU)
    akmola_zhetysu = MedicalOrganisationFactory(region=akmola, mis_vendor=MisVendor.ZHETYSU)
    karaganda_damu = MedicalOrganisationFactory(region=karaganda, mis_vendor=MisVendor.DAMU)
    S = PanelAssignment.Status
    c1 = case(received=at(5, 10), due=at(5, 18), organisation=akmola_damu, decided_at=at(5, 17))
    first = member(c1, sent=at(5, 10, 30), due=at(5, 18), status=S.REDISTRIBUTED, status_at=at(5, 12))
    member(c1, sent=at(5, 12), due=at(6, 18), status=S.DONE, status_at=at(6, 11), replaces=first)
    methodologist = User.objects.create_user(username="method", password="x-Secret-123", is_staff=True)
    c2 = case(
        received=at(6, 17),
        due=at(7, 18),
        organisation=akmola_zhetysu,
        methodology_since=at(7, 19),
        decided_at=at(8, 10),
        decided_by=methodologist,
        stage=RemoteCase.Stage.DECIDED,
    )
    first = member(c2, sent=at(6, 18, 30), due=at(7, 18), status=S.REDISTRIBUTED, status_at=at(7, 9))
    member(c2, sent=at(7, 9), due=at(8, 18), status=S.ASSIGNED, replaces=first)
    case(received=at(20, 9), due=at(20, 18), number=3, organisation=karaganda_damu)
    case(received=at(2, 10, month=11), due=at(2, 18, month=11), organisation=akmola_damu)
    in_karaganda = PersonFactory(registration_atu=AtuFactory(region=karaganda, kato="351000001"))
    case(received=at(10, 10), due=at(10, 18), organisation=karaganda_damu, person=in_karaganda)
    for day, number, region, code in (
        (dt.date(2026, 10, 1), 2, akmola, "karyotype"),
        (dt.date(2026, 10, 31), 2, akmola, "karyotype"),
        (dt.date(2026, 10, 31), 2, akmola, "neurologist_conclusion"),
        (dt.date(2026, 10, 15), 3, akmola, "dna_mutation_test"),
        (dt.date(2026, 10, 12), 2, karaganda, "karyotype"),
        (dt.date(2026, 11, 1), 2, akmola, "karyotype"),
    ):
        IntakeRefusal.objects.create(
            day=day,
            nosology_group=NosologyGroup.objects.get(number=number),
            region=region,
            mis_vendor=MisVendor.DAMU,
            integrator=akmola_damu.integrator,
            examination_code=code,
        )


def figures(scope: ReportScope) -> dict[str, dict[str, list]]:
    report = report_build(key="mse_pilot", scope=scope)
    assert report.status == "ready"
    return {s["key"]: {str(r[0]): r[1:] for r in s["rows"]} for s in report.figures["sections"]}


def form(number: int) -> str:
    g = NosologyGroup.objects.get(number=number)
    return f"{number}. {g.code}"


def test_x7_pilot_report_is_registered_by_the_pilot_app_with_its_note_on_refusals():
    definition = report_definition("mse_pilot")
    assert definition is not None
    assert any("region of the medical organisation" in str(note) for note in definition.notes)
    assert not any("not recorded" in str(note) for note in definition.notes)


def refused(number: int, code: str, title: str) -> str:
    return f"{form(number)}: {code}, {title}"


KARYOTYPE = "Кариотипическое исследование лимфоцитов периферической крови"


def test_x7_p4_pilot_report_counts_intake_refusals_by_group_and_examination(october, akmola):
    f = figures(ReportScope(month=MONTH, region_id=akmola.pk))
    neurologist = "Заключение невропатолога"
    dna = "Молекулярно-генетический метод исследования с определением мутаций в ДНК"
    assert f["refusals"] == {
        refused(2, "karyotype", KARYOTYPE): [2],
        refused(2, "neurologist_conclusion", neurologist): [1],
        refused(3, "dna_mutation_test", dna): [1],
    }


def test_x7_p4_pilot_report_refusals_without_a_department_count_for_the_country_and_region_only(october, akmola):
    country = figures(ReportScope(month=MONTH))
    assert country["refusals"][refused(2, "karyotype", KARYOTYPE)] == [3]
    karaganda = figures(ReportScope(month=MONTH, region_id=Region.objects.get(kato="350000000").pk))
    assert karaganda["refusals"] == {refused(2, "karyotype", KARYOTYPE): [1]}
    # no department recorded: not the region's departments' (the notes say so)
    department = DepartmentFactory(region=akmola)
    assert figures(ReportScope(month=MONTH, department_id=department.pk))["refusals"] == {}


def test_x7_p4_a_departments_report_counts_the_refusals_of_the_people_it_serves(window, intake, organisation):
    from django.utils import timezone

    from portal.errors import ApplicationErrors
    from tests.mse_pilot.conftest import DOWN_EXAMS, exams

    # given: two departments of Akmola, each serving a district, and a district no department serves
    akmola = organisation.region
    district_a = AtuFactory(region=akmola, kato="111000001")
    district_b = AtuFactory(region=akmola, kato="112000001")
    department_a = DepartmentFactory(region=akmola, number=1, atus=[district_a])
    department_b = DepartmentFactory(region=akmola, number=2, atus=[district_b])
    in_a = PersonFactory(registration_atu=AtuFactory(region=akmola, kato="111000002", parent=district_a))
    in_b = PersonFactory(registration_atu=district_b)
    unserved = PersonFactory(registration_atu=AtuFactory(region=akmola, kato="113000001"))
    # when: A's resident is refused for the karyotype, B's for the neurologist's conclusion, the
    # unserved district's for the karyotype
    without_neurologist = [c for c in DOWN_EXAMS if c != "neurologist_conclusion"]
    for who, codes in ((in_a, DOWN_EXAMS[1:]), (in_b, without_neurologist), (unserved, DOWN_EXAMS[1:])):
        with pytest.raises(ApplicationErrors):
            intake("Q90.0", exams(*codes), who=who)
    # then
    month = timezone.localdate().replace(day=1)
    neurologist = refused(2, "neurologist_conclusion", "Заключение невропатолога")
    assert figures(ReportScope(month=month, department_id=department_a.pk))["refusals"] == {
        refused(2, "karyotype", KARYOTYPE): [1]
    }
    assert figures(ReportScope(month=month, department_id=department_b.pk))["refusals"] == {neurologist: [1]}
    assert figures(ReportScope(month=month, region_id=akmola.pk))["refusals"] == {
        refused(2, "karyotype", KARYOTYPE): [2],
        neurologist: [1],
    }
    karaganda = DepartmentFactory(region=RegionFactory(kato="350000000"), number=3)
    assert figures(ReportScope(month=month, department_id=karaganda.pk))["refusals"] == {}


def test_x7_p4_a_refused_intake_is_in_the_month_report(window, intake, organisation):
    from django.utils import timezone

    from portal.errors import ApplicationErrors
    from tests.mse_pilot.conftest import DOWN_EXAMS, exams

    with pytest.raises(ApplicationErrors):
        intake("Q90.0", exams(*DOWN_EXAMS[1:]))
    f = figures(ReportScope(month=timezone.localdate().replace(day=1), region_id=organisation.region_id))
    assert f["refusals"] == {refused(2, "karyotype", KARYOTYPE): [1]}
    assert f["distribution"]["received"] == [0]


def test_x7_pilot_report_cases_by_nosology_region_and_vendor(october, akmola):
    f = figures(ReportScope(month=MONTH, region_id=akmola.pk))
    assert f["by_nosology"] == {form(2): [2], form(3): [1]}
    assert f["by_region"] == {"110000000 Акмолинская область": [2], "350000000 Карагандинская область": [1]}
    assert f["by_vendor"] == {"damu": [2], "zhetysu": [1]}


def test_x7_p6_pilot_report_time_waiting_for_distribution(october, akmola):
    f = figures(ReportScope(month=MONTH, region_id=akmola.pk))
    assert f["distribution"] == {
        "received": [3],
        "distributed": [2],
        "still_waiting": [1],
        "average_minutes": ["60.0"],  # (30 + 90) / 2
        "longest_minutes": ["90.0"],
    }


def test_x7_p7_pilot_report_decisions_against_the_due_time(october, akmola):
    f = figures(ReportScope(month=MONTH, region_id=akmola.pk))
    assert f["p7_decisions"] == {"decided": [2], "on_time": [1], "late": [1], "undecided": [1]}


def test_x7_e9_pilot_report_redistributions_and_disagreements(october, akmola):
    f = figures(ReportScope(month=MONTH, region_id=akmola.pk))
    assert f["redistributions"] == {"replacements": [2], "replacements_on_time": [1]}
    assert f["disagreements"] == {"to_methodology": [1], "decided_by_methodology": [1]}


def test_x7_pilot_report_of_the_country_counts_every_region(october):
    f = figures(ReportScope(month=MONTH))
    assert f["distribution"]["received"] == [4]
    assert f["by_region"]["350000000 Карагандинская область"] == [2]


def test_x7_pilot_report_of_an_empty_month_has_zeros_not_errors(akmola):
    f = figures(ReportScope(month=dt.date(2026, 1, 1), region_id=akmola.pk))
    assert f["by_nosology"] == {}
    assert f["refusals"] == {}
    assert f["distribution"]["average_minutes"] == [None]
    assert f["p7_decisions"]["decided"] == [0]


def test_x7_pilot_report_page_shows_the_note_and_the_export_carries_it(client, october, akmola):
    from django.contrib.auth.models import Group

    from portal.accounts.roles import Role as AccountRole

    report_build(key="mse_pilot", scope=ReportScope(month=MONTH))
    committee = User.objects.create_user(username="committee", password="x-Secret-123", is_staff=True)
    committee.groups.add(Group.objects.get(name=AccountRole.COMMITTEE_STAFF))
    client.force_login(committee)
    page = client.get("/reports/mse_pilot/2026-10/all/")
    assert page.status_code == 200, page.status_code
    html = page.content.decode()
    note = "counts them by the region of the medical organisation that signed the form"
    assert note in html
    assert "Intake refusals by missing examination (P-4)" in html
    assert html.count("<svg") == 8  # one chart per section, each beside its table
    assert f"{form(2)}: karyotype, {KARYOTYPE}" in html
    export = client.get("/reports/mse_pilot/2026-10/all/export.csv")
    csv = export.content.decode("utf-8-sig")
    assert note in csv
    assert "Intake refusals by missing examination (P-4)" in csv
    assert [f"{form(2)}: karyotype, {KARYOTYPE}", "3"] in list(csv_module.reader(io.StringIO(csv)))
    xlsx = client.get("/reports/mse_pilot/2026-10/all/export.xlsx")
    assert xlsx.status_code == 200
    sheet = zipfile.ZipFile(io.BytesIO(xlsx.content))
    text = "".join(sheet.read(n).decode() for n in sheet.namelist() if n.endswith(".xml"))
    assert "Intake refusals by missing examination (P-4)" in text
    assert f"{form(2)}: karyotype" in text
