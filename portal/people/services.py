"""Writes on people that are not part of another service's workflow."""

from __future__ import annotations

from portal.people.models import Language, Person


def person_language_set(*, person: Person, language: str) -> Person:
    """X-1: the language the person chose on the portal becomes the language of their SMS.

    ``language`` is a page's language code ("kk", "ru", "en"; a regional variant such as "en-us" is
    read as its language); anything else leaves the person's language as it was.
    """
    code = (language or "").lower()[:2]
    if code in Language.values and person.preferred_language != code:
        person.preferred_language = code
        person.save(update_fields=["preferred_language", "updated_at"])
    return person
