"""Benefits: one shape for the three programmes (funeral, disability, survivor).

programme -> ``Application`` -> ``ApplicationCheck`` rows -> ``CaseFile`` -> ``Decision`` (assigned,
refused with its ground, or waiting with its reason) -> approval with a signature -> payment list
(the last two come with the disability and survivor benefits). Each programme's rules live in
``benefits/programmes/<name>.py``, next to the points of the act they follow; the amounts come from
the dated rate tables (``RateBase``, ``RateCoefficient``).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.codes.models import OneTimeCode
from portal.models import PublicIdModel, TimeStampedModel
from portal.uploads import private_storage


class Programme(models.TextChoices):
    FUNERAL = "funeral", _("one-time funeral payment")
    DISABILITY = "disability", _("state social disability benefit")
    SURVIVOR = "survivor", _("state social benefit for loss of breadwinner")


class Channel(models.TextChoices):
    PORTAL = "portal", _("portal")
    STATE_CORPORATION = "goscorp", _('State Corporation "Government for Citizens"')
    PROACTIVE = "proactive", _("proactive service (SMS)")


# --- item 2: rate tables as dated data ------------------------------------------------------------


class Base(models.TextChoices):
    MRP = "mrp", _("monthly calculation index (MRP)")
    SUBSISTENCE_MINIMUM = "sm", _("subsistence minimum for base social payments")


class Rounding(models.TextChoices):
    UP_TO_TENGE = "up_tenge", _("up to the whole tenge")
    HALF_UP_TO_TENGE = "half_up_tenge", _("to the nearest whole tenge (half up)")
    TO_TIYN = "tiyn", _("to the tiyn (two decimals, half up)")


class RateBase(TimeStampedModel):
    """A base of the amounts for one year (MRP, subsistence minimum), with the law that sets it."""

    base = models.CharField(_("base"), max_length=8, choices=Base.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount, tenge"), max_digits=12, decimal_places=2)
    legal_source = models.CharField(_("legal source"), max_length=300)

    class Meta:
        verbose_name = _("base amount by year")
        verbose_name_plural = _("base amounts by year")
        ordering = ["base", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["base", "year"], name="benefits_one_base_amount_a_year"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="benefits_base_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_base_display()} {self.year}: {self.amount}"


class RateCoefficient(TimeStampedModel):
    """A coefficient of a programme's amount (x a base), valid over a period, with its rounding rule.

    ``code`` names the case within the programme: ``recipient`` and ``wwii_veteran`` for the funeral
    payment; ``adult.general.1`` and the like for disability; ``dependants.3`` for survivors.
    """

    programme = models.CharField(_("programme"), max_length=16, choices=Programme.choices)
    code = models.CharField(_("case"), max_length=64)
    description = models.CharField(_("description"), max_length=200, blank=True)
    base = models.CharField(_("base"), max_length=8, choices=Base.choices)
    coefficient = models.DecimalField(_("coefficient"), max_digits=8, decimal_places=3)
    rounding = models.CharField(_("rounding"), max_length=16, choices=Rounding.choices, default=Rounding.UP_TO_TENGE)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    legal_source = models.CharField(_("legal source"), max_length=300)

    class Meta:
        verbose_name = _("coefficient")
        verbose_name_plural = _("coefficients")
        ordering = ["programme", "code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code", "valid_from"], name="benefits_one_coefficient_a_start"
            ),
            models.CheckConstraint(condition=Q(coefficient__gt=0), name="benefits_coefficient_positive"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="benefits_coefficient_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme}.{self.code} x{self.coefficient} {self.base} from {self.valid_from}"


# --- item 1: the shape ----------------------------------------------------------------------------


class Stage(models.TextChoices):
    NOT_ACCEPTED = "not_accepted", _("not accepted")
    ACCEPTED = "accepted", _("accepted, decision being prepared")
    DECISION_DRAFT = "decision_draft", _("draft decision awaiting approval")
    APPROVED = "approved", _("decision approved")


class ConfirmedBy(models.TextChoices):
    """How the applicant confirmed the application (B-1: the portal's code or signature)."""

    SMS_CODE = "sms_code", _("a code sent to the registered mobile phone")
    SIGNATURE = "signature", _("the applicant's electronic signature")
    SMS_REPLY = "sms_reply", _("the answer to the proactive offer from the registered phone")
    STAFF = "staff", _("the State Corporation's staff")
    SESSION = "session", _("the signed-in person's session")


class Application(PublicIdModel):
    programme = models.CharField(_("programme"), max_length=16, choices=Programme.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    number = models.CharField(_("registration number"), max_length=20, unique=True, null=True, blank=True)
    applicant = models.ForeignKey(
        "people.Person",
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="benefit_applications",
    )
    applicant_iin = models.CharField(_("applicant's IIN"), max_length=12, blank=True)
    applicant_bin = models.CharField(_("applicant's BIN"), max_length=12, blank=True)
    applicant_name = models.CharField(_("applicant's name"), max_length=300, blank=True)
    subject_iin = models.CharField(_("IIN of the person the benefit concerns"), max_length=12)
    event_date = models.DateField(_("date of the event (death)"), null=True, blank=True)
    confirmed_by = models.CharField(_("confirmed by"), max_length=16, blank=True, choices=ConfirmedBy.choices)
    # B-1, B-13: the verification of the applicant's signature over the application's canonical content
    confirmation_signature = models.ForeignKey(
        "signatures.SignatureVerification",
        verbose_name=_("applicant's signature"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    filed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("filed by"), on_delete=models.PROTECT, null=True, blank=True
    )
    filed_by_integrator = models.ForeignKey(
        "accounts.Integrator", verbose_name=_("filed through"), on_delete=models.PROTECT, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    registered_at = models.DateTimeField(_("registered in the journal at"), null=True, blank=True)
    decision_due_at = models.DateTimeField(_("decision due by"), null=True, blank=True)
    refusal_code = models.CharField(_("ground of non-acceptance"), max_length=48, blank=True)

    class Meta:
        verbose_name = _("benefit application")
        verbose_name_plural = _("benefit applications")
        ordering = ["-submitted_at"]
        constraints = [
            # B-3 (3): one application for one deceased; a non-accepted one does not count (B-10: apply again)
            models.UniqueConstraint(
                fields=["subject_iin"],
                condition=Q(programme="funeral") & ~Q(stage="not_accepted"),
                name="benefits_one_funeral_application_per_deceased",
            ),
            models.CheckConstraint(
                condition=~Q(applicant_iin="", applicant_bin=""), name="benefits_application_has_applicant"
            ),
            models.CheckConstraint(
                condition=~Q(confirmed_by="signature") | Q(confirmation_signature__isnull=False),
                name="benefits_signed_application_has_signature",
            ),
        ]

    def __str__(self) -> str:
        return self.number or str(self.public_id)


class ApplicationCheck(models.Model):
    """One automatic check of an application (B-3 (1)-(5)), with the state system that answered."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="checks")
    code = models.CharField(_("check"), max_length=48)
    passed = models.BooleanField(_("passed"))
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("check")
        verbose_name_plural = _("checks")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.code}: {'ok' if self.passed else 'failed'}"


class CaseFile(TimeStampedModel):
    """The electronic case file (ЭІМ): what the state systems said, kept with the application."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="case_file")
    data = models.JSONField(_("data"), default=dict)

    class Meta:
        verbose_name = _("case file")
        verbose_name_plural = _("case files")

    def __str__(self) -> str:
        return f"case file {self.application}"


class DecisionKind(models.TextChoices):
    ASSIGNED = "assigned", _("assigned")
    REFUSED = "refused", _("refused")
    WAITING = "waiting", _("waiting")


class Decision(PublicIdModel):
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="decision")
    kind = models.CharField(_("decision"), max_length=16, choices=DecisionKind.choices)
    amount = models.DecimalField(_("amount, tenge"), max_digits=12, decimal_places=2, null=True, blank=True)
    computation = models.JSONField(_("how the amount was computed"), default=dict, blank=True)
    ground_code = models.CharField(_("ground or reason"), max_length=48, blank=True)
    # periodic: ``amount`` is the month's; one-time (the funeral payment): the whole sum, paid once
    periodic = models.BooleanField(_("monthly"), default=False)
    start_date = models.DateField(_("assigned from"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approval_signature = models.ForeignKey(
        "signatures.SignatureVerification",
        verbose_name=_("approval signature"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-created_at"]
        permissions = [("approve_decision", _("Can approve benefit decisions with an electronic signature"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="assigned", amount__gt=Decimal(0)) | ~Q(kind="assigned"),
                name="benefits_assigned_decision_has_amount",
            ),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | Q(approved_by__isnull=False, approval_signature__isnull=False),
                name="benefits_approval_has_signer_and_signature",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.kind}"


class JournalEntry(models.Model):
    """The electronic journal of registration of applications (appendix 6 of the funeral rules)."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="journal_entry")
    registered_at = models.DateTimeField(_("registered at"))

    class Meta:
        verbose_name = _("registration journal entry")
        verbose_name_plural = _("registration journal")
        ordering = ["registered_at", "pk"]

    def __str__(self) -> str:
        return str(self.application)


class ProactiveOffer(PublicIdModel):
    """B-1: the proactive service: an SMS offer to the person who may claim, answered from their phone."""

    class Status(models.TextChoices):
        SENT = "sent", _("offered")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    programme = models.CharField(_("programme"), max_length=16, choices=Programme.choices)
    person = models.ForeignKey("people.Person", verbose_name=_("offered to"), on_delete=models.PROTECT)
    subject_iin = models.CharField(_("IIN of the deceased"), max_length=12)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SENT)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    application = models.OneToOneField(Application, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        verbose_name = _("proactive offer")
        verbose_name_plural = _("proactive offers")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.public_id)


# --- B-6..B-16, S-7: the disability and survivor benefits ----------------------------------------


class DisabilityBenefit(models.TextChoices):
    """B-12: what one application for disability benefits may cover, at the person's choice."""

    SOCIAL = "social", _("state social disability benefit")
    SPECIAL = "special", _("special state disability benefit")
    CHILD_RAISING = "child_raising", _("benefit to a person raising a child with disability")
    GROUP1_CARE = "group1_care", _("care benefit for a person with group I disability since childhood")


class DisabilityOffer(PublicIdModel):
    """S-7: the application for disability benefits offered as soon as an MSE act establishes disability.

    ``offered`` lists the benefits of B-12 that apply to the act; the person (a ward's legal
    representative) consents on the choice page with the ones they choose (``chosen``); one offer per act.
    """

    class Status(models.TextChoices):
        OFFERED = "offered", _("offered")
        CONSENTED = "consented", _("consent given")
        DECLINED = "declined", _("declined")

    act = models.OneToOneField(
        "acts.MseAct", verbose_name=_("MSE act"), on_delete=models.PROTECT, related_name="benefit_offer"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("offered to"), on_delete=models.PROTECT, related_name="disability_offers"
    )
    offered = models.JSONField(_("benefits offered"), default=list)
    chosen = models.JSONField(_("benefits chosen"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OFFERED)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("disability benefits offer")
        verbose_name_plural = _("disability benefits offers")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.public_id)


class Assignment(TimeStampedModel):
    """B-6, B-14: which benefit an application assigns, from when, and the dates that decide it."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="assignment")
    offer = models.ForeignKey(
        DisabilityOffer, on_delete=models.PROTECT, null=True, blank=True, related_name="assignments"
    )
    benefit = models.CharField(_("benefit"), max_length=16)  # a DisabilityBenefit value, or "survivor"
    right_from = models.DateField(_("right arose on (disability established on)"))
    applied_on = models.DateField(_("applied with all documents (or consented) on"))
    start_date = models.DateField(_("assigned from"))
    more_documents_requested_at = models.DateTimeField(_("more documents requested at"), null=True, blank=True)
    # B-7: the document the disability decision waits for where a state system cannot hold the record
    # (a ``DocumentKind`` value; empty when none is awaited)
    awaited_document = models.CharField(_("document awaited"), max_length=24, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-created_at"]
        constraints = [
            # B-12: one application covers each chosen benefit once
            models.UniqueConstraint(
                fields=["offer", "benefit"], condition=Q(offer__isnull=False), name="benefits_one_benefit_per_offer"
            ),
            models.CheckConstraint(
                condition=Q(start_date__gte=models.F("right_from")), name="benefits_start_after_right"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.benefit} from {self.start_date}"


class Dependant(PublicIdModel):
    """B-13..B-16: one dependant of the deceased breadwinner on a survivor benefit application."""

    class Relation(models.TextChoices):
        CHILD = "child", _("child")
        SIBLING = "sibling", _("brother or sister")
        GRANDCHILD = "grandchild", _("grandchild")
        SPOUSE = "spouse", _("spouse")
        PARENT = "parent", _("parent")
        CARER = "carer", _("person caring for the deceased's children, siblings or grandchildren under 8")

    class Status(models.TextChoices):
        ACTIVE = "active", _("paid")
        SUSPENDED = "suspended", _("suspended")
        ENDED = "ended", _("right ended")  # B-15: the youngest child cared for turned 8

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="dependants")
    iin = models.CharField(_("IIN"), max_length=12)
    birth_date = models.DateField(_("date of birth"))
    relation = models.CharField(_("relation to the deceased"), max_length=16, choices=Relation.choices)
    # B-13 (2) of the optional list: the school's certificate (appendix 2), valid for one academic year
    study_certificate_number = models.CharField(_("school certificate number"), max_length=40, blank=True)
    school_bin = models.CharField(_("school's BIN"), max_length=12, blank=True)
    full_time_until = models.DateField(_("full-time study certified until"), null=True, blank=True)
    # B-15: how a carer proved this year that they stopped working
    stopped_working_proof = models.CharField(_("stopped working, proved by"), max_length=16, blank=True)
    stopped_working_proved_on = models.DateField(_("stopped working, last proved on"), null=True, blank=True)
    # B-15: the work book's record of leaving work last presented (its number and date, as written in it)
    work_book_record = models.CharField(_("work book record of leaving work"), max_length=200, blank=True)
    # B-15: a carer's right lasts while the youngest child, sibling or grandchild cared for is under 8
    youngest_cared_birth_date = models.DateField(
        _("date of birth of the youngest one cared for"), null=True, blank=True
    )
    share = models.DecimalField(_("share, tenge"), max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    suspended_from = models.DateField(_("suspended from"), null=True, blank=True)  # or the right ended from
    suspension_reason = models.CharField(_("reason of suspension"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("dependant")
        verbose_name_plural = _("dependants")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "iin"], name="benefits_dependant_once_per_application"),
        ]

    def __str__(self) -> str:
        return str(self.public_id)


class ApplicationCode(OneTimeCode, PublicIdModel):
    """B-1: the portal application confirmed by a one-time code sent to the applicant's registered
    mobile phone. The code's mechanics are the core's (``portal.codes``: hash only, expiry, attempts,
    used once); the limits follow ``portal.consent``'s ``ConsentCode`` (time to live, attempts, codes
    an hour): that one is bound to an integrator and records a consent; this one files an
    application for the signed-in person."""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("sent to"), on_delete=models.PROTECT, related_name="benefit_codes"
    )
    programme = models.CharField(_("programme"), max_length=16, choices=Programme.choices)
    subject_iin = models.CharField(_("IIN of the person the benefit concerns"), max_length=12)
    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("application confirmation code")
        verbose_name_plural = _("application confirmation codes")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["person", "created_at"], name="benefits_code_sent_idx")]

    def hash_context(self) -> tuple[str, ...]:
        return ("benefit-code", str(self.public_id))

    def __str__(self) -> str:
        return str(self.public_id)


# --- item 7: approval with a signature, and the month's payment list ---------------------------------


class PaymentList(PublicIdModel):
    """The month's payment list: built once on the first working day of the month (``benefits/beat.py``)."""

    month = models.DateField(_("month (its first day)"), unique=True)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment list")
        verbose_name_plural = _("payment lists")
        ordering = ["-month"]
        constraints = [models.CheckConstraint(condition=Q(month__day=1), name="benefits_payment_list_month_start")]

    def __str__(self) -> str:
        return f"{self.month:%m.%Y}"


class PaymentLine(models.Model):
    """One payment of one approved decision in one month: the month's amount plus arrears from the
    start date. Never twice for one decision and month, nor, for a monthly benefit, for one person,
    programme and month (the database's unique indexes). A one-time payment (the funeral payment) is
    per deceased: one applicant may receive two in a month, each once."""

    payment_list = models.ForeignKey(PaymentList, on_delete=models.PROTECT, related_name="lines")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="payment_lines")
    recipient = models.CharField(_("recipient's IIN or BIN"), max_length=12)
    programme = models.CharField(_("programme"), max_length=16, choices=Programme.choices)
    periodic = models.BooleanField(_("monthly"))
    month = models.DateField(_("month"))
    amount = models.DecimalField(_("amount for the month, tenge"), max_digits=12, decimal_places=2)
    arrears_months = models.PositiveSmallIntegerField(_("months of arrears"), default=0)
    arrears = models.DecimalField(_("arrears, tenge"), max_digits=14, decimal_places=2, default=Decimal(0))
    total = models.DecimalField(_("total, tenge"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["payment_list", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "month"], name="benefits_one_payment_a_decision_and_month"),
            models.UniqueConstraint(
                fields=["recipient", "programme", "month"],
                condition=Q(periodic=True),
                name="benefits_one_payment_a_person_and_month",
            ),
            models.CheckConstraint(condition=Q(total__gt=0), name="benefits_payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%m.%Y} {self.total}"


# --- B-5, B-13: documents uploaded where the state systems do not confirm them ----------------------


class DocumentKind(models.TextChoices):
    """The documents of B-5 (funeral payment), B-13 (survivor benefit) and B-7, B-9 (disability
    benefits) an applicant may upload."""

    # B-5 (1): identity of the person who buried, or the legal entity's registration / the entrepreneur's patent
    BURIER_IDENTITY = "burier_identity", _("identity document of the person who buried")
    BURIER_REGISTRATION = (
        "burier_registration",
        _("certificate of state registration of the legal entity, or the individual entrepreneur's patent"),
    )
    # B-5 (2): the death certificate, or another state's document of the death with an apostille
    DEATH_CERTIFICATE = (
        "death_certificate",
        _("death certificate, or a foreign document of the death with an apostille"),
    )
    # B-13: the death document and the kinship proofs; as applicable, the rest
    DEATH_DOCUMENT = (
        "death_document",
        _("death certificate or notice of the breadwinner, or the court decision declaring them missing or dead"),
    )
    KINSHIP = "kinship", _("proof of kinship with the deceased (birth, marriage, divorce, paternity)")
    CIVIL_REGISTRY_NOTE = "civil_registry_note", _("civil registry note (father recorded from the mother's statement)")
    STUDY_CERTIFICATE = "study_certificate", _("school's certificate of full-time study (appendix 2)")
    GUARDIANSHIP = "guardianship", _("document establishing guardianship or trusteeship")
    MILITARY_ID = "military_id", _("military ID or service record of the deceased")
    DEATH_IN_SERVICE = "death_in_service", _("proof of death in service")
    # B-7 (appendix 3, items 4 and 5): asked where the civil registry cannot hold the record
    BIRTH_CERTIFICATE = (
        "birth_certificate",
        _("birth certificate of the child with disability, or the extract of the birth record"),
    )
    MARRIAGE_CERTIFICATE = (
        "marriage_certificate",
        _("marriage or divorce certificate, or the extract of the marriage record (surname changed)"),
    )
    # B-9: the documents the State Corporation asked for (the term extended by 5 working days)
    MORE_DOCUMENTS = "more_documents", _("document requested by the State Corporation")


class ApplicationDocument(PublicIdModel):
    """An uploaded document of an application (B-5, B-13, B-7, B-9), kept in the core's private storage (no URL)
    and served only by ``views.document_download`` to the applicant, their legal representative and
    benefits staff. ``dependant`` is set for a dependant's own document (kinship, school certificate)."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="documents"
    )
    dependant = models.ForeignKey(
        Dependant,
        verbose_name=_("dependant"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    kind = models.CharField(_("document"), max_length=24, choices=DocumentKind.choices)
    file = models.FileField(_("file"), storage=private_storage, upload_to="benefits/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("uploaded document")
        verbose_name_plural = _("uploaded documents")
        ordering = ["application", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


# --- B-9: requests for information on the assignment of a benefit, answered within 30 minutes -----


class InformationRequest(PublicIdModel):
    """B-9: a request through the portal for information on the assignment of a benefit (appendix 3
    of the disability rules; the survivor benefit's list says the same): answered within 30 minutes
    of its arrival in the information system (``due_at``, clock time: the portal works around the clock).

    The stage and the decision's due date the portal knows: such a request is answered at once by the
    portal (``answered_automatically``, with what it said in ``answered_stage``/``answered_due_at``);
    any other question is answered by staff of the application's area (``answer``, ``answered_by``).
    """

    class Topic(models.TextChoices):
        STATUS = "status", _("the stage of the application and when the decision is due")
        OTHER = "other", _("another question about the assignment of the benefit")

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="information_requests"
    )
    asked_by = models.ForeignKey(
        "people.Person",
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="benefit_information_requests",
    )
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    question = models.TextField(_("question"), max_length=1000, blank=True)
    asked_at = models.DateTimeField(_("asked at"))
    due_at = models.DateTimeField(_("answer due by"))
    answer = models.TextField(_("answer"), max_length=2000, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_automatically = models.BooleanField(_("answered by the portal"), default=False)
    answered_stage = models.CharField(_("stage told"), max_length=16, choices=Stage.choices, blank=True)
    answered_due_at = models.DateTimeField(_("decision due date told"), null=True, blank=True)

    class Meta:
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        ordering = ["-asked_at", "-pk"]
        indexes = [models.Index(fields=["answered_at", "due_at"], name="benefits_info_open_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(due_at__gt=models.F("asked_at")), name="benefits_info_due_after_asked"),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True)
                | Q(answered_automatically=True, answered_stage__gt="")
                | Q(answered_automatically=False, answered_by__isnull=False, answer__gt=""),
                name="benefits_info_answer_has_its_author",
            ),
        ]

    def __str__(self) -> str:
        return str(self.public_id)
