"""Kazakhstan identifiers: IIN, BIN, mobile phone, KATO, ICD-10."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from portal.validators import (
    bin_build,
    format_phone,
    iin_birth_date,
    iin_build,
    iin_is_female,
    mask_phone,
    normalize_icd10,
    normalize_phone,
    validate_bin,
    validate_iin,
    validate_kato,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "iin",
    [
        "900101300017",
        "850315400005",
        "000229500018",  # 29 Feb 2000, a leap day
        "850315400608",  # the first pass gives 10: only the second weights give the check digit
    ],
)
def test_iin_valid_examples_pass(iin):
    validate_iin(iin)


@pytest.mark.parametrize(
    ("iin", "code"),
    [
        ("900101300018", "iin_checksum"),
        ("901301300010", "iin_date"),  # month 13
        ("910230400009", "iin_date"),  # 30 February
        ("791028702728", "iin_century"),  # 7th digit is 7
        ("12345678901", "iin_format"),  # 11 digits
        ("1234567890123", "iin_format"),
        ("90010130001a", "iin_format"),
        ("", "iin_format"),
    ],
)
def test_iin_invalid_examples_refused_with_their_code(iin, code):
    with pytest.raises(ValidationError) as exc:
        validate_iin(iin)
    assert exc.value.code == code
    assert exc.value.messages[0]


def test_iin_second_pass_example_fails_with_first_weights_only():
    # proves the example really exercises the second pass: with weights 1..11 the sum mod 11 is 10
    digits = [int(c) for c in "85031540060"]
    assert sum(d * w for d, w in zip(digits, range(1, 12), strict=True)) % 11 == 10


def test_iin_birth_date_and_sex_from_digits():
    assert iin_birth_date("000229500018") == dt.date(2000, 2, 29)
    assert iin_birth_date("850315400005") == dt.date(1985, 3, 15)
    assert iin_is_female("850315400005")
    assert not iin_is_female("900101300017")


@pytest.mark.parametrize(
    ("birth", "female"),
    [(dt.date(1985, 3, 15), False), (dt.date(2000, 2, 29), True), (dt.date(2019, 12, 31), False)],
)
def test_iin_build_gives_valid_iins_for_the_date_and_sex(birth, female):
    built = {iin_build(birth, female=female, serial=s) for s in range(0, 400, 7)}
    for iin in built:
        validate_iin(iin)
        assert iin_birth_date(iin) == birth
        assert iin_is_female(iin) is female


def test_bin_valid_and_invalid():
    good = bin_build(dt.date(2005, 1, 1), serial=0)
    validate_bin(good)
    assert good[4] == "4"
    wrong_check = good[:11] + str((int(good[11]) + 1) % 10)
    with pytest.raises(ValidationError) as exc:
        validate_bin(wrong_check)
    assert exc.value.code == "bin_checksum"


@pytest.mark.parametrize("value", ["900101300017", "0501400006", "05013000065x"])
def test_bin_refuses_iin_shape_and_bad_format(value):
    # an IIN has 0-3 as its 5th digit: not a BIN
    with pytest.raises(ValidationError) as exc:
        validate_bin(value)
    assert exc.value.code == "bin_format"


@pytest.mark.parametrize(
    "raw",
    ["8 701 123 45 67", "+7 (701) 123-45-67", "77011234567", "87011234567", "7011234567", " +77011234567 "],
)
def test_phone_any_written_form_normalises_to_e164(raw):
    assert normalize_phone(raw) == "+77011234567"


@pytest.mark.parametrize(
    "raw",
    [
        "8 7172 12 34 56",  # Astana landline
        "+7 7162 25 11 11",  # Kokshetau landline
        "+7 916 123 45 67",  # a Russian mobile
        "12345",
        "",
    ],
)
def test_phone_landline_foreign_and_garbage_refused(raw):
    with pytest.raises(ValidationError) as exc:
        normalize_phone(raw)
    assert exc.value.code == "phone_invalid"


def test_phone_formatting_and_masking_for_people_and_logs():
    assert format_phone("+77011234567") == "+7 701 123 45 67"
    assert mask_phone("+77011234567") == "+7 701 *** ** 67"
    assert "123" not in mask_phone("+77011234567")


@pytest.mark.parametrize("value", ["110000000", "111010000"])
def test_kato_nine_digits_pass(value):
    validate_kato(value)


@pytest.mark.parametrize("value", ["11000000", "1100000000", "11000000a", ""])
def test_kato_other_shapes_refused(value):
    with pytest.raises(ValidationError) as exc:
        validate_kato(value)
    assert exc.value.code == "kato_format"


@pytest.mark.parametrize(
    ("raw", "code"), [("S48.0", "S48.0"), ("Q90", "Q90"), ("q90.0", "Q90.0"), ("s48,0", "S48.0"), ("E76.3", "E76.3")]
)
def test_icd10_valid_codes_normalised(raw, code):
    assert normalize_icd10(raw) == code


@pytest.mark.parametrize("raw", ["X99.9", "S48.00.1", "48.0", "Q", ""])
def test_icd10_unknown_codes_refused(raw):
    with pytest.raises(ValidationError) as exc:
        normalize_icd10(raw)
    assert exc.value.code == "icd10_invalid"


def test_person_phone_stored_in_e164_whatever_the_form_it_was_typed_in():
    from tests.factories import PersonFactory

    person = PersonFactory.build(phone="8 (701) 555-01-01", registration_atu=None)
    person.full_clean()
    assert person.phone == "+77015550101"
    person.phone = "8 7162 25 13 40"  # a landline
    with pytest.raises(ValidationError) as exc:
        person.full_clean()
    assert "phone" in exc.value.error_dict
