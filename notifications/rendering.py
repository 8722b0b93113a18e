"""Turning a template and a context into the text of an SMS.

Placeholders are named, ``{full_name}``. Dates are written dd.mm.yy and times hh:mm, as the law's
templates write them, in Asia/Almaty. A context value may also be a dict by language
(``{"kk": ..., "ru": ..., "en": ...}``), so a reason reaches each recipient in their language.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

ALMATY = ZoneInfo("Asia/Almaty")
DATE_FORMAT = "%d.%m.%y"
TIME_FORMAT = "%H:%M"

MSG_PLACEHOLDER_DROPPED = _("The %(language)s text must keep the placeholders: {names}.")
MSG_PLACEHOLDER_UNKNOWN = _("The %(language)s text uses unknown placeholders: {names}.")
MSG_TEXT_BROKEN = _("The %(language)s text has a broken placeholder: {error}.")

_formatter = string.Formatter()


def placeholders_in(text: str) -> set[str]:
    """The names a text uses; ValueError on a broken brace or a positional ``{}``."""
    names = set()
    for _literal, field, _spec, _conv in _formatter.parse(text):
        if field is None:
            continue
        if not field.isidentifier():
            raise ValueError(f"{{{field}}}")
        names.add(field)
    return names


def placeholder_problems(text: str, required: Iterable[str]) -> list[str]:
    """What is wrong with a template text, as messages with a ``%(language)s`` slot; [] when fine."""
    required = set(required)
    try:
        used = placeholders_in(text or "")
    except ValueError as exc:
        return [str(MSG_TEXT_BROKEN).format(error=exc)]
    problems = []
    if missing := required - used:
        problems.append(str(MSG_PLACEHOLDER_DROPPED).format(names=", ".join(sorted(missing))))
    if unknown := used - required:
        problems.append(str(MSG_PLACEHOLDER_UNKNOWN).format(names=", ".join(sorted(unknown))))
    return problems


def format_value(name: str, value, language: str) -> str:
    """One context value as the SMS writes it."""
    if isinstance(value, Mapping):
        value = value.get(language) or value.get("ru") or next(iter(value.values()), "")
    if isinstance(value, dt.datetime):
        local = value.astimezone(ALMATY) if value.tzinfo else value
        if name == "time" or name.endswith("_time"):
            return local.strftime(TIME_FORMAT)
        if name == "date" or name.endswith("_date"):
            return local.strftime(DATE_FORMAT)
        return local.strftime(f"{DATE_FORMAT} {TIME_FORMAT}")
    if isinstance(value, dt.date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, dt.time):
        return value.strftime(TIME_FORMAT)
    if isinstance(value, list | tuple):
        return "; ".join(format_value(name, v, language) for v in value)
    return str(value)


def render(text: str, context: Mapping, language: str) -> str:
    """Fill ``text``; the caller has checked that every placeholder is in ``context``."""
    values = {name: format_value(name, context[name], language) for name in placeholders_in(text)}
    return text.format_map(values)


# --- segments ------------------------------------------------------------------------------------
# GSM 03.38 default alphabet and its extension table (an extension character takes two septets).
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("^{}\\[~]|€\f")


def sms_encoding_and_segments(text: str) -> tuple[str, int]:
    """("gsm7" | "ucs2", number of SMS segments) of ``text``.

    One GSM-7 SMS holds 160 septets, a part of a long one 153; UCS-2 (any Cyrillic letter) 70 and 67
    characters (UTF-16 code units, so an emoji counts twice).
    """
    if all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text):
        units = sum(2 if c in GSM7_EXTENSION else 1 for c in text)
        single, part, encoding = 160, 153, "gsm7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part, encoding = 70, 67, "ucs2"
    if units <= single:
        return encoding, 1
    return encoding, -(-units // part)
