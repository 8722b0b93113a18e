"""sec15: referral intake refuses impossible dates, invisible names, control characters and floods."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from portal.referrals.models import Referral, ReferralExamination
from portal.referrals.services import referral_intake
from portal.validators import normalize_person_name
from tests.factories import MedicalOrganisationFactory, PersonFactory
from tests.signing import sign_intake, signed

pytestmark = pytest.mark.django_db

URL = "/api/v1/referrals/"
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
SIGNED_AT = dt.datetime(2026, 11, 20, 10, 15, tzinfo=ALMATY)


@pytest.fixture(autouse=True)
def _signing_within_validity(monkeypatch):
    # The form is signed on 2026-11-20 and submitted the next day, inside S-2's month.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 11, 21, 9, 0, tzinfo=ALMATY))


@pytest.fixture
def person():
    return PersonFactory(birth_date=dt.date(1985, 3, 15))


@pytest.fixture
def payload(person, integrator):
    organisation = MedicalOrganisationFactory(integrator=integrator)
    return {
        "person_iin": person.iin,
        "organisation_bin": organisation.bin,
        "external_id": "031-2026-000123",
        "icd10": "S48.0",
        "signed_at": SIGNED_AT.isoformat(),
        "vkk_chair_name": "Ахметова Г. С.",
        "examinations": [
            {"code": "inpatient_extract", "title": "Inpatient record extract", "performed_on": "2026-10-02"},
            {"code": "surgeon", "title": "Surgeon's conclusion", "performed_on": "2026-11-20"},
            {"code": "xray_limb", "title": "X-ray of the affected limb", "performed_on": "2026-11-03"},
            {"code": "radiologist", "title": "Radiologist's conclusion", "performed_on": "2026-11-04"},
        ],
    }


def errors(response) -> list[tuple]:
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == {"errors"}
    return [(e["field"], e["code"]) for e in body["errors"]]


def assert_nothing_saved():
    assert Referral.objects.count() == 0
    assert ReferralExamination.objects.count() == 0


def test_sec15_a_sane_form_is_accepted(api_client, payload):
    response = api_client.post(URL, signed(payload), format="json")
    assert response.status_code == 201, response.content
    assert ReferralExamination.objects.count() == 4


@pytest.mark.parametrize("date", ["2099-01-01", "2026-11-21", "2026-12-01"])
def test_sec15_examination_after_signing_is_refused(api_client, payload, date):
    payload["examinations"][3]["performed_on"] = date
    assert errors(api_client.post(URL, signed(payload), format="json")) == [
        ("examinations.3.performed_on", "examination_after_signing")
    ]
    assert_nothing_saved()


@pytest.mark.parametrize("date", ["0001-01-01", "1900-01-01", "1985-03-14"])
def test_sec15_examination_before_the_persons_birth_is_refused(api_client, payload, date):
    payload["examinations"][1]["performed_on"] = date
    assert errors(api_client.post(URL, signed(payload), format="json")) == [
        ("examinations.1.performed_on", "examination_before_birth")
    ]
    assert_nothing_saved()


def test_sec15_examination_at_diagnosis_long_ago_is_accepted(api_client, payload):
    # P-3: a karyotype and a geneticist's conclusion are taken at diagnosis, possibly at birth
    payload["icd10"] = "Q90.0"
    payload["examinations"][0]["performed_on"] = "1985-03-15"
    assert api_client.post(URL, signed(payload), format="json").status_code == 201


def test_sec15_service_refuses_examination_dates_for_every_caller(integrator, payload, person):
    from portal.errors import ApplicationErrors

    with pytest.raises(ApplicationErrors) as exc:
        referral_intake(
            integrator=integrator,
            **sign_intake(
                {
                    "person_iin": person.iin,
                    "organisation_bin": payload["organisation_bin"],
                    "external_id": "X-1",
                    "icd10": "S48.0",
                    "signed_at": SIGNED_AT,
                    "vkk_chair_name": "Ахметова Г. С.",
                    "examinations": [{"code": "x", "performed_on": dt.date(2099, 1, 1)}],
                }
            ),
        )
    assert [(i.field, i.code) for i in exc.value.items] == [
        ("examinations.0.performed_on", "examination_after_signing")
    ]


@pytest.mark.parametrize(
    "name", ["\u200b\u200b\u200b", "\u200b \u200c\u200d\ufeff", "\u2060\u00ad", "\x01\x02", "  ", "12 .,"]
)
def test_sec15_vkk_chair_name_without_letters_is_refused(api_client, payload, name):
    payload["vkk_chair_name"] = name
    assert errors(api_client.post(URL, signed(payload), format="json")) in (
        [("vkk_chair_name", "name_letters")],
        [("vkk_chair_name", "blank")],  # DRF's own refusal of a name of spaces only
    )
    assert_nothing_saved()


def test_sec15_vkk_chair_name_is_stored_without_invisible_characters(api_client, payload):
    payload["vkk_chair_name"] = "Ахме\u200bтова\u00a0 Г.\u200d С.\x07"
    assert api_client.post(URL, signed(payload), format="json").status_code == 201
    assert Referral.objects.get().vkk_chair_name == "Ахметова Г. С."


def test_sec15_name_normaliser_keeps_letters_of_any_script():
    assert normalize_person_name("  Сейітқали  Ә.\u200b ") == "Сейітқали Ә."
    assert normalize_person_name("O'Neil-Smith") == "O'Neil-Smith"


@pytest.mark.parametrize("external_id", ["031\x00-1", "031\x1b[2J", "031\u202e-1", "031\u200b-1", "031\n1", "031\t1"])
def test_sec15_external_id_with_control_or_invisible_characters_is_refused(api_client, payload, external_id):
    payload["external_id"] = external_id
    codes = errors(api_client.post(URL, signed(payload), format="json"))
    assert {field for field, _code in codes} == {"external_id"}
    assert "identifier_invalid" in {code for _field, code in codes}
    assert_nothing_saved()


def test_sec15_external_id_is_at_most_64_characters(api_client, payload):
    payload["external_id"] = "A" * 65
    assert errors(api_client.post(URL, signed(payload), format="json")) == [("external_id", "max_length")]


def test_sec15_examination_code_and_text_refuse_control_characters(api_client, payload):
    payload["examinations"][0]["code"] = "xray\x1b"
    payload["examinations"][2]["conclusion"] = "Культя\x08 в норме"
    payload["diagnosis_text"] = "Ампу\x07тация"
    assert sorted(errors(api_client.post(URL, signed(payload), format="json"))) == [
        ("diagnosis_text", "control_characters"),
        ("examinations.0.code", "identifier_invalid"),
        ("examinations.2.conclusion", "control_characters"),
    ]


def test_sec15_conclusion_keeps_line_breaks(api_client, payload):
    payload["examinations"][2]["conclusion"] = "Культя сформирована.\nРубец без особенностей.\tОк."
    assert api_client.post(URL, signed(payload), format="json").status_code == 201


def test_sec15_more_than_50_examinations_are_refused(api_client, payload):
    payload["examinations"] = [{"code": f"exam_{i}", "title": "X"} for i in range(51)]
    assert errors(api_client.post(URL, signed(payload), format="json")) == [("examinations", "max_length")]
    assert_nothing_saved()


def test_sec15_fifty_examinations_are_accepted(api_client, payload):
    payload["examinations"] = [{"code": f"exam_{i}", "title": "X"} for i in range(50)]
    assert api_client.post(URL, signed(payload), format="json").status_code == 201


def test_sec15_fifty_thousand_examinations_are_refused_without_reading_them(api_client, payload):
    payload["examinations"] = [{"code": "x"}] * 50_000
    response = api_client.post(URL, signed(payload), format="json")
    # over the API's body limit (1 MiB) the parser refuses it; under it, the list's length does
    codes = errors(response)
    assert codes in ([(None, "request_too_large")], [("examinations", "max_length")])
    assert_nothing_saved()
