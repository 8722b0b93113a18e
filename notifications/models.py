"""SMS templates (versioned, in kk/ru/en) and the outbox of messages with their status history."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import PublicIdModel, TimeStampedModel

LANGUAGES = ("kk", "ru", "en")
LANGUAGE_NAMES = {"kk": _("Kazakh"), "ru": _("Russian"), "en": _("English")}


class Template(TimeStampedModel):
    """One SMS the portal sends, with its text in each language and the placeholders it needs.

    Every edit bumps ``version`` and leaves a ``TemplateVersion`` snapshot; a message records the
    version it was rendered from.
    """

    key = models.SlugField(_("key"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    rule = models.CharField(_("rule"), max_length=32, blank=True, help_text=_("The SPEC rule that sends it."))
    placeholders = models.JSONField(_("required placeholders"), default=list)
    urgent = models.BooleanField(
        _("urgent"), default=False, help_text=_("Urgent messages are sent during quiet hours too.")
    )
    sensitive = models.BooleanField(
        _("sensitive"), default=False, help_text=_("The text carries a secret (a code): masked in logs and lists.")
    )
    text_kk = models.TextField(_("text (Kazakh)"))
    text_ru = models.TextField(_("text (Russian)"))
    text_en = models.TextField(_("text (English)"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("SMS template")
        verbose_name_plural = _("SMS templates")
        ordering = ["key"]

    def __str__(self):
        return f"{self.key} (v{self.version})"

    def clean(self):
        from notifications.rendering import placeholder_problems

        errors = {}
        for language in LANGUAGES:
            problems = placeholder_problems(getattr(self, f"text_{language}"), self.placeholders)
            if problems:
                errors[f"text_{language}"] = [p % {"language": LANGUAGE_NAMES[language]} for p in problems]
        if errors:
            raise ValidationError(errors)

    def text_for(self, language: str) -> str:
        return getattr(self, f"text_{language}", "") or self.text_ru


class TemplateVersion(models.Model):
    """A snapshot of a template's texts as they were at ``version``."""

    template = models.ForeignKey(
        Template, verbose_name=_("template"), on_delete=models.CASCADE, related_name="versions"
    )
    version = models.PositiveIntegerField(_("version"))
    text_kk = models.TextField(_("text (Kazakh)"))
    text_ru = models.TextField(_("text (Russian)"))
    text_en = models.TextField(_("text (English)"))
    edited_by = models.ForeignKey(
        "accounts.User", verbose_name=_("edited by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")
        ordering = ["template", "-version"]
        constraints = [models.UniqueConstraint(fields=["template", "version"], name="template_version_unique")]

    def __str__(self):
        return f"{self.template.key} v{self.version}"


class Message(PublicIdModel):
    """One SMS in the outbox. Written in the transaction of the change that caused it."""

    class Status(models.TextChoices):
        CREATED = "created", _("created")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent (accepted by the gateway)")
        DELIVERED = "delivered", _("delivered")
        TEMPORARY_FAILURE = "temporary_failure", _("temporary failure (will retry)")
        PERMANENT_FAILURE = "permanent_failure", _("permanent failure")
        TECHNICAL_FAILURE = "technical_failure", _("technical failure (gateway not reached)")

    class Encoding(models.TextChoices):
        GSM7 = "gsm7", "GSM-7"
        UCS2 = "ucs2", "UCS-2"

    template = models.ForeignKey(
        Template, verbose_name=_("template"), on_delete=models.PROTECT, related_name="messages"
    )
    template_version = models.PositiveIntegerField(_("template version"))
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, unique=True)
    recipient = models.ForeignKey(
        "people.Person",
        verbose_name=_("recipient"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sms_messages",
    )
    # The person the message is about: the recipient, or the ward when it goes to their legal
    # representative (then it is sent only while the guardianship lasts, checked at send time).
    subject = models.ForeignKey(
        "people.Person",
        verbose_name=_("about"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # the integrator whose request caused the message (a consent code), if any.
    integrator = models.ForeignKey(
        "accounts.Integrator",
        verbose_name=_("caused by integrator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # E.164 when the number is valid; as given when it is not (then the message is a permanent failure).
    phone = models.CharField(_("phone"), max_length=32)
    language = models.CharField(_("language"), max_length=2)
    text = models.TextField(_("text"))
    encoding = models.CharField(_("encoding"), max_length=4, choices=Encoding.choices)
    segments = models.PositiveSmallIntegerField(_("SMS segments"))
    urgent = models.BooleanField(_("urgent"), default=False)
    department = models.ForeignKey(
        "territory.MseDepartment",
        verbose_name=_("department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sms_messages",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CREATED)
    reason = models.CharField(_("reason of the last failure"), max_length=255, blank=True)
    error_code = models.CharField(_("error code"), max_length=32, blank=True)
    backend = models.CharField(_("backend"), max_length=16, blank=True)
    gateway_id = models.CharField(_("gateway message id"), max_length=64, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # When the next send attempt is due; null when nothing is left to do (sent, final, expired).
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sending_at = models.DateTimeField(_("sending at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    resend_of = models.ForeignKey(
        "self",
        verbose_name=_("resend of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resends",
    )

    class Meta:
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"], name="sms_due_idx", condition=Q(next_attempt_at__isnull=False)
            ),
            models.Index(fields=["phone", "sent_at"], name="sms_phone_sent_idx"),
            models.Index(fields=["status", "created_at"], name="sms_status_idx"),
        ]

    def __str__(self):
        return f"{self.template.key} #{self.pk} [{self.status}]"

    @property
    def is_final(self) -> bool:
        return self.status in (self.Status.DELIVERED, self.Status.PERMANENT_FAILURE) or (
            self.status in SENDABLE_STATUSES and self.next_attempt_at is None
        )


FAILED_STATUSES = (
    Message.Status.TEMPORARY_FAILURE,
    Message.Status.PERMANENT_FAILURE,
    Message.Status.TECHNICAL_FAILURE,
)
# Rows a send attempt may pick up (when their ``next_attempt_at`` is due).
SENDABLE_STATUSES = (Message.Status.CREATED, Message.Status.TEMPORARY_FAILURE, Message.Status.TECHNICAL_FAILURE)


class MessageEvent(models.Model):
    """Every status transition of a message, timestamped: the history staff and integrators read."""

    message = models.ForeignKey(Message, verbose_name=_("message"), on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=20, choices=Message.Status.choices)
    at = models.DateTimeField(_("at"))
    detail = models.CharField(_("detail"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("message event")
        verbose_name_plural = _("message events")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.status} {self.at:%Y-%m-%d %H:%M:%S}"
