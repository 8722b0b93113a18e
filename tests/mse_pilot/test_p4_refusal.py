"""P-4: a form routed to the pilot without its mandatory examinations is refused, one item per
examination missing (code and title in the caller's language), and nothing is stored."""

import pytest
from django.utils import translation

from mse_pilot.models import RemoteCase, RoutingDecision
from notifications.models import Message
from portal.errors import ApplicationErrors
from portal.referrals.models import Referral, ReferralExamination
from portal.signatures.models import SignatureVerification
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
