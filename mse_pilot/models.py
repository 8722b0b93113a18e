"""The proactive remote MSE pilot (act 001, joint order No. 168 / 56 / 292/НҚ of June 2025).

- ``PilotWindow``: when the act is in force (P-1: ten calendar days after its first official
  publication, for twelve months), as data.
- ``RolloutStart``: from which day the medical organisations of a region on a MIS vendor send their
  forms 031/u to the pilot (appendix 1 to the order), as data; the act's merged cells are ambiguous,
  so each row says how it was read.
- ``MandatoryExamination``: P-3's mandatory examinations of each nosological form, with the codes
  the MIS sends.
- ``RoutingDecision``: for every routed referral, whether it went to the pilot and why (P-1, P-2).
- ``IntakeRefusal``: an anonymous count of a form refused for a missing mandatory examination (P-4),
  for the monthly report (X-7).
- ``RemoteCase``: the draft MSE act formed from a referral routed to the pilot, on the waiting list
  (P-6), with its arrival time and due time (P-7).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.models import PublicIdModel, TimeStampedModel, in_language
from portal.referrals.models import MisVendor
from portal.validators import validate_kato


class PilotWindow(TimeStampedModel):
    """P-1: the days the act is in force. Several rows (an extension, a new order) each open a window."""

    name = models.CharField(_("name"), max_length=300)
    order_reference = models.CharField(_("order"), max_length=300, blank=True)
    last_signed_on = models.DateField(_("last signature"), null=True, blank=True)
    published_on = models.DateField(
        _("first official publication"),
        null=True,
        blank=True,
        help_text=_("The act is in force ten calendar days after the day of its first official publication."),
    )
    starts_on = models.DateField(_("in force from"))
    ends_on = models.DateField(_("in force until (inclusive)"))
    assumed = models.BooleanField(
        _("dates assumed"),
        default=False,
        help_text=_("The dates are not the act's own: they are assumed until the publication is confirmed."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("pilot window")
        verbose_name_plural = _("pilot windows")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="mse_pilot_window_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y})"

    def is_open_on(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class RolloutStart(TimeStampedModel):
    """P-1: from ``starts_on`` the medical organisations of the region on the vendor's MIS take part.

    An empty vendor is every vendor of the region not named in a row of its own. The region is the
    KATO code of the organisation's region (``MedicalOrganisation.region.kato``).
    """

    region_kato = models.CharField(_("region KATO code"), max_length=9, validators=[validate_kato])
    region_name = models.CharField(_("health department as the act names it"), max_length=300)
    mis_vendor = models.CharField(
        _("MIS vendor"),
        max_length=16,
        choices=MisVendor.choices,
        blank=True,
        help_text=_("Empty: every vendor of the region without a row of its own."),
    )
    starts_on = models.DateField(_("takes part from"))
    ambiguous = models.BooleanField(
        _("ambiguous in the act"),
        default=False,
        help_text=_("The act's table leaves this date open to more than one reading: see the note."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("rollout start")
        verbose_name_plural = _("rollout starts")
        ordering = ["region_kato", "mis_vendor"]
        constraints = [
            models.UniqueConstraint(fields=["region_kato", "mis_vendor"], name="mse_pilot_rollout_one_per_vendor"),
        ]

    def __str__(self) -> str:
        return f"{self.region_name} · {self.get_mis_vendor_display() or '*'} · {self.starts_on:%d.%m.%Y}"


class MandatoryExamination(TimeStampedModel):
    """P-3: an examination form 031/u must carry for a nosological form (appendix 2 to the algorithm)."""

    class Requirement(models.TextChoices):
        ALWAYS = "always", _("always")
        IF_AVAILABLE = "if_available", _("if there is one (not refused when absent)")
        IF_SURGICAL = "if_surgical", _("for a surgical amputation (not refused when absent)")

    group = models.ForeignKey(
        "nosology.NosologyGroup",
        verbose_name=_("nosological form"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    code = models.CharField(_("code the MIS sends"), max_length=64)
    also_accepted = models.CharField(
        _("other codes accepted for it"),
        max_length=300,
        blank=True,
        help_text=_('Comma-separated: an "and/or" examination is present when any of these codes is sent.'),
    )
    title_kk = models.CharField(_("title (Kazakh)"), max_length=500)
    title_ru = models.CharField(_("title (Russian)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    at_diagnosis = models.BooleanField(
        _("at diagnosis"), default=False, help_text=_("The act asks for it when the diagnosis is established.")
    )
    requirement = models.CharField(
        _("required"), max_length=16, choices=Requirement.choices, default=Requirement.ALWAYS
    )
    position = models.PositiveSmallIntegerField(_("position in the act's list"), default=0)

    class Meta:
        verbose_name = _("mandatory examination")
        verbose_name_plural = _("mandatory examinations")
        ordering = ["group__number", "position"]
        constraints = [
            models.UniqueConstraint(fields=["group", "code"], name="mse_pilot_exam_code_once_per_group"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    @property
    def title(self) -> str:
        return in_language(self, "title")

    def accepted_codes(self) -> set[str]:
        return {self.code, *(c.strip() for c in self.also_accepted.split(",") if c.strip())}


class RoutingDecision(TimeStampedModel):
    """P-1, P-2: whether a referral went to the remote pilot, and why; one per routed referral."""

    class Reason(models.TextChoices):
        PILOT = "pilot", _("nosological form of the pilot, region and MIS taking part")
        NO_NOSOLOGY = "no_nosology", _("diagnosis not in the pilot's nosological forms")
        ADULT = "adult", _("the form is for children and the person was 18 or older when the form was signed")
        OUTSIDE_WINDOW = "outside_window", _("signed outside the days the pilot is in force")
        NOT_STARTED = "not_started", _("the region and MIS of the medical organisation have not started the pilot")

    referral = models.OneToOneField(
        "referrals.Referral",
        verbose_name=_("referral"),
        on_delete=models.CASCADE,
        related_name="mse_pilot_decision",
    )
    # the referral's person, kept on the row for the staff scoping and the access log
    person = models.ForeignKey("people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    remote = models.BooleanField(_("to the remote pilot"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    nosology_group = models.ForeignKey(
        "nosology.NosologyGroup",
        verbose_name=_("nosological form"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_on = models.DateField(_("day the rules were read for (signing day)"))
    region_kato = models.CharField(_("region KATO code"), max_length=9, blank=True)
    mis_vendor = models.CharField(_("MIS vendor"), max_length=16, blank=True)
    rollout = models.ForeignKey(
        RolloutStart,
        verbose_name=_("rollout row applied"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    details = models.TextField(_("details"), blank=True)
    rule_version = models.CharField(_("rule version"), max_length=40)

    class Meta:
        verbose_name = _("routing decision")
        verbose_name_plural = _("routing decisions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.get_reason_display()}"


class IntakeRefusal(models.Model):
    """P-4, X-7: one mandatory examination missing from a form the intake refused, counted for the
    monthly report. Anonymous by design: no person, no referral, no organisation, no time of day
    (only the day), no place finer than the department serving the person, so a row cannot be traced
    back to a form; the refused referral itself is not stored (P-4). Written once, after the
    intake's transaction rolled back, one row per missing examination of the refusal; never changed."""

    day = models.DateField(_("day of the refusal"))
    nosology_group = models.ForeignKey(
        "nosology.NosologyGroup", verbose_name=_("nosological form"), on_delete=models.PROTECT, related_name="+"
    )
    # of the medical organisation that signed the form
    region = models.ForeignKey("territory.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    mis_vendor = models.CharField(_("MIS vendor"), max_length=16, choices=MisVendor.choices)
    integrator = models.ForeignKey(
        "accounts.Integrator", verbose_name=_("integrator"), on_delete=models.PROTECT, related_name="+"
    )
    examination_code = models.CharField(_("missing examination (code)"), max_length=64)
    # The department serving the examined person's registration unit on the day, so that a
    # department's report counts the refusals of the people it serves; no finer place is kept. Null:
    # a person without registration, a unit no department serves, or a row counted before this was
    # recorded (those rows have no person to read it from).
    department = models.ForeignKey(
        "territory.MseDepartment",
        verbose_name=_("department serving the person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("intake refusal for a missing examination")
        verbose_name_plural = _("intake refusals for a missing examination")
        ordering = ["-day"]
        indexes = [models.Index(fields=["day", "region"], name="mse_pilot_refusal_day_region")]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.examination_code}"


class Role(models.TextChoices):
    """A seat on a panel: the registry's positions (``expert_registry``'s ``Expert.Position`` values)."""

    EXPERT_HEAD = "expert_head", _("expert-head of an MSE department")
    CHIEF_SPECIALIST = "chief_specialist", _("chief specialist of an MSE department")
    DOCTOR_EXPERT = "doctor_expert", _("doctor-expert")


class Programme(TimeStampedModel):
    """P-6, E-8: a pilot whose draft acts are distributed to a panel, with its own dates, as data.

    The case's programme is the one in force on the day of distribution that covers its nosological
    form (no form listed: every form), the lowest ``priority`` first."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    order_reference = models.CharField(_("order"), max_length=500, blank=True)
    starts_on = models.DateField(_("distributes from"))
    ends_on = models.DateField(_("distributes until (inclusive)"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority (lower first)"), default=100)
    nosology_groups = models.ManyToManyField(
        "nosology.NosologyGroup",
        verbose_name=_("nosological forms"),
        blank=True,
        related_name="+",
        help_text=_("Empty: every nosological form of the pilot."),
    )
    assumed = models.BooleanField(_("dates assumed"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("distribution programme")
        verbose_name_plural = _("distribution programmes")
        ordering = ["priority", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="mse_pilot_programme_ordered"
            ),
        ]

    def __str__(self) -> str:
        return in_language(self, "name")

    @property
    def name(self) -> str:
        return in_language(self, "name")


class ProgrammeSeat(TimeStampedModel):
    """P-6, E-8: how many members of a role a programme's panel has, and on which days (E-8: the
    doctor-expert only until 30 November inclusive)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="seats"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    count = models.PositiveSmallIntegerField(_("members"), default=1)
    from_on = models.DateField(_("from (inclusive)"), null=True, blank=True)
    until_on = models.DateField(_("until (inclusive)"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("order on the panel"), default=0)

    class Meta:
        verbose_name = _("panel seat")
        verbose_name_plural = _("panel seats")
        ordering = ["programme", "position"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "role"], name="mse_pilot_seat_one_per_role"),
            models.CheckConstraint(condition=Q(count__gte=1), name="mse_pilot_seat_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code}: {self.get_role_display()} × {self.count}"

    def is_open_on(self, day: dt.date) -> bool:
        return (self.from_on is None or self.from_on <= day) and (self.until_on is None or day <= self.until_on)


class RemoteCase(PublicIdModel):
    """P-6: the draft MSE act formed from a referral routed to the pilot, on the waiting list."""

    class Stage(models.TextChoices):
        WAITING = "waiting", _("draft act on the waiting list")
        ASSIGNED = "assigned", _("distributed to the panel")
        METHODOLOGY = "methodology", _("at the methodology department")
        DECIDED = "decided", _("decided, the act is being registered")
        REGISTERED = "registered", _("act registered")

    referral = models.OneToOneField(
        "referrals.Referral",
        verbose_name=_("referral"),
        on_delete=models.PROTECT,
        related_name="mse_pilot_case",
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="mse_pilot_cases"
    )
    nosology_group = models.ForeignKey(
        "nosology.NosologyGroup", verbose_name=_("nosological form"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.WAITING)
    received_at = models.DateTimeField(_("draft act received at"), db_index=True)
    due_at = models.DateTimeField(_("decision due by"))
    due_reading = models.CharField(_("reading of the term applied"), max_length=16)
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # P-6: a draft act no eligible expert could take stays waiting; staff see the flag until a run assigns it.
    no_expert_since = models.DateTimeField(_("waiting for an eligible expert since"), null=True, blank=True)
    no_expert_reason = models.TextField(_("why no expert could take it"), blank=True)
    # E-8 [A]: the outcome of the panel: the conclusion the act follows, or why methodology decides
    deciding_conclusion = models.ForeignKey(
        "mse_pilot.Conclusion",
        verbose_name=_("conclusion the act follows"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    methodology_since = models.DateTimeField(_("at the methodology department since"), null=True, blank=True)
    methodology_reason = models.TextField(_("why the methodology department decides"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by (methodology staff)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # P-8: the act registered in the core's register
    act = models.OneToOneField(
        "acts.MseAct",
        verbose_name=_("registered act"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mse_pilot_case",
    )
    act_error = models.TextField(_("why the act is not registered yet"), blank=True)

    class Meta:
        verbose_name = _("remote case (draft MSE act)")
        verbose_name_plural = _("remote cases (draft MSE acts)")
        # the waiting list is served in arrival order
        ordering = ["received_at", "pk"]

    def __str__(self) -> str:
        return f"{self.public_id} · {self.get_stage_display()}"


class PanelAssignment(TimeStampedModel):
    """P-6, E-8: one member of a case's panel; E-9: a member replaced when excluded or incapacitated.

    ``reason`` keeps why this expert: the candidates with their loads, the rule version. The expert's
    workspace (conclusions, signing) builds on the open assignments."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("assigned")
        DONE = "done", _("conclusion given")
        DECLINED = "declined", _("declined")
        REDISTRIBUTED = "redistributed", _("taken away and redistributed (E-9)")

    case = models.ForeignKey(RemoteCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="panel")
    # the case's person, kept on the row for the staff scoping and the access log
    person = models.ForeignKey("people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    expert = models.ForeignKey(
        "expert_registry.Expert", verbose_name=_("expert"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    seat = models.PositiveSmallIntegerField(_("seat of the role"), default=1)
    assigned_at = models.DateTimeField(_("sent to the expert at"))
    due_at = models.DateTimeField(_("conclusion due by"), db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ASSIGNED)
    status_at = models.DateTimeField(_("status since"), null=True, blank=True)
    redistributed_from = models.ForeignKey(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.JSONField(_("why this expert"), default=dict)
    rule_version = models.CharField(_("rule version"), max_length=60)
    due_soon_sms_at = models.DateTimeField(_("due-soon SMS sent at"), null=True, blank=True)
    decline_reason = models.TextField(_("why the expert declined"), blank=True)

    class Meta:
        verbose_name = _("panel assignment")
        verbose_name_plural = _("panel assignments")
        ordering = ["due_at", "pk"]
        constraints = [
            # never two open members in one seat, never one expert twice open on a case
            models.UniqueConstraint(
                fields=["case", "role", "seat"],
                condition=Q(status="assigned"),
                name="mse_pilot_one_open_member_per_seat",
            ),
            models.UniqueConstraint(
                fields=["case", "expert"],
                condition=Q(status="assigned"),
                name="mse_pilot_expert_once_per_case",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="mse_pilot_assign_open_idx")]

    def __str__(self) -> str:
        return f"{self.case.public_id} · {self.get_role_display()} {self.seat}"


class ExpertSlot(models.Model):
    """The distributor's handle on an expert: locked while a run chooses (``locks.py``), so two
    runs at once read each other's loads; keeps when the expert was last given a case."""

    expert = models.OneToOneField(
        "expert_registry.Expert", verbose_name=_("expert"), on_delete=models.CASCADE, related_name="+"
    )
    last_assigned_at = models.DateTimeField(_("last given a case at"), null=True, blank=True)
    last_tick = models.BigIntegerField(_("order within a run"), default=0)

    class Meta:
        verbose_name = _("expert slot")
        verbose_name_plural = _("expert slots")

    def __str__(self) -> str:
        return f"{self.expert_id}"


class Conclusion(PublicIdModel):
    """Item 6, P-8: one panel member's conclusion on a case, signed with their EDS.

    The signature is a CMS over the act's canonical content (``portal.acts.signing``, place
    "remote", the expert as signer) with the conclusion's own annex (reasons, rehabilitation needs,
    the case): the same bytes register the act when this conclusion decides."""

    assignment = models.OneToOneField(
        PanelAssignment, verbose_name=_("assignment"), on_delete=models.PROTECT, related_name="conclusion"
    )
    case = models.ForeignKey(RemoteCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="conclusions")
    # the case's person, kept on the row for the staff scoping and the access log
    person = models.ForeignKey("people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    expert = models.ForeignKey(
        "expert_registry.Expert", verbose_name=_("expert"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "territory.MseDepartment",
        verbose_name=_("MSE department of the act"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("examination"), max_length=8)
    examined_on = models.DateField(_("date of examination"))
    category = models.CharField(_("category"), max_length=5)
    recognised = models.BooleanField(_("recognised as a person with disability"))
    group = models.CharField(_("disability group"), max_length=1, blank=True)
    cause = models.CharField(_("cause"), max_length=24, blank=True)
    term_until = models.DateField(_("established until"), null=True, blank=True)
    without_term = models.BooleanField(_("without a re-examination date"), default=False)
    general_capacity_loss = models.PositiveSmallIntegerField(
        _("degree of loss of general working capacity, %"), null=True, blank=True
    )
    professional_capacity_loss = models.PositiveSmallIntegerField(
        _("degree of loss of professional working capacity, %"), null=True, blank=True
    )
    ipr_social = models.BooleanField(_("social part of the IPR needed"), default=False)
    ipr_professional = models.BooleanField(_("professional part of the IPR needed"), default=False)
    needs_help_and_care = models.BooleanField(_("needs additional help and care"), default=False)
    rehabilitation_needs = models.TextField(_("rehabilitation needs for the IPR"), blank=True)
    reasons = models.TextField(_("reasons"))
    signature = models.TextField(_("signed conclusion (CMS)"))
    signature_verification = models.ForeignKey(
        "signatures.SignatureVerification",
        verbose_name=_("signature verification"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer_iin = models.CharField(_("signer's IIN"), max_length=12)
    signed_at = models.DateTimeField(_("signed at"))
    on_time = models.BooleanField(_("given by the due time"))
    # methodology control (E-10's quality)
    upheld = models.BooleanField(_("upheld by methodology control"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("expert's conclusion")
        verbose_name_plural = _("experts' conclusions")
        ordering = ["signed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case.public_id} · {self.get_decision_display()}"

    def get_decision_display(self) -> str:
        if not self.recognised:
            return str(_("not recognised"))
        return str(_("recognised, group %(group)s") % {"group": self.group})

    def majority_key(self) -> tuple[object, ...]:
        """E-8 [A]: two conclusions agree when they agree on recognition, group, cause and term."""
        return (self.recognised, self.group, self.cause, self.term_until, self.without_term)
