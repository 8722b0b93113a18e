"""X-9: who read whose personal data, when, what and why.

One row per person per read. Rows are only ever added (``services.personal_data_access_record``)
and removed by the retention purge (``services.personal_data_access_purge``); nothing edits them.
"""

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class PersonalDataAccess(models.Model):
    """A read of a person's personal data by staff or an integrator (X-9)."""

    class ActorKind(models.TextChoices):
        DEPARTMENT_STAFF = "department_staff", _("MSE department staff")
        PROVIDER_STAFF = "provider_staff", _("MSE service provider staff")
        COMMITTEE = "committee", _("Committee staff")
        OPERATOR = "operator", _("portal operator")
        INTEGRATOR = "integrator", _("information system")
        ADMINISTRATOR = "administrator", _("system administrator")

    class Subject(models.TextChoices):
        PERSON = "person", _("personal details")
        REFERRAL = "referral", _("referral (form 031/u)")
        BOOKING = "booking", _("booking for an examination")
        QUEUE = "queue", _("place in the day's queue")
        CONSENT = "consent", _("consent to personal data processing")
        GUARDIANSHIP = "guardianship", _("legal representation")
        MESSAGE = "message", _("SMS message")
        WAITLIST = "waitlist", _("waiting list")
        ACCESS_LOG = "access_log", _("personal data access log")
        MSE_ACT = "mse_act", _("MSE act (examination result)")
        EXPERT = "expert", _("registry of doctor-experts (application, evaluation, exclusion)")
        BENEFIT = "benefit", _("state benefit (application, registration journal, payment list)")

    class Purpose(models.TextChoices):
        QUEUE_SERVICE = "queue_service", _("serving the electronic queue")
        REFERRAL_INTAKE = "referral_intake", _("referral intake check")
        BOOKING_ON_BEHALF = "booking_on_behalf", _("booking on the person's behalf")
        MESSAGE_DELIVERY = "message_delivery", _("checking the delivery of an SMS")
        ADMINISTRATION = "administration", _("administration")
        MSE_REGISTER = "mse_register", _("reading the register of MSE acts")
        EXPERT_REGISTRY = "expert_registry", _("the Committee's registry of doctor-experts")
        BENEFIT_PAYMENT = "benefit_payment", _("assigning and paying state benefits")
        REMOTE_EXAMINATION = "remote_examination", _("remote MSE: examining a case and controlling its conclusions")

    class Channel(models.TextChoices):
        PAGE = "page", _("staff page")
        ADMIN = "admin", _("administration site")
        API = "api", _("information system (API)")

    # The composite index below serves lookups by person: no separate one.
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="data_accesses",
        db_index=False,
    )
    accessed_at = models.DateTimeField(_("accessed at"), default=timezone.now)
    # PROTECT: a staff member or integrator who read personal data is deactivated, never deleted.
    actor = models.ForeignKey("accounts.User", verbose_name=_("read by"), on_delete=models.PROTECT, related_name="+")
    actor_kind = models.CharField(_("role"), max_length=20, choices=ActorKind.choices)
    integrator = models.ForeignKey(
        "accounts.Integrator",
        verbose_name=_("integrator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    department = models.ForeignKey(
        "territory.MseDepartment",
        verbose_name=_("MSE department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    region = models.ForeignKey(
        "territory.Region", verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(_("what was read"), max_length=20, choices=Subject.choices)
    purpose = models.CharField(_("why"), max_length=24, choices=Purpose.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    # The object read: its model label and public id (or primary key); never an IIN.
    object_label = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-accessed_at", "-pk"]
        indexes = [
            models.Index(fields=["person", "accessed_at"], name="accesslog_person_time"),
            # the retention purge deletes by age
            models.Index(fields=["accessed_at"], name="accesslog_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} · {self.accessed_at:%d.%m.%Y %H:%M}"

    @property
    def organisation(self) -> str:
        """Who read, as the person is told: the organisation, never the staff member's name."""
        if self.integrator is not None:
            return self.integrator.name
        if self.department is not None:
            return self.department.name
        if self.region is not None:
            return str(MSG_PROVIDER_OF_REGION % {"region": self.region.name})
        return str(ORGANISATION_BY_KIND.get(self.actor_kind, MSG_PORTAL_ADMINISTRATION))


MSG_PROVIDER_OF_REGION = _("MSE service provider, %(region)s")
MSG_PORTAL_ADMINISTRATION = _("Portal administration")
ORGANISATION_BY_KIND: dict[str, Promise] = {
    PersonalDataAccess.ActorKind.COMMITTEE: _("Committee for regulation and control in social protection"),
    PersonalDataAccess.ActorKind.OPERATOR: _("Portal operator"),
}
