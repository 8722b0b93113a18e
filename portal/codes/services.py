"""Issue and check a one-time code (``portal.codes.models.OneTimeCode``).

``code_issue`` draws the digits with ``secrets``, stores only their hash (salted with the secret key
and the row's ``hash_context``) and the expiry; the caller saves the row and sends the code.

``code_check`` runs inside ``transaction.atomic`` on a row read with ``select_for_update``
(``code_for_update``), so that parallel guesses at one code are counted one after another and a code
is used once. An expired or used (or killed) code is refused without counting; the entered code is
compared in constant time; a wrong one uses an attempt, and the last attempt kills the code
(``used_at`` set: its owner asks for a new one). The caller turns the outcome into its own answer,
and raises it after the atomic block, so that the attempt stays counted.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from portal.codes.models import OneTimeCode

Code = TypeVar("Code", bound=OneTimeCode)

DIGITS = 6


class Outcome(enum.StrEnum):
    ACCEPTED = "accepted"  # right: the code is now used
    WRONG = "wrong"  # wrong: an attempt used, some left
    KILLED = "killed"  # wrong, and that was the last attempt: the code is dead
    EXPIRED = "expired"  # expired, used or killed before: refused, nothing counted


@dataclass(frozen=True)
class CodeCheck:
    outcome: Outcome
    left: int  # wrong attempts left

    @property
    def accepted(self) -> bool:
        return self.outcome == Outcome.ACCEPTED

    @property
    def expired(self) -> bool:
        return self.outcome == Outcome.EXPIRED

    @property
    def killed(self) -> bool:
        return self.outcome == Outcome.KILLED


def code_hash(code: str, *context: str) -> str:
    """The stored form of ``code``: SHA-256 of the secret key, the row's context and the code."""
    return hashlib.sha256(":".join([settings.SECRET_KEY, *context, code]).encode()).hexdigest()


def code_issue(row: OneTimeCode, *, ttl: dt.timedelta, now: dt.datetime | None = None, digits: int = DIGITS) -> str:
    """Put a new code's hash and expiry on ``row`` (not saved) and return the code for the SMS."""
    now = now or timezone.now()
    code = f"{secrets.randbelow(10**digits):0{digits}d}"
    row.code_hash = code_hash(code, *row.hash_context())
    row.expires_at = now + ttl
    return code


def code_for_update(codes: QuerySet[Code]) -> Code | None:
    """The first code of ``codes``, locked until the end of the transaction (None if there is none)."""
    return codes.select_for_update().first()


def _save(row: OneTimeCode, fields: list[str]) -> None:
    if any(f.name == "updated_at" for f in row._meta.concrete_fields):
        fields = [*fields, "updated_at"]
    row.save(update_fields=fields)


def code_check(
    row: OneTimeCode,
    entered: str,
    *,
    max_attempts: int,
    now: dt.datetime | None = None,
    can_succeed: bool = True,
) -> CodeCheck:
    """Check ``entered`` against ``row`` (locked by ``code_for_update`` in the caller's atomic block)
    and record the outcome on the row. ``can_succeed=False`` makes even the right code count as
    wrong, with the same work (a code that was never sent, e.g. to an IIN without a phone)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("code_check needs the caller's transaction.atomic and a row read with code_for_update")
    now = now or timezone.now()
    if row.used_at is not None or row.expires_at <= now:
        return CodeCheck(Outcome.EXPIRED, 0)
    right = hmac.compare_digest(row.code_hash, code_hash(entered, *row.hash_context()))
    if right and can_succeed:
        row.used_at = now
        _save(row, ["used_at"])
        return CodeCheck(Outcome.ACCEPTED, max_attempts - row.attempts)
    row.attempts += 1
    left = max_attempts - row.attempts
    if left <= 0:
        row.used_at = now
    _save(row, ["attempts", "used_at"])
    return CodeCheck(Outcome.KILLED if left <= 0 else Outcome.WRONG, max(left, 0))
