from __future__ import annotations

from django import template
from django.db.models import Model

from portal.models import in_language

register = template.Library()


@register.simple_tag
def field_in_language(obj: Model, field: str) -> str:
    """``obj.<field>_<active language>``, the Russian text when that one is empty."""
    return in_language(obj, field)
