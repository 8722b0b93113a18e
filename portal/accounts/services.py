"""Sign-in of citizens by one-time SMS code, and integrator tokens."""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import messaging
from portal.accounts.models import ApiToken, Integrator, SignInCode, SignInLock, User
from portal.accounts.roles import Role
from portal.accounts.scopes import Scope
from portal.errors import ApplicationError
from portal.people.models import Language, Person
from portal.people.services import person_language_set
from portal.validators import validate_iin

logger = logging.getLogger(__name__)

MSG_UNKNOWN_PERSON = _("We have no registered mobile phone for this IIN. Contact the State Corporation to register it.")
MSG_LOCKED = _("Too many wrong codes. Sign-in for this IIN is locked until %(until)s.")
MSG_TOO_MANY_CODES = _("Too many codes requested. Try again in an hour.")
MSG_CODE_WRONG = _("The code is wrong. Attempts left: %(left)s.")
MSG_CODE_EXPIRED = _("The code has expired or was not requested. Request a new code.")
MSG_SCOPE_UNKNOWN = _("Unknown scope: %(scope)s.")


def _hash(code: str) -> str:
    return ApiToken.hash_key(f"{settings.SECRET_KEY}:{code}")


def _check_lock(iin: str, now: dt.datetime) -> None:
    lock = SignInLock.objects.filter(iin=iin, locked_until__gt=now).first()
    if lock is not None:
        until = timezone.localtime(lock.locked_until).strftime("%d.%m.%Y %H:%M")
        raise ApplicationError(MSG_LOCKED % {"until": until}, code="sign_in_locked", field="iin")


def _validated_iin(iin: str) -> str:
    from django.core.exceptions import ValidationError

    iin = (iin or "").strip()
    try:
        validate_iin(iin)
    except ValidationError as exc:
        raise ApplicationError(exc.messages[0], code=exc.code or "iin_invalid", field="iin") from None
    return iin


@transaction.atomic
def sign_in_code_request(*, iin: str, language: str | None = None) -> SignInCode:
    """Send a one-time code to the registered phone of ``iin`` (rate-limited, lockout-aware).

    ``language`` is the language of the page the code was asked from: the code's SMS is written in
    it (X-1); the person's own SMS language changes only once they have signed in.
    """
    iin = _validated_iin(iin)
    now = timezone.now()
    _check_lock(iin, now)
    person = Person.objects.filter(iin=iin).exclude(phone="").first()
    if person is None:
        raise ApplicationError(MSG_UNKNOWN_PERSON, code="person_unknown", field="iin")
    recent = SignInCode.objects.filter(iin=iin, created_at__gte=now - dt.timedelta(hours=1)).count()
    if recent >= settings.SIGN_IN_CODES_PER_HOUR:
        raise ApplicationError(MSG_TOO_MANY_CODES, code="sign_in_rate_limited", field="iin")
    code = f"{secrets.randbelow(10**6):06d}"
    row = SignInCode.objects.create(
        iin=iin,
        code_hash=_hash(code),
        created_at=now,
        expires_at=now + dt.timedelta(seconds=settings.SIGN_IN_CODE_TTL_SECONDS),
    )
    messaging.notify(
        recipient=person,
        template="sign_in_code",
        context={"code": code, "minutes": settings.SIGN_IN_CODE_TTL_SECONDS // 60},
        dedupe_key=f"sign-in:{row.pk}",
        urgent=True,
        language=language[:2] if language and language[:2] in Language.values else None,
    )
    return row


def sign_in_code_verify(*, iin: str, code: str, language: str | None = None) -> User:
    """Check the code; on success return the citizen's user (created on first sign-in).

    ``language`` is the language of the page the citizen signed in on: it becomes the language of
    their SMS (X-1), including the SMS about a ward they represent.
    """
    iin = _validated_iin(iin)
    code = (code or "").strip()
    now = timezone.now()
    with transaction.atomic():
        _check_lock(iin, now)
        row = (
            SignInCode.objects.select_for_update()
            .filter(iin=iin, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if row is None:
            raise ApplicationError(MSG_CODE_EXPIRED, code="code_expired", field="code")
        if hmac.compare_digest(row.code_hash, _hash(code)):
            row.used_at = now
            row.save(update_fields=["used_at"])
            user = _citizen_user(iin)
            if language:
                person_language_set(person=user.person, language=language)
            return user
        row.attempts += 1
        row.save(update_fields=["attempts"])
        left = settings.SIGN_IN_MAX_ATTEMPTS - row.attempts
        if left <= 0:
            row.used_at = now  # a burnt code cannot be retried after the lock ends
            row.save(update_fields=["used_at"])
            SignInLock.objects.update_or_create(
                iin=iin,
                defaults={
                    "locked_until": now + dt.timedelta(seconds=settings.SIGN_IN_LOCKOUT_SECONDS),
                    "reason": "too many wrong codes",
                },
            )
    # Outside the atomic block, so the attempt count and the lock are saved with the refusal.
    if left <= 0:
        _check_lock(iin, now)
    raise ApplicationError(MSG_CODE_WRONG % {"left": left}, code="code_wrong", field="code")


def _citizen_user(iin: str) -> User:
    person = Person.objects.get(iin=iin)
    user, created = User.objects.get_or_create(person=person, defaults={"username": f"iin{iin}"})
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=Role.CITIZEN))
    return user


@transaction.atomic
def integrator_create(*, name: str, kind: str, bin: str = "") -> Integrator:
    user = User.objects.create(username=f"integrator-{Integrator.objects.count() + 1}-{secrets.token_hex(3)}")
    user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get(name=Role.INTEGRATOR))
    return Integrator.objects.create(name=name, kind=kind, bin=bin, user=user)


def api_token_create(*, integrator: Integrator, name: str, scopes: list[str], expires_at=None) -> tuple[ApiToken, str]:
    """Issue a token; returns it with the plain key, which is never stored and shown only now."""
    for s in scopes:
        if s not in Scope.values:
            raise ApplicationError(MSG_SCOPE_UNKNOWN % {"scope": s}, code="scope_unknown", field="scopes")
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        integrator=integrator,
        name=name,
        prefix=key[:8],
        key_hash=ApiToken.hash_key(key),
        scopes=sorted(set(scopes)),
        expires_at=expires_at,
    )
    return token, key


def api_token_revoke(*, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
