"""P-4: a form routed to the pilot without its mandatory examinations is refused, one item per
examination missing (code and title in the caller's language), and nothing is stored."""

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from mse_pilot.models import IntakeRefusal, RemoteCase, RoutingDecision
from notifications.models import Message
from portal.errors import ApplicationErrors
from portal.referrals.models import Referral, ReferralExamination
from portal.signatures.models import SignatureVerification
from portal.territory.models import Atu
from tests.factories import AtuFactory, DepartmentFactory, PersonFactory, RegionFactory
from tests.mse_pilot.conftest import DOWN_EXAMS, INTAKE_URL, LIMB_EXAMS, exams

pytestmark = pytest.mark.django_db


def assert_nothing_stored():
    assert Referral.objects.count() == 0
    assert ReferralExamination.objects.count() == 0
    assert RoutingDecision.objects.count() == 0
    assert RemoteCase.objects.count() == 0
    assert Message.objects.count() == 0


def test_p4_missing_examinations_are_refused_one_item_each_and_nothing_is_stored(window, intake):
    with translation.override("en"), pytest.raises(ApplicationErrors) as exc:
        intake("Q90.0", exams("karyotype", "psychiatrist_conclusion", "pmpc_conclusion"))
    items = [(i.field, i.code, str(i.message)) for i in exc.value.items]
    assert items == [
        (
            "examinations",
            "examination_missing",
            "A mandatory examination is missing (P-3): geneticist_conclusion, Geneticist's conclusion "
            "(the one made at diagnosis).",
        ),
        (
            "examinations",
            "examination_missing",
            "A mandatory examination is missing (P-3): neurologist_conclusion, Neurologist's conclusion.",
        ),
    ]
    assert_nothing_stored()
    # P-5: the signature was verified before the transaction, and its audit row stays
    assert SignatureVerification.objects.count() == 1


def test_p4_api_refusal_names_code_and_title_in_the_callers_language(window, api, payload):
    for language, title in (
        ("ru", "Кариотипическое исследование лимфоцитов периферической крови"),
        ("kk", "Перифериялық қан лимфоциттерінің кариотиптік зерттеуі"),
        ("en", "Karyotype of peripheral blood lymphocytes"),
    ):
        body = payload(codes=DOWN_EXAMS[1:], external_id=f"031-{language}")
        response = api.post(INTAKE_URL, body, format="json", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 400, response.content
        errors = response.json()["errors"]
        assert [(e["field"], e["code"]) for e in errors] == [("examinations", "examination_missing")]
        assert "karyotype" in errors[0]["message"]
        assert title in errors[0]["message"]
    assert_nothing_stored()


def test_p4_a_duplicated_examination_code_is_refused(window, intake):
    with pytest.raises(ApplicationErrors) as exc:
        intake("Q90.0", exams(*DOWN_EXAMS, "karyotype"))
    assert [(i.field, i.code) for i in exc.value.items] == [("examinations.5.code", "examination_duplicate")]
    assert "karyotype" in str(exc.value.items[0].message)
    assert_nothing_stored()
    assert IntakeRefusal.objects.count() == 0  # nothing missing: nothing counted


def test_p4_a_refusal_is_counted_once_per_missing_examination_and_the_referral_is_not_stored(
    window, intake, organisation, integrator
):
    with pytest.raises(ApplicationErrors):
        intake("Q90.0", exams("karyotype", "psychiatrist_conclusion", "pmpc_conclusion"))
    assert_nothing_stored()
    rows = IntakeRefusal.objects.order_by("examination_code").values(
        "day", "nosology_group__number", "region__kato", "mis_vendor", "integrator", "department", "examination_code"
    )
    today = timezone.localdate()
    assert list(rows) == [
        {
            "day": today,
            "nosology_group__number": 2,
            "region__kato": "110000000",
            "mis_vendor": "damu",
            "integrator": integrator.pk,
            "department": None,  # the person's unit is served by no department
            "examination_code": code,
        }
        for code in ("geneticist_conclusion", "neurologist_conclusion")
    ]


def test_p4_refusals_through_the_api_are_counted_each_time(window, api, payload):
    for n in range(3):
        response = api.post(INTAKE_URL, payload(codes=DOWN_EXAMS[1:], external_id=f"031-C{n}"), format="json")
        assert response.status_code == 400, response.content
    assert list(IntakeRefusal.objects.values_list("examination_code", flat=True)) == ["karyotype"] * 3
    assert_nothing_stored()


def test_p4_the_refusal_counter_has_no_personal_fields(window, intake, person, organisation):
    fields = {f.name: f for f in IntakeRefusal._meta.get_fields()}
    assert set(fields) == {
        "id",
        "day",
        "nosology_group",
        "region",
        "mis_vendor",
        "integrator",
        "department",
        "examination_code",
    }
    related = {f.related_model._meta.label for f in fields.values() if f.is_relation}
    # no place finer than the department: neither the person's unit nor the organisation
    assert related == {"nosology.NosologyGroup", "territory.Region", "accounts.Integrator", "territory.MseDepartment"}
    # a day, not a time of day: a row cannot be matched with the request that was refused
    assert not any(isinstance(f, models.DateTimeField | models.TimeField) for f in fields.values())
    with pytest.raises(ApplicationErrors):
        intake("Q90.0", exams(*DOWN_EXAMS[1:]))
    stored = " ".join(str(v) for row in IntakeRefusal.objects.values() for v in row.values())
    for personal in (person.iin, person.last_name, organisation.bin, "031-P-", "Ахметова"):
        assert personal not in stored


def test_p4_a_refusal_counts_the_department_serving_the_persons_registration_in_one_insert(window, intake):
    # given: a district served by department 7 of Akmola, a settlement below it, a district nobody serves
    akmola = RegionFactory(kato="110000000")
    district = AtuFactory(region=akmola, kato="111000001")
    settlement = AtuFactory(region=akmola, kato="111000002", parent=district, kind=Atu.Kind.SETTLEMENT)
    department = DepartmentFactory(region=akmola, number=7, atus=[district])
    in_settlement = PersonFactory(registration_atu=settlement)
    unserved = PersonFactory(registration_atu=AtuFactory(region=akmola, kato="112000001"))
    unregistered = PersonFactory(registration_atu=None)
    # when: each is refused, missing the karyotype and the geneticist's conclusion
    with CaptureQueriesContext(connection) as queries, pytest.raises(ApplicationErrors):
        intake("Q90.0", exams(*DOWN_EXAMS[2:]), who=in_settlement)
    for who in (unserved, unregistered):
        with pytest.raises(ApplicationErrors):
            intake("Q90.0", exams(*DOWN_EXAMS[2:]), who=who)
    # then: the settlement's resident counts for the department serving the district, the others
    # for none; the two rows of a refusal were written by one INSERT
    rows = IntakeRefusal.objects.order_by("pk").values_list("department", "examination_code")
    assert list(rows) == [
        (department.pk, "karyotype"),
        (department.pk, "geneticist_conclusion"),
        (None, "karyotype"),
        (None, "geneticist_conclusion"),
        (None, "karyotype"),
        (None, "geneticist_conclusion"),
    ]
    inserts = [q["sql"] for q in queries if q["sql"].startswith("INSERT") and "mse_pilot_intakerefusal" in q["sql"]]
    assert len(inserts) == 1


def test_p4_a_failing_count_still_answers_the_refusal(window, intake, monkeypatch):
    def broken(objs, **kwargs):
        raise RuntimeError("the counter table is unavailable")

    monkeypatch.setattr("mse_pilot.services.bulk_insert", broken)
    with pytest.raises(ApplicationErrors) as exc:
        intake("Q90.0", exams(*DOWN_EXAMS[1:]))
    assert [i.code for i in exc.value.items] == ["examination_missing"]
    assert_nothing_stored()
    assert IntakeRefusal.objects.count() == 0


def test_p4_conditional_examinations_are_not_refused_and_surgeon_stands_for_orthopaedist(window, intake):
    # no insert sheet 10 (only for a surgical amputation), a surgeon's conclusion instead of the
    # trauma-orthopaedist's ("and (or)")
    codes = ["inpatient_extract", "surgeon_conclusion", "xray_limb", "radiologist_conclusion"]
    referral, created = intake("S78.1", exams(*codes))
    assert created
    assert referral.route == Referral.Route.REMOTE_PILOT


def test_p4_a_form_not_for_the_pilot_is_not_checked(intake):
    # the act's window has ended: the same incomplete Down syndrome form goes in person, as today
    referral, created = intake("Q90.0", exams("karyotype", "karyotype"))
    assert created
    assert referral.route == Referral.Route.IN_PERSON


def test_p4_an_identical_resend_is_not_checked_again(window, intake, integrator, organisation, person):
    from portal.referrals.services import referral_intake
    from tests.signing import sign_intake

    fields = {
        "person_iin": person.iin,
        "organisation_bin": organisation.bin,
        "external_id": "031-R",
        "icd10": "S48.0",
        "signed_at": window.created_at,
        "vkk_chair_name": "Ахметова Г. С.",
        "examinations": exams(*LIMB_EXAMS),
    }
    first, created = referral_intake(integrator=integrator, **sign_intake(fields))
    assert created
    again, created = referral_intake(integrator=integrator, **sign_intake(fields))
    assert (again.pk, created) == (first.pk, False)
    assert RemoteCase.objects.count() == 1


def test_p4_schema_documents_the_refusal_with_an_example(client):
    schema = client.get("/api/schema/?format=json", HTTP_ACCEPT_LANGUAGE="en").json()
    answer = schema["paths"]["/api/v1/referrals/"]["post"]["responses"]["400"]
    example = answer["content"]["application/json"]["examples"]["examination_missing"]["value"]
    assert [(e["field"], e["code"]) for e in example["errors"]] == [
        ("examinations.2.code", "examination_duplicate"),
        ("examinations", "examination_missing"),
        ("examinations", "examination_missing"),
    ]
    assert "karyotype" in example["errors"][1]["message"]
