"""Editing SMS templates: every change is validated and versioned."""

from __future__ import annotations

from django.db import transaction

from notifications import locks
from notifications.models import LANGUAGES, Template, TemplateVersion


def template_version_record(*, template: Template, edited_by=None) -> TemplateVersion:
    return TemplateVersion.objects.create(
        template=template,
        version=template.version,
        text_kk=template.text_kk,
        text_ru=template.text_ru,
        text_en=template.text_en,
        edited_by=edited_by,
    )


@transaction.atomic
def template_update(*, template: Template, texts: dict[str, str], edited_by=None) -> Template:
    """Change a template's texts (``{"kk": .., "ru": .., "en": ..}``, any subset).

    Refused (Django ``ValidationError``, per language field) when a text drops a required
    placeholder or uses an unknown one. A real change bumps the version and keeps a snapshot;
    messages already written keep the text and version they were rendered with.
    """
    template = locks.template_for_update(template.pk)
    changed = False
    for language, text in texts.items():
        if language not in LANGUAGES:
            continue
        if getattr(template, f"text_{language}") != text:
            setattr(template, f"text_{language}", text)
            changed = True
    if not changed:
        return template
    template.full_clean()
    template.version += 1
    template.save()
    template_version_record(template=template, edited_by=edited_by)
    return template


def templates_seed(*, templates: list[dict], apps=None) -> list[str]:
    """Create the templates that do not exist yet; return the keys created.

    What an app's data migration calls with its own texts (``apps`` is the migration's registry, so
    the historical models are used). Each entry: ``key``, ``name``, ``rule``, ``placeholders``,
    ``kk``, ``ru``, ``en`` and optionally ``urgent``, ``sensitive``. A template that exists is left
    as it is: staff may have edited it in the admin, and their version wins.
    """
    template_model = apps.get_model("notifications", "Template") if apps else Template
    version_model = apps.get_model("notifications", "TemplateVersion") if apps else TemplateVersion
    created_keys = []
    with transaction.atomic():
        for data in templates:
            template, created = template_model.objects.get_or_create(
                key=data["key"],
                defaults={
                    "name": data["name"],
                    "rule": data["rule"],
                    "placeholders": data["placeholders"],
                    "urgent": data.get("urgent", False),
                    "sensitive": data.get("sensitive", False),
                    "text_kk": data["kk"],
                    "text_ru": data["ru"],
                    "text_en": data["en"],
                    "version": 1,
                },
            )
            if created:
                version_model.objects.create(
                    template=template, version=1, text_kk=data["kk"], text_ru=data["ru"], text_en=data["en"]
                )
                created_keys.append(data["key"])
    return created_keys


def templates_unseed(*, keys: list[str], apps=None) -> None:
    """Remove the given templates that never sent a message (a seeding migration's reverse)."""
    template_model = apps.get_model("notifications", "Template") if apps else Template
    template_model.objects.filter(key__in=keys, messages__isnull=True).delete()
