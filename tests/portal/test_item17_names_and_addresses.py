"""X-1: departments and medical organisations carry Kazakh, Russian and English names and
addresses; an empty Kazakh or English text shows the Russian one, and the admin warns about it."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import DepartmentFactory, MedicalOrganisationFactory

pytestmark = pytest.mark.django_db


def _warnings(response) -> list[str]:
    """The warnings the admin shows after a save (the page the save redirected to)."""
    assert response.redirect_chain, "the form was refused"
    return [str(m) for m in response.context["messages"] if m.level_tag == "warning"]


def test_item17_department_name_and_address_follow_the_active_language():
    department = DepartmentFactory(
        name_kk="№ 3 МӘС бөлімі",
        name_ru="Отдел МСЭ № 3",
        name_en="MSE department No. 3",
        city_kk="Щучинск",
        city_ru="Щучинск",
        city_en="Shchuchinsk",
        street_kk="Абылай хан көшесі",
        street_ru="ул. Абылай хана",
        street_en="Abylai Khan Street",
        house="32",
        room_kk="3-кабинет",
        room_ru="каб. 3",
        room_en="room 3",
    )
    seen = {}
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            seen[language] = (department.name, department.address)
    assert seen == {
        "kk": ("№ 3 МӘС бөлімі", "Щучинск, Абылай хан көшесі, 32, 3-кабинет"),
        "ru": ("Отдел МСЭ № 3", "Щучинск, ул. Абылай хана, 32, каб. 3"),
        "en": ("MSE department No. 3", "Shchuchinsk, Abylai Khan Street, 32, room 3"),
    }


def test_item17_an_empty_kazakh_or_english_part_shows_the_russian_one():
    department = DepartmentFactory(city_ru="Кокшетау", street_kk="Абай көшесі", street_ru="ул. Абая", house="10")
    department.room_ru = "каб. 5"
    assert department.address_in("kk") == "Кокшетау, Абай көшесі, 10, каб. 5"
    assert department.address_in("en") == "Кокшетау, ул. Абая, 10, каб. 5"
    organisation = MedicalOrganisationFactory(name_ru="Городская поликлиника № 2", name_kk="")
    with translation.override("kk"):
        assert organisation.name == "Городская поликлиника № 2"
        assert str(organisation) == "Городская поликлиника № 2"


def test_item17_organisation_name_follows_the_active_language():
    organisation = MedicalOrganisationFactory(
        name_kk="№ 2 қалалық емхана", name_ru="Городская поликлиника № 2", name_en="City Polyclinic No. 2"
    )
    names = {}
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            names[language] = organisation.name
    assert names == {"kk": "№ 2 қалалық емхана", "ru": "Городская поликлиника № 2", "en": "City Polyclinic No. 2"}


def test_item17_admin_warns_when_an_organisations_kazakh_name_is_empty(admin_client):
    organisation = MedicalOrganisationFactory(name_kk="")
    url = reverse("admin:referrals_medicalorganisation_change", args=[organisation.pk])
    data = {
        "name_kk": "",
        "name_ru": organisation.name_ru,
        "name_en": "",
        "bin": organisation.bin,
        "region": organisation.region_id,
        "mis_vendor": organisation.mis_vendor,
        "integrator": organisation.integrator_id,
    }
    assert _warnings(admin_client.post(url, data, follow=True)) == [
        "Name (Kazakh): the Kazakh text is empty, so Kazakh pages and SMS show the Russian one. Fill it in."
    ]
    # filled in, no warning
    data["name_kk"] = "№ 2 қалалық емхана"
    assert _warnings(admin_client.post(url, data, follow=True)) == []


def test_item17_admin_warns_when_a_departments_kazakh_address_is_empty(admin_client):
    department = DepartmentFactory()
    url = reverse("admin:territory_msedepartment_change", args=[department.pk])
    data = {
        "name_kk": department.name_kk,
        "name_ru": department.name_ru,
        "name_en": "",
        "region": department.region_id,
        "number": department.number,
        "city_kk": "Көкшетау",
        "city_ru": "Кокшетау",
        "city_en": "",
        "street_kk": "",
        "street_ru": "ул. Абая",
        "street_en": "",
        "house": "10",
        "room_kk": "",
        "room_ru": "каб. 5",
        "room_en": "",
        "phone": "",
        "is_active": "on",
    }
    assert _warnings(admin_client.post(url, data, follow=True)) == [
        "Street (Kazakh), Room (Kazakh): the Kazakh text is empty, so Kazakh pages and SMS show the Russian one. "
        "Fill it in."
    ]
