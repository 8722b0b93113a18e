"""The registry of doctor-experts (SPEC section E; the act 002 wins where they differ).

One ``Expert`` row per person, for both kinds the acts name: MSE department staff taking part in
remote examination (an expert-head or a chief specialist, with department and region) and
independent doctor-experts admitted through an ``Announcement`` -> ``Application`` -> ``TestAttempt``.
Every status change of an expert leaves an ``ExpertStatusChange`` row (dated, with its actor); the
audit log keeps every field change (X-5). ``WorkRecord`` is what the remote pilot writes through
``services.work`` (case received, due, decided, upheld): the input of the monthly evaluation.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.models import PublicIdModel, TimeStampedModel, in_language
from portal.uploads import private_storage


class Expert(PublicIdModel):
    class Kind(models.TextChoices):
        DEPARTMENT_STAFF = "department_staff", _("MSE department staff")
        INDEPENDENT = "independent", _("independent doctor-expert")

    class Position(models.TextChoices):
        EXPERT_HEAD = "expert_head", _("expert-head of an MSE department")
        CHIEF_SPECIALIST = "chief_specialist", _("chief specialist of an MSE department")
        DOCTOR_EXPERT = "doctor_expert", _("doctor-expert")

    class Status(models.TextChoices):
        APPLICANT = "applicant", _("applicant")
        TESTING = "testing", _("testing")
        INCLUDED = "included", _("included")
        CONTRACT_PENDING = "contract_pending", _("contract pending")
        ACTIVE = "active", _("active")
        INCAPACITATED = "incapacitated", _("temporarily incapacitated")
        EXCLUDED = "excluded", _("excluded")
        REFUSED = "refused", _("refused")

    class ExclusionGround(models.IntegerChoices):
        # E-7, point 14 of the algorithm
        OWN_APPLICATION = 1, _("(1) the expert's own application (appendix 6)")
        INCAPABLE = 2, _("(2) declared incapable or of limited capacity by a court")
        EMIGRATION = 3, _("(3) permanent residence outside Kazakhstan")
        DEATH = 4, _("(4) death")
        INDICATOR_MISSED = 5, _("(5) contract terminated: the planned indicator missed more than 3 times")

    person = models.OneToOneField(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="expert"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    department = models.ForeignKey(
        "territory.MseDepartment",
        verbose_name=_("MSE department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="experts",
    )
    region = models.ForeignKey(
        "territory.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="experts",
    )
    nosology_groups = models.ManyToManyField(
        "nosology.NosologyGroup", verbose_name=_("nosological forms"), related_name="experts", blank=True
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.APPLICANT)
    status_since = models.DateField(_("status since"), null=True, blank=True)
    incapacitated_from = models.DateField(_("incapacitated from"), null=True, blank=True)
    incapacitated_until = models.DateField(_("incapacitated until (inclusive)"), null=True, blank=True)
    exclusion_ground = models.PositiveSmallIntegerField(
        _("ground of exclusion"), choices=ExclusionGround.choices, null=True, blank=True
    )
    planned_monthly_cases = models.PositiveIntegerField(
        _("planned monthly indicator (cases)"), null=True, blank=True, help_text=_("From the contract.")
    )
    # E-11, appendix 8: the bank details of the price table.
    bank_name = models.CharField(_("bank"), max_length=200, blank=True)
    account_number = models.CharField(_("bank account"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    iban = models.CharField(_("IBAN (IIK)"), max_length=34, blank=True)
    account_type = models.CharField(_("account type"), max_length=40, blank=True, default="текущий")

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["person__last_name", "person__first_name"]
        constraints = [
            # MSE department staff are experts of their department and region (P-6, E-8).
            models.CheckConstraint(
                condition=~Q(kind="department_staff") | Q(department__isnull=False, region__isnull=False),
                name="expert_staff_has_department_and_region",
            ),
            models.CheckConstraint(
                condition=Q(incapacitated_until__isnull=True)
                | Q(incapacitated_from__isnull=True)
                | Q(incapacitated_until__gte=F("incapacitated_from")),
                name="expert_incapacity_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(status="excluded") | Q(exclusion_ground__isnull=False),
                name="expert_excluded_has_ground",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.full_name} · {self.get_position_display()}"

    def is_available_on(self, day: dt.date) -> bool:
        """Active on ``day``: active, or incapacitated on other days than the dated incapacity."""
        if self.status == self.Status.ACTIVE:
            return True
        if self.status != self.Status.INCAPACITATED:
            return False
        start, end = self.incapacitated_from, self.incapacitated_until
        return not ((start is None or start <= day) and (end is None or day <= end))


class ExpertStatusChange(models.Model):
    """X-5: who changed an expert's status, when, from what, to what, on what ground and evidence."""

    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(_("from"), max_length=20, choices=Expert.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Expert.Status.choices)
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(_("effective until"), null=True, blank=True)
    exclusion_ground = models.PositiveSmallIntegerField(
        _("ground of exclusion"), choices=Expert.ExclusionGround.choices, null=True, blank=True
    )
    evidence = models.TextField(_("evidence"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("status change of an expert")
        verbose_name_plural = _("status changes of experts")
        ordering = ["expert", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status} ({self.effective_from:%d.%m.%Y})"


class ExpertLeave(TimeStampedModel):
    """A dated leave (vacation) of an expert: no new case on any day from ``starts_on`` to ``ends_on``
    inclusive (P-6, E-8), and a late case of that day is redistributed (E-9). Apart from the status:
    an active expert stays active around a leave; written by ``services.experts.expert_leave_add``."""

    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="leaves")
    starts_on = models.DateField(_("first day of leave"))
    ends_on = models.DateField(_("last day of leave (inclusive)"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("leave of an expert")
        verbose_name_plural = _("leaves of experts")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="expert_leave_ordered"),
        ]
        indexes = [models.Index(fields=["expert", "starts_on", "ends_on"], name="expert_leave_days_idx")]

    def __str__(self) -> str:
        return f"{self.starts_on:%d.%m.%Y} - {self.ends_on:%d.%m.%Y}"


class WorkRecord(TimeStampedModel):
    """One case an expert received from the remote pilot: when due, when decided, upheld or not (E-10's input)."""

    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="work")
    case_ref = models.CharField(_("case reference"), max_length=64, help_text=_("The pilot's public id of the case."))
    received_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("due at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    upheld = models.BooleanField(_("upheld by methodology control"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(
        _("withdrawn at"),
        null=True,
        blank=True,
        help_text=_("The case was redistributed away from the expert (E-9): neither open nor decided, never late."),
    )

    class Meta:
        verbose_name = _("work record")
        verbose_name_plural = _("work records")
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["expert", "case_ref"], name="work_record_one_per_case")]
        indexes = [models.Index(fields=["expert", "decided_at"], name="work_record_open_idx")]

    def __str__(self) -> str:
        return f"{self.case_ref} · {self.received_at:%d.%m.%Y}"


class Announcement(PublicIdModel):
    """E-1: the Committee's announcement of a selection, with every element point 4 lists."""

    title_kk = models.CharField(_("title (Kazakh)"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    # (1) the state body: name, location, postal address, phones, e-mail
    body_name_kk = models.CharField(_("state body (Kazakh)"), max_length=300)
    body_name_ru = models.CharField(_("state body (Russian)"), max_length=300)
    body_name_en = models.CharField(_("state body (English)"), max_length=300)
    location_kk = models.CharField(_("location (Kazakh)"), max_length=300)
    location_ru = models.CharField(_("location (Russian)"), max_length=300)
    location_en = models.CharField(_("location (English)"), max_length=300)
    postal_address = models.CharField(_("postal address"), max_length=300)
    phones = models.CharField(_("phones"), max_length=200)
    email = models.EmailField(_("e-mail"))
    # acceptance dates and how to apply
    acceptance_starts_on = models.DateField(_("acceptance of documents starts on"))
    acceptance_ends_on = models.DateField(_("acceptance of documents ends on (inclusive)"))
    how_to_apply_kk = models.TextField(_("how to apply (Kazakh)"))
    how_to_apply_ru = models.TextField(_("how to apply (Russian)"))
    how_to_apply_en = models.TextField(_("how to apply (English)"))
    # (2) specialties with main duties, pay and terms
    specialties_kk = models.TextField(_("specialties and main duties (Kazakh)"))
    specialties_ru = models.TextField(_("specialties and main duties (Russian)"))
    specialties_en = models.TextField(_("specialties and main duties (English)"))
    pay_terms_kk = models.TextField(_("pay and its terms (Kazakh)"))
    pay_terms_ru = models.TextField(_("pay and its terms (Russian)"))
    pay_terms_en = models.TextField(_("pay and its terms (English)"))
    # (3) requirements (point 5), (4) documents (point 7)
    requirements_kk = models.TextField(_("requirements for candidates (Kazakh)"))
    requirements_ru = models.TextField(_("requirements for candidates (Russian)"))
    requirements_en = models.TextField(_("requirements for candidates (English)"))
    documents_kk = models.TextField(_("documents required (Kazakh)"))
    documents_ru = models.TextField(_("documents required (Russian)"))
    documents_en = models.TextField(_("documents required (English)"))
    # (5) how many candidates will be selected
    candidates_to_select = models.PositiveIntegerField(_("number of candidates to select"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("announcement of a selection")
        verbose_name_plural = _("announcements of selections")
        ordering = ["-acceptance_starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(acceptance_ends_on__gte=F("acceptance_starts_on")), name="announcement_window_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title_ru} ({self.acceptance_starts_on:%d.%m.%Y}–{self.acceptance_ends_on:%d.%m.%Y})"

    def text(self, field: str) -> str:
        return in_language(self, field)

    def is_open_on(self, day: dt.date) -> bool:
        return self.published_at is not None and self.acceptance_starts_on <= day <= self.acceptance_ends_on


class Application(PublicIdModel):
    """E-3: appendix 1, the application for inclusion in the registry, with the declared data."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted: documents being checked")
        DOCUMENTS_REFUSED = "documents_refused", _("documents not accepted")
        TESTING = "testing", _("admitted to testing")
        REFUSED = "refused", _("refused inclusion")
        INCLUDED = "included", _("included in the registry")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Specialty(models.TextChoices):
        GENERAL_MEDICINE = "general_medicine", _("general medicine")
        MEDICAL_CARE = "medical_care", _("medical care (лечебное дело)")
        PAEDIATRICS = "paediatrics", _("paediatrics")
        OTHER = "other", _("another specialty")

    announcement = models.ForeignKey(
        Announcement, verbose_name=_("announcement"), on_delete=models.PROTECT, related_name="applications"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="expert_applications"
    )
    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    # appendix 1
    residence_address = models.CharField(_("residence address"), max_length=300)
    nosology_groups = models.ManyToManyField(
        "nosology.NosologyGroup", verbose_name=_("nosological forms"), related_name="expert_applications"
    )
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=24)
    consent = models.ForeignKey(
        "consent.Consent", verbose_name=_("consent"), on_delete=models.PROTECT, related_name="+"
    )
    tariff_accepted = models.BooleanField(_("tariff and terms of pay accepted"))
    warned_false_information = models.BooleanField(_("warned of liability for false information"))
    warned_equipment = models.BooleanField(_("warned to provide own computer and internet"))
    # declared data for points 5 and 7 (checked by ``services.applications.declared_data_problems``)
    diploma_specialty = models.CharField(_("diploma specialty"), max_length=20, choices=Specialty.choices)
    diploma_foreign = models.BooleanField(_("diploma issued abroad"), default=False)
    certificate_specialty = models.CharField(_("specialist certificate: specialty"), max_length=200)
    certificate_number = models.CharField(_("specialist certificate: number"), max_length=64)
    mse_experience_months = models.PositiveIntegerField(_("work in MSE departments (months)"), default=0)
    training_hours_last_5_years = models.PositiveIntegerField(_("MSE training in the last 5 years (hours)"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"))
    # E-5: the notice of admission to testing (or of a retake) and the day the test must be taken by.
    test_notified_on = models.DateField(_("test notice received on"), null=True, blank=True)
    test_deadline = models.DateField(_("test to be taken by (inclusive)"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # E-4, E-5, E-6: the codes of the grounds of a refusal (``services.notices.refusal_ground_text``).
    refusal_grounds = models.JSONField(_("grounds of refusal"), default=list, blank=True)

    class Meta:
        verbose_name = _("application of a candidate expert")
        verbose_name_plural = _("applications of candidate experts")
        ordering = ["-submitted_at"]
        constraints = [
            # one live application per IIN (the person) per announcement
            models.UniqueConstraint(
                fields=["announcement", "person"],
                condition=~Q(status__in=["documents_refused", "refused", "withdrawn"]),
                name="expert_application_one_live_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.full_name} · {self.get_status_display()}"


class ApplicationDocument(PublicIdModel):
    """What the candidate uploads where state systems lack E-3's (1)-(4); stored privately."""

    class Kind(models.TextChoices):
        DIPLOMA = "diploma", _("(1) diploma of higher medical education")
        RECOGNITION = "recognition", _("(1) recognition or nostrification of a foreign diploma")
        EMPLOYMENT = "employment", _("(2) proof of continuous work experience")
        CERTIFICATE = "certificate", _("(3) specialist certificate")
        TRAINING = "training", _("(4) MSE training of at least 60 hours")

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    file = models.FileField(_("file"), storage=private_storage, upload_to="applications/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("uploaded document")
        verbose_name_plural = _("uploaded documents")
        ordering = ["application", "kind"]

    def __str__(self) -> str:
        return self.get_kind_display()


class CabinetMessage(PublicIdModel):
    """A message in the candidate's cabinet (E-4, E-5), in the three languages."""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="expert_messages"
    )
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="messages"
    )
    text_kk = models.TextField(_("text (Kazakh)"))
    text_ru = models.TextField(_("text (Russian)"))
    text_en = models.TextField(_("text (English)"))

    class Meta:
        verbose_name = _("cabinet message")
        verbose_name_plural = _("cabinet messages")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text_ru[:60]

    @property
    def text(self) -> str:
        return in_language(self, "text")


class Question(TimeStampedModel):
    """E-5: a test question in Kazakh and Russian with its options; ``correct`` is the index of the right one."""

    text_kk = models.TextField(_("question (Kazakh)"))
    text_ru = models.TextField(_("question (Russian)"))
    options_kk = models.JSONField(_("options (Kazakh), a list"))
    options_ru = models.JSONField(_("options (Russian), a list"))
    correct = models.PositiveSmallIntegerField(_("number of the right option (from 0)"))
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("test question")
        verbose_name_plural = _("test questions")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text_ru[:80]

    def options(self, language: str) -> list[str]:
        value = self.options_kk if language == "kk" and self.options_kk else self.options_ru
        return [str(v) for v in value]

    def text(self, language: str) -> str:
        return self.text_kk if language == "kk" and self.text_kk else self.text_ru


class TestAttempt(PublicIdModel):
    """E-5: one test session: the drawn questions, the server's clock and score, the proctoring conclusion."""

    class Proctoring(models.TextChoices):
        PENDING = "pending", _("awaiting the proctoring conclusion")
        POSITIVE = "positive", _("positive")
        NEGATIVE = "negative", _("negative")
        TECHNICAL_FAILURE = "technical_failure", _("technical failure of state systems (documented)")

    class Result(models.TextChoices):
        PENDING = "pending", _("pending")
        PASSED = "passed", _("passed")
        FAILED = "failed", _("failed")
        TECHNICAL_FAILURE = "technical_failure", _("not counted: technical failure")

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="attempts"
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    language = models.CharField(_("language"), max_length=2)
    question_ids = models.JSONField(_("questions drawn"))
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    started_at = models.DateTimeField(_("started at"))
    ends_at = models.DateTimeField(_("time runs out at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    correct_count = models.PositiveSmallIntegerField(_("right answers"), null=True, blank=True)
    question_count = models.PositiveSmallIntegerField(_("questions"))
    proctoring = models.CharField(
        _("proctoring"), max_length=20, choices=Proctoring.choices, default=Proctoring.PENDING
    )
    proctoring_document = models.CharField(
        _("act of the technical failure"), max_length=200, blank=True, help_text=_("Its number and date.")
    )
    proctoring_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proctoring recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    result = models.CharField(_("result"), max_length=20, choices=Result.choices, default=Result.PENDING)
    result_at = models.DateTimeField(_("result at"), null=True, blank=True)

    class Meta:
        verbose_name = _("test session")
        verbose_name_plural = _("test sessions")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="test_attempt_number_unique"),
            # E-5: the test and one retake, no more.
            models.CheckConstraint(condition=Q(number__in=[1, 2]), name="test_attempt_at_most_two"),
        ]

    def __str__(self) -> str:
        return f"#{self.number} · {self.get_result_display()}"

    @property
    def percent(self) -> int | None:
        if self.correct_count is None or not self.question_count:
            return None
        return self.correct_count * 100 // self.question_count


# --- E-3, E-6, E-7: the state checks of an application, the contract, state events -------------------
# Kept apart from the classes above: each is a separate concern with its own migration.


class StateDocumentCheck(TimeStampedModel):
    """E-3: one of the seven documents of point 7 asked of a state system for an application.

    ``outcome`` is the port's answer: ``found`` or ``not_found`` are answers; ``pending`` (never
    asked yet) and ``unavailable`` (the system did not answer) stay open and are asked again by the
    beat ``expert_registry.state_checks_retry``. ``verdict`` is what the answer means for the
    application: ``ok``, ``upload`` (a missing (1)-(4): the candidate uploads it), ``not_needed``
    ((4) with more than 5 years in MSE) or a refusal ground of E-4.
    """

    class Document(models.TextChoices):
        DIPLOMA = "diploma", _("(1) diploma of higher medical education")
        EMPLOYMENT = "employment", _("(2) continuous work experience")
        CERTIFICATE = "certificate", _("(3) specialist certificate")
        TRAINING = "training", _("(4) MSE training of at least 60 hours in the last 5 years")
        PSYCHIATRIC = "psychiatric", _("(5) psychiatric registry")
        NARCOLOGICAL = "narcological", _("(6) narcological registry")
        CRIMINAL = "criminal", _("(7) criminal record")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("not asked yet")
        FOUND = "found", _("found")
        NOT_FOUND = "not_found", _("no record")
        UNAVAILABLE = "unavailable", _("the system did not answer: asked again later")

    class Verdict(models.TextChoices):
        PENDING = "pending", _("pending")
        OK = "ok", _("confirmed")
        UPLOAD = "upload", _("not in the state systems: upload a copy")
        UPLOADED = "uploaded", _("copy uploaded: checked by the Committee")
        NOT_NEEDED = "not_needed", _("not needed")
        EXPIRED = "incomplete_or_expired", _("expired or incomplete")
        DISQUALIFYING = "disqualifying_information", _("disqualifying information (point 6)")
        NO_PROOF = "missing_proof", _("does not prove the requirement")

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="state_checks"
    )
    document = models.CharField(_("document"), max_length=16, choices=Document.choices)
    system = models.CharField(_("state system"), max_length=64)
    outcome = models.CharField(_("answer"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    verdict = models.CharField(_("verdict"), max_length=32, choices=Verdict.choices, default=Verdict.PENDING)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    upload_kind = models.CharField(
        _("copy to upload"), max_length=16, choices=ApplicationDocument.Kind.choices, blank=True
    )
    facts = models.JSONField(_("facts read from the answer"), default=dict, blank=True)
    reference = models.CharField(_("gateway reference"), max_length=80, blank=True)
    asked_count = models.PositiveIntegerField(_("times asked"), default=0)
    asked_at = models.DateTimeField(_("last asked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("state check of a document")
        verbose_name_plural = _("state checks of documents")
        ordering = ["application", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "document"], name="state_check_one_per_document"),
        ]

    def __str__(self) -> str:
        return f"{self.get_document_display()}: {self.get_verdict_display()}"

    @property
    def is_open(self) -> bool:
        return self.outcome in (self.Outcome.PENDING, self.Outcome.UNAVAILABLE)


class ExpertContract(PublicIdModel):
    """E-6: the contract an included doctor signs with their EDS within 3 working days of inclusion."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting the doctor's signature")
        SIGNED = "signed", _("signed")
        REFUSED = "refused", _("not signed in time: refused")

    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="contract"
    )
    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="contracts")
    content = models.TextField(_("text signed (canonical)"))
    included_on = models.DateField(_("included on"))
    sign_by = models.DateField(_("to be signed by (inclusive)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signature = models.TextField(_("signature (CMS, base64)"), blank=True)
    verification = models.ForeignKey(
        "signatures.SignatureVerification",
        verbose_name=_("verification"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    refused_at = models.DateTimeField(_("refused at"), null=True, blank=True)

    class Meta:
        verbose_name = _("contract of an expert")
        verbose_name_plural = _("contracts of experts")
        ordering = ["-included_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="signed") | Q(signed_at__isnull=False, verification__isnull=False),
                name="expert_contract_signed_has_signature",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} · {self.get_status_display()}"

    @property
    def content_bytes(self) -> bytes:
        return self.content.encode("utf-8")

    @property
    def person_id(self) -> int:
        """The doctor's person id, for the admin's access log (X-9)."""
        return int(self.application.person_id)


class ExpertStateEvent(TimeStampedModel):
    """E-7 (2)-(4): what a state system said about an expert that excludes them, as received.

    One row per (expert, ground): the poll (``services.exclusion.experts_state_events_poll``) asks
    again every day, and a repeat answer changes nothing.
    """

    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="state_events")
    ground = models.PositiveSmallIntegerField(_("ground of exclusion"), choices=Expert.ExclusionGround.choices)
    system = models.CharField(_("state system"), max_length=64)
    event_date = models.DateField(_("date of the event"))
    evidence = models.CharField(_("evidence"), max_length=300)
    reference = models.CharField(_("gateway reference"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("state event about an expert")
        verbose_name_plural = _("state events about experts")
        ordering = ["-event_date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["expert", "ground"], name="expert_state_event_one_per_ground"),
        ]

    def __str__(self) -> str:
        return f"{self.get_ground_display()} · {self.event_date:%d.%m.%Y}"

    @property
    def person_id(self) -> int:
        """The expert's person id, for the admin's access log (X-9)."""
        return int(self.expert.person_id)


# --- E-10, E-11, E-12: evaluation, price table, training and equipment ------------------------------


class EvaluationFormula(TimeStampedModel):
    """E-10: one version of the evaluation formula ([A] the act does not publish it).

    score = (w_t x timeliness + w_q x quality + w_v x volume) / (sum of the weights of the parts that
    can be measured), each part a percentage:

    - timeliness = decisions made by their due time / decisions made in the period x 100;
    - quality = conclusions upheld by methodology control / conclusions reviewed x 100
      (of the decisions made in the period);
    - volume = decisions made in the period / the planned indicator of the contract x 100, at most
      ``volume_cap`` (the planned indicator for a year is the monthly one x the months of the period).

    A part whose denominator is zero (nothing decided, nothing reviewed, no planned indicator) is left
    out and the other weights count in full; with nothing to measure the score is empty. Every share and
    the score are rounded to 0.01 percentage point, half up. A version applies to the periods starting
    on or after ``valid_from`` until a later version; a version with results is frozen (a change is a
    new version), so each result keeps the formula that made it.
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    valid_from = models.DateField(_("applies to periods starting on or after"))
    weight_timeliness = models.DecimalField(_("weight of timeliness"), max_digits=5, decimal_places=2)
    weight_quality = models.DecimalField(_("weight of quality"), max_digits=5, decimal_places=2)
    weight_volume = models.DecimalField(_("weight of volume"), max_digits=5, decimal_places=2)
    volume_cap = models.DecimalField(
        _("volume counted up to (%)"),
        max_digits=6,
        decimal_places=2,
        default=100,
        help_text=_("Cases beyond the plan add nothing past this share."),
    )
    explanation_kk = models.TextField(_("explanation for the doctor (Kazakh)"))
    explanation_ru = models.TextField(_("explanation for the doctor (Russian)"))
    explanation_en = models.TextField(_("explanation for the doctor (English)"))

    class Meta:
        verbose_name = _("evaluation formula")
        verbose_name_plural = _("evaluation formulas")
        ordering = ["-valid_from", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_timeliness__gte=0, weight_quality__gte=0, weight_volume__gte=0),
                name="evaluation_formula_weights_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(weight_timeliness__gt=0) | Q(weight_quality__gt=0) | Q(weight_volume__gt=0),
                name="evaluation_formula_some_weight",
            ),
            models.CheckConstraint(condition=Q(volume_cap__gt=0), name="evaluation_formula_volume_cap_positive"),
        ]

    def __str__(self) -> str:
        return f"v{self.version} ({self.valid_from:%d.%m.%Y})"

    @property
    def explanation(self) -> str:
        return in_language(self, "explanation")


class EvaluatedResultManager(models.Manager["EvaluationResult"]):
    """The results the monthly or yearly run computed: an open month's row (``computed_at`` empty) is
    not a result yet, so no page, API, report, price table or formula freeze sees it."""

    def get_queryset(self) -> models.QuerySet[EvaluationResult]:
        return super().get_queryset().filter(computed_at__isnull=False)


class EvaluationResult(PublicIdModel):
    """E-10: one expert's evaluation for a month or a year, with its inputs and the formula version.

    A month's row is opened (``computed_at`` empty, counts zero, the formula valid on the month's first
    day) by the work record of the expert's first case received or decided in that month
    (``services.evaluation.evaluation_months_open``), and the run on the 1st of the next month fills it
    in place: the rows are written while the month's cases come in, not all at once by the run.
    ``objects`` shows computed results only; ``all_rows`` (the evaluation's own) shows open rows too.
    """

    class Period(models.TextChoices):
        MONTH = "month", _("month")
        YEAR = "year", _("year")

    # no index of its own: the unique constraint (expert, period, period_start) leads with it; one index
    # fewer to maintain for each of the thousands of rows the monthly statement writes (E-10)
    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="evaluations", db_index=False
    )
    # nothing reads results by creation time: without the base's index on it (E-10, as above)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    period = models.CharField(_("period"), max_length=5, choices=Period.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to (inclusive)"))
    # no index either: only the formula admin's freeze check (``results.exists()``) reads by formula
    formula = models.ForeignKey(
        EvaluationFormula,
        verbose_name=_("formula"),
        on_delete=models.PROTECT,
        related_name="results",
        db_index=False,
    )
    # inputs, all from WorkRecord (and the plan of the contract)
    received = models.PositiveIntegerField(_("cases received"))
    decided = models.PositiveIntegerField(_("cases decided"))
    decided_on_time = models.PositiveIntegerField(_("decided on time"))
    reviewed = models.PositiveIntegerField(_("reviewed by methodology control"))
    upheld = models.PositiveIntegerField(_("upheld by methodology control"))
    planned = models.PositiveIntegerField(_("planned indicator"), null=True, blank=True)
    # the parts and the score, percentages rounded half up to 0.01
    timeliness = models.DecimalField(_("timeliness (%)"), max_digits=6, decimal_places=2, null=True, blank=True)
    quality = models.DecimalField(_("quality (%)"), max_digits=6, decimal_places=2, null=True, blank=True)
    volume = models.DecimalField(_("volume (%)"), max_digits=6, decimal_places=2, null=True, blank=True)
    score = models.DecimalField(_("score (%)"), max_digits=6, decimal_places=2, null=True, blank=True)
    # empty while the month is open (not evaluated yet)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)

    objects = EvaluatedResultManager()
    all_rows = models.Manager()

    class Meta:
        verbose_name = _("evaluation result")
        verbose_name_plural = _("evaluation results")
        ordering = ["-period_start", "expert"]
        constraints = [
            # a run repeated never doubles a result: it updates the one row
            models.UniqueConstraint(fields=["expert", "period", "period_start"], name="evaluation_one_per_period"),
            models.CheckConstraint(
                condition=Q(decided_on_time__lte=F("decided")) & Q(upheld__lte=F("reviewed")),
                name="evaluation_inputs_consistent",
            ),
        ]
        indexes = [models.Index(fields=["period", "period_start"], name="evaluation_period_idx")]

    def __str__(self) -> str:
        return f"{self.expert_id} · {self.period_start:%m.%Y} · {self.score}"


class Tariff(TimeStampedModel):
    """E-11: the tariff for one service of a doctor-expert for a year (tenge), as the Committee set it."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    amount = models.DecimalField(_("tariff for one service (tenge)"), max_digits=12, decimal_places=2)
    basis = models.CharField(_("basis (the decision that set it)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tariff of a doctor-expert's service")
        verbose_name_plural = _("tariffs of a doctor-expert's service")
        ordering = ["-year"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="tariff_amount_positive")]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"


class Training(TimeStampedModel):
    """E-12: training in the CBDI system in the expert's first month, or a consultation later."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("training in the CBDI system")
        CONSULTATION = "consultation", _("consultation")

    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="trainings")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TRAINING)
    held_on = models.DateField(_("held on"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    topic = models.CharField(_("topic"), max_length=300)
    given_by = models.CharField(_("given by"), max_length=200, help_text=_("The Committee or the Centre's trainer."))

    class Meta:
        verbose_name = _("training or consultation")
        verbose_name_plural = _("trainings and consultations")
        ordering = ["expert", "held_on"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="training_hours_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.held_on:%d.%m.%Y}"


class ModemLoan(PublicIdModel):
    """E-12: a USB modem lent to an expert for CBDI access: issued, due back, returned."""

    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="modem_loans")
    serial_number = models.CharField(_("modem serial number"), max_length=64)
    issued_on = models.DateField(_("issued on"))
    due_back_on = models.DateField(_("to be returned by (inclusive)"))
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("USB modem loan")
        verbose_name_plural = _("USB modem loans")
        ordering = ["-issued_on"]
        constraints = [
            # one modem is with one expert at a time
            models.UniqueConstraint(
                fields=["serial_number"], condition=Q(returned_on__isnull=True), name="modem_loan_one_open_per_modem"
            ),
            models.CheckConstraint(condition=Q(due_back_on__gte=F("issued_on")), name="modem_loan_due_after_issue"),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(returned_on__gte=F("issued_on")),
                name="modem_loan_returned_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.serial_number} · {self.issued_on:%d.%m.%Y}"

    def is_overdue_on(self, day: dt.date) -> bool:
        """Not returned and the last day to return it has passed."""
        return self.returned_on is None and self.due_back_on < day
