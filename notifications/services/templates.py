"""Editing SMS templates: every change is validated and versioned."""

from __future__ import annotations

from django.db import transaction

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
    template = Template.objects.select_for_update().get(pk=template.pk)
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
