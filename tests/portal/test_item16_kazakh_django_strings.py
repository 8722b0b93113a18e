"""X-1: Django's, the admin's and DRF's own strings in Kazakh on Kazakh pages, never in Russian.

Russian is the default language (LANGUAGE_CODE), so Django used to show in Russian every string its
Kazakh catalog lacks; the portal ships its own Kazakh for them (locale_django/) and a page falls
back to the English source, never to another language (portal/i18n.py).
"""

import gettext as gnu
import json
from pathlib import Path

import django
import pytest
from django import forms
from django.urls import clear_url_caches
from django.utils import dateformat, formats, translation
from django.utils.translation import gettext
from rest_framework import serializers
from rest_framework.test import APIClient

from tests.factories import DepartmentFactory
from tests.portal.test_i18n_catalogs import _entries

pytestmark = pytest.mark.django_db

CATALOGS = Path(__file__).resolve().parents[2] / "locale_django" / "kk" / "LC_MESSAGES"
DJANGO = Path(django.__file__).resolve().parent
# words that only the Russian catalogs write (none of them is Kazakh)
RUSSIAN_ONLY = [
    "Добро пожаловать",
    "Изменить",
    "Удалить",
    "Добавить",
    "Последние действия",
    "Администрирование",
    "Выйти",
    "Сохранить",
    "Фильтр",
    "Найти",
    "Убедитесь",
    "Обязательное поле",
]
# the typos of Django's own Kazakh catalog
TYPOS = ["Өзгетру", "үщін", "Сүзгіз", "СҮЗГІЗ", "Жума", "өзгету", "Даңғо"]


@pytest.fixture(autouse=True)
def _russian_is_the_default(settings):
    # As in production: the fallback Django used to add is the default language's catalog.
    settings.LANGUAGE_CODE = "ru"
    clear_url_caches()
    yield
    clear_url_caches()


def _msgids(po: Path) -> set[str]:
    """The catalog's msgids as the code writes them (the reader keeps the .po escapes)."""
    return {e["msgid"].replace('\\"', '"').replace("\\n", "\n") for e in _entries(po)}


def _no_russian(html: str) -> list[str]:
    return [word for word in RUSSIAN_ONLY + TYPOS if word in html]


def test_item16_admin_index_in_kazakh_has_no_russian(admin_client):
    html = admin_client.get("/kk/admin/").text
    assert "Қош келдіңіз," in html
    assert "Соңғы әрекеттер" in html
    assert "Шығу" in html
    assert "Қосу" in html
    assert _no_russian(html) == []


def test_item16_admin_changelist_change_form_and_delete_page_in_kazakh(admin_client):
    department = DepartmentFactory()
    changelist = admin_client.get("/kk/admin/territory/msedepartment/").text
    assert "Сүзгі" in changelist
    assert "Іздеу" in changelist
    assert "Басты бет" in changelist
    change = admin_client.get(f"/kk/admin/territory/msedepartment/{department.pk}/change/").text
    assert "Сақтау" in change
    assert "Сақтап, өзгертуді жалғастыру" in change
    assert "Тарих" in change
    delete = admin_client.get(f"/kk/admin/territory/msedepartment/{department.pk}/delete/").text
    assert "Иә, сенімдімін" in delete
    assert [_no_russian(html) for html in (changelist, change, delete)] == [[], [], []]


def test_item16_admin_form_errors_in_kazakh(admin_client):
    department = DepartmentFactory()
    response = admin_client.post(
        f"/kk/admin/territory/msedepartment/{department.pk}/change/",
        {"name_kk": "", "name_ru": "Отдел", "region": department.region_id, "number": 1, "house": "1" * 25},
    )
    html = response.text
    assert "Бұл өрісті толтыру міндетті." in html
    assert "Бұл мәнде 20 таңбадан аспауы керек (қазір 25)." in html
    assert _no_russian(html) == []


def test_item16_form_validation_messages_in_kazakh():
    class Form(forms.Form):
        name = forms.CharField(max_length=3)
        day = forms.DateField()
        count = forms.IntegerField(min_value=1, max_value=5)
        colour = forms.ChoiceField(choices=[("r", "r")])

    with translation.override("kk"):
        form = Form({"name": "abcdef", "day": "31.02.2026", "count": "9", "colour": "g"})
        errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
        missing = [str(e) for e in Form({}).errors["name"]]
    assert errors == {
        "name": ["Бұл мәнде 3 таңбадан аспауы керек (қазір 6)."],
        "day": ["Дұрыс күн енгізіңіз."],
        "count": ["Бұл мән 5 мәнінен аспауы керек."],
        "colour": ["Дұрыс нұсқаны таңдаңыз. g рұқсат етілген нұсқалардың ішінде жоқ."],
    }
    assert missing == ["Бұл өрісті толтыру міндетті."]


def test_item16_drf_field_errors_in_kazakh():
    class Input(serializers.Serializer):
        number = serializers.IntegerField()
        name = serializers.CharField()

    with translation.override("kk"):
        missing = Input(data={"number": "x"})
        missing.is_valid()
        errors = {field: [str(e) for e in errs] for field, errs in missing.errors.items()}
    assert errors == {"number": ["Дұрыс бүтін сан қажет."], "name": ["Бұл өрісті толтыру міндетті."]}


def test_item16_api_says_in_kazakh_that_credentials_are_missing():
    response = APIClient().get("/api/v1/whoami/", HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code in (401, 403)
    assert "Аутентификация деректері берілмеген." in response.content.decode()


def test_item16_kazakh_dates_write_weekdays_and_lower_case_months():
    import datetime as dt

    friday = dt.date(2026, 12, 4)
    with translation.override("kk"):
        assert formats.date_format(friday, "DATE_FORMAT") == "4 желтоқсан 2026 ж."
        assert formats.date_format(friday, "MONTH_DAY_FORMAT") == "4 желтоқсан"
        assert dateformat.format(friday, "l, j E Y") == "Жұма, 4 желтоқсан 2026"
        assert dateformat.format(friday, "D") == "Жм"


def test_item16_a_string_missing_from_kazakh_shows_english_not_russian():
    # Django's Kazakh lacks it and the portal does not use it; Russian has it ("Документация Django")
    with translation.override("kk"):
        assert gettext("Django Documentation") == "Django Documentation"
    with translation.override("en"):
        assert gettext("Django Documentation") == "Django Documentation"
    with translation.override("ru"):
        assert gettext("Django Documentation") == "Документация Django"


def test_item16_admin_scripts_in_kazakh(admin_client):
    body = admin_client.get("/kk/admin/jsi18n/").content.decode()
    assert json.dumps("Уақытты таңдаңыз") in body
    assert json.dumps("Жұма") in body
    assert json.dumps("Пятница") not in body
    assert json.dumps("Выберите время") not in body


def test_item16_the_typos_of_djangos_kazakh_are_gone():
    with translation.override("kk"):
        shown = [gettext(s) for s in ("Change", "Select %s to change", "Filter", "Friday", "Change %s")]
    assert shown == ["Өзгерту", "Өзгерту үшін %s таңдаңыз", "Сүзгі", "Жұма", "%s өзгерту"]


@pytest.mark.parametrize("catalog", ["django.po", "djangojs.po"])
def test_item16_every_entry_of_the_django_strings_catalog_is_translated(catalog):
    entries = _entries(CATALOGS / catalog)
    assert len(entries) > 70  # the reader found the catalog, not an empty file
    assert [e["msgid"] for e in entries if not all(e["msgstr"])] == []
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []
    text = (CATALOGS / catalog).read_text(encoding="utf-8")
    assert [typo for typo in TYPOS if typo in text] == []


def test_item16_the_catalog_has_every_admin_string_of_the_installed_django():
    # A Django upgrade that adds admin strings fails here until they are translated.
    ours = _msgids(CATALOGS / "django.po")
    admin = _msgids(DJANGO / "contrib/admin/locale/en/LC_MESSAGES/django.po")
    auth = _msgids(DJANGO / "contrib/auth/locale/en/LC_MESSAGES/django.po")
    assert sorted((admin | auth) - ours) == []


@pytest.mark.parametrize("name", ["django", "djangojs"])
def test_item16_the_committed_compiled_catalogs_match_their_po(name):
    # Django reads the .mo: an edit of the .po without compilemessages would not be seen.
    with (CATALOGS / f"{name}.mo").open("rb") as mo:
        compiled = gnu.GNUTranslations(mo)
    keys = {key[0] if isinstance(key, tuple) else key for key in compiled._catalog}
    ids = {key.split("\x04", 1)[-1] for key in keys if key}
    assert _msgids(CATALOGS / f"{name}.po") - ids == set()
