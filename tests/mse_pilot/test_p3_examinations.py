"""P-3: the mandatory examinations of each nosological form, as coded data (appendix 2)."""

import pytest
from django.utils import translation

from mse_pilot.models import MandatoryExamination
from mse_pilot.selectors import mandatory_examinations
from portal.nosology.models import NosologyGroup

pytestmark = pytest.mark.django_db

Req = MandatoryExamination.Requirement


def _list(group_code: str) -> list[tuple[str, str, bool]]:
    rows = MandatoryExamination.objects.filter(group__code=group_code).order_by("position")
    return [(r.code, r.requirement, r.at_diagnosis) for r in rows]


def test_p3_amputations_need_extract_orthopaedist_xray_radiologist_and_sheet_10_if_surgical():
    assert _list("limb_defects") == [
        ("inpatient_extract", Req.ALWAYS, False),
        ("orthopaedist_conclusion", Req.ALWAYS, False),
        ("xray_limb", Req.ALWAYS, False),
        ("radiologist_conclusion", Req.ALWAYS, False),
        ("insert_sheet_10", Req.IF_SURGICAL, False),
    ]
    # "trauma-orthopaedist and (or) surgeon": either conclusion will do
    orthopaedist = MandatoryExamination.objects.get(code="orthopaedist_conclusion")
    assert orthopaedist.accepted_codes() == {"orthopaedist_conclusion", "surgeon_conclusion"}


def test_p3_down_syndrome_karyotype_and_geneticist_at_diagnosis():
    assert _list("down_syndrome") == [
        ("karyotype", Req.ALWAYS, True),
        ("geneticist_conclusion", Req.ALWAYS, True),
        ("neurologist_conclusion", Req.ALWAYS, False),
        ("psychiatrist_conclusion", Req.ALWAYS, False),
        ("pmpc_conclusion", Req.ALWAYS, False),
        ("record_extracts", Req.IF_AVAILABLE, False),
    ]


def test_p3_mucopolysaccharidosis_needs_the_dna_mutation_test():
    assert _list("mucopolysaccharidosis") == [
        ("dna_mutation_test", Req.ALWAYS, False),
        ("record_extracts", Req.IF_AVAILABLE, False),
    ]
    group = NosologyGroup.objects.get(code="mucopolysaccharidosis")
    assert [e.code for e in mandatory_examinations(group_id=group.pk)] == ["dna_mutation_test"]


def test_p3_every_examination_has_its_title_in_three_languages():
    karyotype = MandatoryExamination.objects.get(code="karyotype")
    assert karyotype.title_ru == "Кариотипическое исследование лимфоцитов периферической крови"
    with translation.override("kk"):
        assert karyotype.title == "Перифериялық қан лимфоциттерінің кариотиптік зерттеуі"
    with translation.override("en"):
        assert karyotype.title == "Karyotype of peripheral blood lymphocytes"
    assert not MandatoryExamination.objects.filter(title_kk="").exists()
    assert not MandatoryExamination.objects.filter(title_en="").exists()
