"""Logging filters wired in ``settings.LOGGING``.

``PersonalDataFilter`` sits on every handler: whatever a log line says (an IIN in a URL, a phone in
an exception, a gateway password in a query string), what is written has the IIN, the phone number
and the secret masked. Code should not log them in the first place; this is the net under it.

``CacheOutageFilter`` turns the cache's "Redis is down, error ignored" tracebacks into one warning
line each: the outage is visible without flooding the log while it lasts.
"""

from __future__ import annotations

import logging
import re

IIN_MASK = "[iin]"
PHONE_MASK = "[phone]"
SECRET_MASK = "***"  # noqa: S105 (the mask, not a secret)

# 12 digits standing alone: an IIN (or a BIN; both identify).
_IIN = re.compile(r"(?<![\d+])\d{12}(?!\d)")
# Kazakhstan mobile numbers in the shapes people and systems write them: +77011234567, 77011234567,
# 87011234567, +7 701 123 45 67, 8 (701) 123-45-67; and any other E.164 number (+ and 10-15 digits).
_PHONE = re.compile(
    r"(?<![\d+])(?:\+?7|8)[\s(-]*7\d{2}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}(?!\d)|(?<![\w+])\+\d{10,15}(?!\d)"
)
# key=value, key: value and "key": "value" for password-like keys (the SMS gateway's psw among them).
_SECRET = re.compile(
    r"""(?ix)
    (\b(?:psw|password|passwd|pwd|api_?key|secret|token)\b["']?\s*[=:]\s*["']?)  # the key, kept
    [^\s&"',;}]+                                                               # the value, masked
    """
)


def mask_personal_data(text: str) -> str:
    text = _SECRET.sub(lambda m: m.group(1) + SECRET_MASK, text)
    text = _IIN.sub(IIN_MASK, text)
    return _PHONE.sub(PHONE_MASK, text)


class PersonalDataFilter(logging.Filter):
    """Masks IINs, phone numbers and secrets in the whole record: message, arguments, traceback."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = mask_personal_data(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal_data(record.stack_info)
        return True


class CacheOutageFilter(logging.Filter):
    """One warning line per cache error the cache ignored (``DJANGO_REDIS_LOGGER``), no traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            cause = error.__cause__ or error
            record.msg, record.args = "cache unavailable, request goes on without it: %s", (cause,)
            record.exc_info, record.exc_text = None, None
            record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        return True
