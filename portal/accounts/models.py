import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.roles import Role
from portal.codes.models import OneTimeCode
from portal.models import TimeStampedModel
from portal.people.models import Language


class User(AbstractUser):
    """A sign-in: a citizen (linked to a Person), a staff member, or an integrator's service account."""

    person = models.OneToOneField(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, null=True, blank=True, related_name="user"
    )
    # Staff scope: department staff see only their department; provider staff their region.
    department = models.ForeignKey(
        "territory.MseDepartment",
        verbose_name=_("MSE department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    region = models.ForeignKey(
        "territory.Region", verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def has_role(self, role: str) -> bool:
        if not self.is_authenticated:
            return False
        cache = getattr(self, "_role_cache", None)
        if cache is None:
            cache = set(self.groups.values_list("name", flat=True))
            self._role_cache = cache
        return role in cache

    @property
    def is_citizen(self) -> bool:
        return self.person_id is not None and self.has_role(Role.CITIZEN)


class Integrator(TimeStampedModel):
    """An external system: a hospital MIS, the State Corporation, the e-government gateway."""

    class Kind(models.TextChoices):
        MIS = "mis", _("medical information system (MIS)")
        STATE_CORPORATION = "goscorp", _('State Corporation "Government for Citizens"')
        GATEWAY = "gateway", _("e-government gateway")
        # the Committee's own information systems: the only ones that read its national registries
        # (the registry of doctor-experts, scope experts:read)
        COMMITTEE = "committee", _("information system of the Committee")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    bin = models.CharField(_("BIN"), max_length=12, blank=True)
    user = models.OneToOneField(
        User, verbose_name=_("service account"), on_delete=models.PROTECT, related_name="integrator"
    )
    is_active = models.BooleanField(_("active"), default=True)
    # the language of the API's messages to this system when a call sends no Accept-Language;
    # empty: the portal's default language (LANGUAGE_CODE, Russian).
    language = models.CharField(
        _("language of API messages"),
        max_length=2,
        choices=Language.choices,
        blank=True,
        default="",
        help_text=_("Used when a call sends no Accept-Language header; empty: the portal's default (Russian)."),
    )
    # the departments whose desk this system runs (queue operations by API, scope queue:staff).
    # A hospital MIS serves none: it acts for people through its organisations' referrals instead.
    departments = models.ManyToManyField(
        "territory.MseDepartment",
        verbose_name=_("MSE departments served"),
        related_name="integrators",
        blank=True,
        help_text=_("The departments whose queue this system may read and work by API (scope queue:staff)."),
    )

    class Meta:
        verbose_name = _("integrator")
        verbose_name_plural = _("integrators")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ApiToken(TimeStampedModel):
    """A bearer token of an integrator. Only its SHA-256 is stored; the key is shown once."""

    integrator = models.ForeignKey(
        Integrator, verbose_name=_("integrator"), on_delete=models.CASCADE, related_name="tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("scopes"), default=list)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.integrator} / {self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(32)

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class SignInCode(OneTimeCode):
    """A one-time code asked for an IIN; only its hash is stored.

    A row is made for every request, whether the IIN has a registered phone or not, so the answer and
    the work are the same for any IIN (sec6); the SMS goes only to a registered phone. ``attempts``
    counts wrong guesses at this code: at ``SIGN_IN_MAX_ATTEMPTS`` the code is dead (``used_at`` set).
    ``address`` is the client address that asked for it (blank for no client, and for rows made before
    it was kept): the SMS caps count per IIN and address, so a stranger's requests never use up the
    owner's; it is never logged.
    """

    iin = models.CharField(_("IIN"), max_length=12, db_index=True)
    address = models.CharField(_("client address"), max_length=64, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("sign-in code")
        verbose_name_plural = _("sign-in codes")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.iin[:6]}****** {self.created_at:%d.%m.%Y %H:%M}"


class SignInEvent(models.Model):
    """A code request or a wrong code, by client address: the per-address and global sign-in budgets.

    No IIN is kept here: the budgets are about who asks, not whom they ask about. Rows older than the
    longest window (a day) are deleted as new codes are requested.
    """

    class Kind(models.TextChoices):
        CODE_REQUESTED = "requested", _("code requested")
        CODE_WRONG = "wrong", _("wrong code")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    address = models.CharField(_("client address"), max_length=64, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("sign-in event")
        verbose_name_plural = _("sign-in events")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["kind", "address", "at"], name="signin_event_by_address"),
            models.Index(fields=["kind", "at"], name="signin_event_by_time"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%d.%m.%Y %H:%M}"
