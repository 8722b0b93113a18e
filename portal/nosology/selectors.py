"""Reads of the nosological forms (P-2)."""

from __future__ import annotations

from django.db.models import QuerySet

from portal.nosology.models import NosologyGroup


def _candidates(icd10: str) -> list[str]:
    """The code itself, then its parent in the tree (S68.10 -> S68.1), so a finer code of a listed one matches.

    A category alone (Q71) does not match a group that lists only some of its subcodes (Q71.0-Q71.3):
    it also covers forms the act does not name.
    """
    code = icd10.strip().upper()
    candidates = [code]
    if "." in code and len(code.split(".", 1)[1]) > 1:
        candidates.append(code[: code.index(".") + 2])
    return candidates


def nosology_group_for_icd(icd10: str) -> NosologyGroup | None:
    """P-2: the nosological form whose list covers the ICD-10 code, or None."""
    return NosologyGroup.objects.filter(codes__code__in=_candidates(icd10)).first()


def nosology_group_list() -> QuerySet[NosologyGroup]:
    return NosologyGroup.objects.order_by("number")
