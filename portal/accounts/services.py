"""Sign-in of citizens by one-time SMS code, and integrator tokens.

Sign-in limits (sec5), all set in ``portal/settings.py``: wrong guesses per code (then the code is
dead), codes per IIN and client address per 15 minutes and per day, codes per IIN per day across all
addresses (a higher ceiling: what one IIN can cost in SMS), code requests and wrong codes per client
address per hour, and wrong codes per minute for the whole portal. Nothing locks an IIN: a stranger's
wrong guesses use up only the code they guessed at, a stranger's requests use up only their own
address's SMS budget, and the owner can always ask for a new one within their address's budget (only
a stranger with many addresses can reach the IIN's ceiling, see docs/security.md).

One answer for any IIN (sec6): registered, unknown, without a phone or over its SMS cap, a request
makes a code row the same way and the caller is told the same thing; only a registered phone gets
the SMS.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import messaging
from portal.accounts import locks
from portal.accounts.models import ApiToken, Integrator, SignInCode, SignInEvent, User
from portal.accounts.roles import Role
from portal.accounts.scopes import scope_allowed_for_kind, scope_values
from portal.codes.services import code_check, code_for_update, code_issue
from portal.errors import ApplicationError, ApplicationErrors, ErrorItem
from portal.people.models import Language, Person
from portal.people.services import person_language_set
from portal.validators import validate_iin

logger = logging.getLogger(__name__)

# The SMS template of the code (seeded by notifications/migrations/0002_seed_templates.py).
SIGN_IN_CODE_TEMPLATE = "sign_in_code"

MSG_ADDRESS_LIMITED = _("Too many sign-in attempts from your network. Try again in an hour.")
MSG_BUSY = _("Too many sign-in attempts on the portal right now. Try again in a minute.")
MSG_CODE_WRONG = _("The code is wrong. Attempts left: %(left)s.")
MSG_CODE_USED_UP = _("The code is wrong and can no longer be used. Request a new code.")
MSG_CODE_EXPIRED = _("The code has expired or was not requested. Request a new code.")
MSG_CODE_FORMAT = _("Enter the 6 digits of the code from the SMS.")
MSG_SCOPE_UNKNOWN = _("Unknown scope: %(scope)s.")
MSG_SCOPE_NOT_FOR_KIND = _('The scope %(scope)s cannot be given to an integrator of the kind "%(kind)s".')

CODE_PATTERN = re.compile(r"[0-9]{6}")
# Sign-in events are kept for the longest window that counts them.
EVENT_RETENTION = dt.timedelta(days=1)


def _validated_iin(iin: str) -> str:
    from django.core.exceptions import ValidationError

    iin = (iin or "").strip()
    try:
        validate_iin(iin)
    except ValidationError as exc:
        raise ApplicationError(exc.messages[0], code=exc.code or "iin_invalid", field="iin") from None
    return iin


def _events(*, kind: str, since: dt.datetime, address: str | None = None) -> int:
    events = SignInEvent.objects.filter(kind=kind, at__gte=since)
    if address is not None:
        events = events.filter(address=address)
    return events.count()


def _check_address(*, kind: str, address: str | None, limit: int, now: dt.datetime) -> None:
    """Refuse a client address over its hourly budget (the same answer for any IIN)."""
    if address is not None and _events(kind=kind, address=address, since=now - dt.timedelta(hours=1)) >= limit:
        raise ApplicationError(MSG_ADDRESS_LIMITED, code="sign_in_address_limited")


@transaction.atomic
def sign_in_code_request(*, iin: str, address: str | None = None, language: str | None = None) -> SignInCode | None:
    """Make a one-time code for ``iin``; send it by SMS if the IIN has a registered phone.

    ``address`` is the client's address (``throttling.client_address``); every page and API passes
    it, None only for calls that come from no client (they share one budget). Returns the live code
    (a new one, or the one sent seconds ago when "Send code" is clicked twice from the same address),
    or None when an SMS cap is used up: the IIN's for this address (per 15 minutes, per day) or the
    IIN's ceiling for the day across addresses; the caller tells the citizen the same thing in every
    case.

    ``language`` is the language of the page the code was asked from: the code's SMS is written in
    it (X-1); the person's own SMS language changes only once they have signed in.
    """
    iin = _validated_iin(iin)
    now = timezone.now()
    _check_address(
        kind=SignInEvent.Kind.CODE_REQUESTED,
        address=address,
        limit=settings.SIGN_IN_REQUESTS_PER_ADDRESS_PER_HOUR,
        now=now,
    )
    SignInEvent.objects.filter(at__lt=now - EVENT_RETENTION).delete()
    SignInEvent.objects.create(kind=SignInEvent.Kind.CODE_REQUESTED, address=address or "", at=now)
    locks.sign_in_iin_lock(iin=iin)
    person = _registered_person(iin)
    address = address or ""
    codes = SignInCode.objects.filter(iin=iin)
    reuse_since = now - dt.timedelta(seconds=settings.SIGN_IN_CODE_REUSE_SECONDS)
    live = (
        codes.filter(address=address, used_at__isnull=True, expires_at__gt=now, created_at__gte=reuse_since)
        .order_by("-created_at")
        .first()
    )
    if live is not None:
        return live  # a second click from this address: the code sent seconds ago is on its way
    day_since = now - dt.timedelta(days=1)
    sent = codes.filter(created_at__gte=day_since).aggregate(
        here_short=Count("pk", filter=Q(address=address, created_at__gte=now - dt.timedelta(minutes=15))),
        here_day=Count("pk", filter=Q(address=address)),
        iin_day=Count("pk"),
    )
    if (
        sent["here_short"] >= settings.SIGN_IN_CODES_PER_15_MINUTES
        or sent["here_day"] >= settings.SIGN_IN_CODES_PER_DAY
        or sent["iin_day"] >= settings.SIGN_IN_CODES_PER_IIN_PER_DAY
    ):
        return None
    row = SignInCode(iin=iin, address=address, created_at=now)
    code = code_issue(row, ttl=dt.timedelta(seconds=settings.SIGN_IN_CODE_TTL_SECONDS), now=now)
    row.save()
    if person is not None:
        messaging.notify(
            recipient=person,
            template=SIGN_IN_CODE_TEMPLATE,
            context={"code": code, "minutes": settings.SIGN_IN_CODE_TTL_SECONDS // 60},
            dedupe_key=f"sign-in:{row.pk}",
            urgent=True,
            language=language[:2] if language and language[:2] in Language.values else None,
        )
    return row


def sign_in_code_verify(*, iin: str, code: str, address: str | None = None, language: str | None = None) -> User:
    """Check the code; on success return the citizen's user (created on first sign-in).

    The code checked is the last live one asked for from this client address, or, when this address
    asked for none, the IIN's last live code; one code per try, as before. A wrong code uses up one of
    that code's attempts and one of the client address's and the portal's wrong-code budgets; it never
    locks the IIN. Anything but six digits is refused before any of that, as a typing slip.

    ``language`` is the language of the page the citizen signed in on: it becomes the language of
    their SMS (X-1), including the SMS about a ward they represent.
    """
    iin = _validated_iin(iin)
    code = (code or "").strip()
    if not CODE_PATTERN.fullmatch(code):
        raise ApplicationError(MSG_CODE_FORMAT, code="code_format", field="code")
    now = timezone.now()
    if (
        _events(kind=SignInEvent.Kind.CODE_WRONG, since=now - dt.timedelta(minutes=1))
        >= settings.SIGN_IN_WRONG_CODES_PER_MINUTE
    ):
        raise ApplicationError(MSG_BUSY, code="sign_in_busy")
    _check_address(
        kind=SignInEvent.Kind.CODE_WRONG,
        address=address,
        limit=settings.SIGN_IN_WRONG_CODES_PER_ADDRESS_PER_HOUR,
        now=now,
    )
    with transaction.atomic():
        # The code this address asked for last, else the IIN's last live code (the owner's address may
        # change between the two steps): codes a stranger asks for elsewhere never displace the owner's.
        live = SignInCode.objects.filter(iin=iin, used_at__isnull=True, expires_at__gt=now).order_by("-created_at")
        row = code_for_update(live.filter(address=address or "")) or code_for_update(live)
        if row is None:
            raise ApplicationError(MSG_CODE_EXPIRED, code="code_expired", field="code")
        # A code made for an IIN without a registered phone was never sent: it cannot be right.
        person = _registered_person(iin)
        checked = code_check(
            row, code, max_attempts=settings.SIGN_IN_MAX_ATTEMPTS, now=now, can_succeed=person is not None
        )
        if checked.accepted and person is not None:
            user = _citizen_user(person)
            if language:
                person_language_set(person=user.person, language=language)
            return user
        if checked.expired:  # not reached: the row was read live under the lock
            raise ApplicationError(MSG_CODE_EXPIRED, code="code_expired", field="code")
        SignInEvent.objects.create(kind=SignInEvent.Kind.CODE_WRONG, address=address or "", at=now)
    # Outside the atomic block, so the attempt is saved with the refusal.
    if checked.killed:  # the code is dead; the owner asks for a new one
        raise ApplicationError(MSG_CODE_USED_UP, code="code_used_up", field="code")
    raise ApplicationError(MSG_CODE_WRONG % {"left": checked.left}, code="code_wrong", field="code")


def _registered_person(iin: str) -> Person | None:
    return Person.objects.filter(iin=iin).exclude(phone="").first()


def _citizen_user(person: Person) -> User:
    user, created = User.objects.get_or_create(person=person, defaults={"username": f"iin{person.iin}"})
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


def api_token_scopes_check(*, integrator: Integrator, scopes: list[str]) -> None:
    """Refuse scopes no app registered, and (X-8) scopes the integrator's kind may not hold
    (``register_scopes(..., integrator_kinds=...)``): one ``scopes`` error per scope at fault."""
    known = set(scope_values())
    items: list[ErrorItem] = []
    for scope in dict.fromkeys(scopes):
        if scope not in known:
            items.append(ErrorItem("scopes", "scope_unknown", MSG_SCOPE_UNKNOWN % {"scope": scope}))
        elif not scope_allowed_for_kind(scope, integrator.kind):
            message = MSG_SCOPE_NOT_FOR_KIND % {"scope": scope, "kind": integrator.get_kind_display()}
            items.append(ErrorItem("scopes", "scope_not_for_integrator_kind", message))
    if items:
        raise ApplicationErrors(items)


def api_token_create(*, integrator: Integrator, name: str, scopes: list[str], expires_at=None) -> tuple[ApiToken, str]:
    """Issue a token; returns it with the plain key, which is never stored and shown only now.

    Scopes are checked first (``api_token_scopes_check``): a refused one leaves nothing saved."""
    api_token_scopes_check(integrator=integrator, scopes=scopes)
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


# A code is worth keeping while it counts against the day's limit of codes per IIN.
SIGN_IN_CODE_RETENTION = dt.timedelta(days=1)


def sign_in_codes_purge(*, now: dt.datetime | None = None) -> int:
    """Delete sign-in codes older than a day: past their use and past the day's limit they count in.

    The rows hold an IIN (asked for by anyone, registered or not, sec6); nothing needs them later.
    Returns how many were deleted.
    """
    now = now or timezone.now()
    deleted, _by_model = SignInCode.objects.filter(created_at__lt=now - SIGN_IN_CODE_RETENTION).delete()
    return deleted
