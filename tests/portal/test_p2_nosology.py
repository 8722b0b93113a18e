"""P-2: the pilot's nosological forms and their ICD-10 codes (appendix 1 to the algorithm), as data."""

import pytest

from portal.nosology.codes import ListingError, icd_listing_expand, icd_range_expand
from portal.nosology.models import NosologyGroup
from portal.nosology.selectors import nosology_group_for_icd


def test_p2_a_range_runs_over_the_siblings_between_its_ends():
    assert icd_range_expand("Q71.0", "Q71.3") == ["Q71.0", "Q71.1", "Q71.2", "Q71.3"]


def test_p2_a_range_from_a_category_names_the_category_and_its_subcodes():
    # S68 has no S68.5-S68.7 in ICD-10: the range is the codes that exist.
    assert icd_range_expand("S68", "S68.9") == ["S68", "S68.0", "S68.1", "S68.2", "S68.3", "S68.4", "S68.8", "S68.9"]


def test_p2_a_listing_with_a_code_icd10_does_not_have_is_refused():
    with pytest.raises(ListingError):
        icd_listing_expand("Q71.0 - Q71.3, X99.9")


def test_p2_a_range_across_categories_is_refused():
    with pytest.raises(ListingError):
        icd_range_expand("Q71.0", "Q72.3")


@pytest.mark.django_db
def test_p2_three_forms_are_seeded_with_their_titles_in_three_languages():
    groups = list(NosologyGroup.objects.order_by("number"))
    assert [g.number for g in groups] == [1, 2, 3]
    assert groups[1].title_ru == "Синдром (болезнь) Дауна"
    assert all(g.title_kk and g.title_ru and g.title_en for g in groups)
    # (3) is "Мукополисахаридоз у детей": for children only.
    assert [g.children_only for g in groups] == [False, False, True]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "number"),
    [
        ("Q71.0", 1),
        ("Q71.3", 1),
        ("Q72.2", 1),
        ("S48", 1),
        ("S58.9", 1),
        ("S68.4", 1),
        ("S98.3", 1),
        ("T05.6", 1),
        ("Q90", 2),
        ("Q90.9", 2),
        ("E76.2", 3),
        ("E76.9", 3),
        ("e76.1", 3),
    ],
)
def test_p2_a_listed_code_belongs_to_its_form(code, number):
    group = nosology_group_for_icd(code)
    assert group is not None
    assert group.number == number


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["Q71.4", "Q71", "Q72.8", "S98.4", "S48.2", "E76.4", "Q91.0", "J45.0", "T05.7"])
def test_p2_a_code_outside_the_lists_belongs_to_no_form(code):
    # Q71 alone also covers Q71.4-Q71.9, which the act does not name; S98.4 (several toes) is not listed.
    assert nosology_group_for_icd(code) is None


@pytest.mark.django_db
def test_p2_the_seeded_codes_are_exactly_the_acts():
    down = NosologyGroup.objects.get(number=2)
    assert sorted(down.codes.values_list("code", flat=True)) == ["Q90", "Q90.0", "Q90.1", "Q90.2", "Q90.9"]
    mps = NosologyGroup.objects.get(number=3)
    assert sorted(mps.codes.values_list("code", flat=True)) == [
        "E76", "E76.0", "E76.1", "E76.2", "E76.3", "E76.8", "E76.9",
    ]  # fmt: skip
    limbs = NosologyGroup.objects.get(number=1)
    assert limbs.codes.count() == 4 + 4 + 4 + 4 + 8 + 4 + 4 + 5 + 10  # T05 and its nine subcodes
