"""Act 001's data as the portal first seeds it (``migrations/0002_seed_act_001.py``); staff keep it
up to date in the admin afterwards.

- ``WINDOW``: P-1, the act is in force "ten calendar days after the day of its first official
  publication, for twelve months". The publication date is not in the act's text: the window is
  assumed from the last signature (11.06.2025) as the earliest possible publication, and marked so.
- ``ROLLOUT``: appendix 1 to the order, "Сроки запуска пилотного проекта". Row 1 (the Committee's
  territorial departments) starts "from June 2025"; rows 2-21 (the regions' health departments)
  have no date of their own: the table's merged cells carry "from July 2025*" and "from August
  2025**", whose footnotes name MIS vendors (* DAMU; ** Zhetysu, Nadezhda, Infomed Kazakhstan, MIS
  Avicenna). Read here: every region's organisations on DAMU from 1 July 2025, on the other four
  from 1 August 2025; organisations on any other MIS are not named, so they have no start date and
  stay in person. Other readings the cells allow, each row noting them: rows 2-10 from June 2025
  with the Committee (SPEC.md's "first group of regions"); rows 2-12 from July and rows 13-21 from
  August whatever the vendor. Every row is therefore marked ambiguous.
- ``EXAMINATIONS``: P-3, appendix 2 to the algorithm, with the codes the MIS sends (the act names
  none: the portal's codes, to be agreed with the MIS vendors and the RCEH).
"""

from __future__ import annotations

import datetime as dt

WINDOW = {
    "name": "Proactive remote MSE for selected nosological forms (act 001)",
    "order_reference": (
        "Joint order of the Minister of Labour and Social Protection of 05.06.2025 No. 168, the Minister of "
        "Health of 11.06.2025 No. 56 and the Minister of Digital Development of 09.06.2025 No. 292/НҚ"
    ),
    "last_signed_on": dt.date(2025, 6, 11),
    "published_on": None,
    "starts_on": dt.date(2025, 6, 22),
    "ends_on": dt.date(2026, 6, 21),
    "assumed": True,
    "note": (
        "Item 8 of the order: in force ten calendar days after the day of its first official publication, for "
        "twelve months. The publication date is not in the act: assumed to be the day of the last signature "
        "(11.06.2025), the earliest possible, so in force from 22.06.2025 to 21.06.2026 inclusive. Enter the "
        "publication date and correct the window when it is confirmed; an extension is a new window."
    ),
}

# (KATO of the region, the health department as appendix 1 names it, its row in the table)
REGIONS: tuple[tuple[str, str, int], ...] = (
    ("110000000", "Управление здравоохранения Акмолинской области", 2),
    ("550000000", "Управление здравоохранения Павлодарской области", 3),
    ("710000000", "Управление общественного здравоохранения города Астаны", 4),
    ("270000000", "Управление здравоохранения Западно-Казахстанской области", 5),
    ("350000000", "Управление здравоохранения Карагандинской области", 6),
    ("590000000", "Управление здравоохранения акимата Северо-Казахстанской области", 7),
    ("190000000", "Управление здравоохранения Алматинской области", 8),
    ("750000000", "Управление общественного здравоохранения города Алматы", 9),
    ("610000000", "Управление общественного здравоохранения Туркестанской области", 10),
    ("470000000", "Управление здравоохранения Мангистауской области", 11),
    ("390000000", "Управление здравоохранения акимата Костанайской области", 12),
    ("790000000", "Управление здравоохранения города Шымкент", 13),
    ("310000000", "Управление здравоохранения акимата Жамбылской области", 14),
    ("230000000", "Управление здравоохранения Атырауской области", 15),
    ("630000000", "Управление здравоохранения Восточно-Казахстанской области", 16),
    ("430000000", "Управление здравоохранения Кызылординской области", 17),
    ("150000000", "Управление здравоохранения Актюбинской области", 18),
    ("620000000", "Управление здравоохранения области Ұлығату", 19),  # sic in the act: Ulytau
    ("330000000", "Управление здравоохранения области Жетісу", 20),
    ("100000000", "Управление здравоохранения области Абай", 21),
)

DAMU_START = dt.date(2025, 7, 1)  # footnote *
OTHER_VENDORS_START = dt.date(2025, 8, 1)  # footnote **
OTHER_VENDORS = ("zhetysu", "nadezhda", "infomed", "avicenna")


def _note(row: int, vendor: str) -> str:
    footnote = "*" if vendor == "damu" else "**"
    readings = (
        f"Appendix 1, row {row}: no date in the row itself; the merged cell's date is read by the footnote "
        f"{footnote} naming this MIS vendor. Other readings: "
    )
    if row <= 10:
        readings += "from June 2025 with the Committee (SPEC.md's first group of regions); "
    readings += "rows 2-12 from July 2025 and rows 13-21 from August 2025 whatever the vendor."
    return readings


def rollout_rows() -> list[dict[str, object]]:
    """P-1: one row per region and named vendor."""
    rows: list[dict[str, object]] = []
    for kato, name, row in REGIONS:
        for vendor in ("damu", *OTHER_VENDORS):
            rows.append(
                {
                    "region_kato": kato,
                    "region_name": name,
                    "mis_vendor": vendor,
                    "starts_on": DAMU_START if vendor == "damu" else OTHER_VENDORS_START,
                    "ambiguous": True,
                    "note": _note(row, vendor),
                }
            )
    return rows


# P-3, appendix 2 to the algorithm. (group code, position, code, also accepted, requirement,
# at diagnosis, ru, kk, en). Requirement: "always" is refused when absent (P-4); the act's
# "при наличии" (if there is one) and "при хирургической ампутации" (for a surgical amputation)
# cannot be told absent from not applicable, so they are listed but not refused.
EXAMINATIONS: tuple[tuple[str, int, str, str, str, bool, str, str, str], ...] = (
    (
        "limb_defects",
        1,
        "inpatient_extract",
        "",
        "always",
        False,
        "Выписка из медицинской карты стационарного пациента",
        "Стационарлық пациенттің медициналық картасынан үзінді көшірме",
        "Extract from the inpatient medical record",
    ),
    (
        "limb_defects",
        2,
        "orthopaedist_conclusion",
        "surgeon_conclusion",
        "always",
        False,
        "Заключение врача травматолога-ортопеда (взрослого, детского) и (или) хирурга с описанием полного "
        "локального статуса, уровня ампутации, состояния культи",
        "Травматолог-ортопед (ересек, балалар) және (немесе) хирург дәрігердің толық жергілікті статусы, "
        "ампутация деңгейі, тұқыл жағдайы сипатталған қорытындысы",
        "Conclusion of a trauma-orthopaedist (adult, paediatric) and/or surgeon with the full local status, the "
        "amputation level and the stump's condition",
    ),
    (
        "limb_defects",
        3,
        "xray_limb",
        "",
        "always",
        False,
        "Рентгенография пораженной конечности",
        "Зақымданған аяқ-қолдың рентгенографиясы",
        "X-ray of the affected limb",
    ),
    (
        "limb_defects",
        4,
        "radiologist_conclusion",
        "",
        "always",
        False,
        "Заключение рентгенолога с указанием уровня ампутации",
        "Ампутация деңгейі көрсетілген рентгенолог қорытындысы",
        "Radiologist's conclusion stating the amputation level",
    ),
    (
        "limb_defects",
        5,
        "insert_sheet_10",
        "",
        "if_surgical",
        False,
        "Вкладной лист 10 к медицинской карте стационарного пациента (форма № 001/у) – при хирургической "
        "ампутации конечности",
        "Стационарлық пациенттің медициналық картасына 10-қосымша парақ (№ 001/е нысан) – аяқ-қолды хирургиялық "
        "ампутациялау кезінде",
        "Insert sheet 10 of the inpatient medical record (form 001/u), for a surgical amputation",
    ),
    (
        "down_syndrome",
        1,
        "karyotype",
        "",
        "always",
        True,
        "Кариотипическое исследование лимфоцитов периферической крови",
        "Перифериялық қан лимфоциттерінің кариотиптік зерттеуі",
        "Karyotype of peripheral blood lymphocytes",
    ),
    (
        "down_syndrome",
        2,
        "geneticist_conclusion",
        "",
        "always",
        True,
        "Заключение генетика",
        "Генетик қорытындысы",
        "Geneticist's conclusion",
    ),
    (
        "down_syndrome",
        3,
        "neurologist_conclusion",
        "",
        "always",
        False,
        "Заключение невропатолога",
        "Невропатолог қорытындысы",
        "Neurologist's conclusion",
    ),
    (
        "down_syndrome",
        4,
        "psychiatrist_conclusion",
        "",
        "always",
        False,
        "Заключение психиатра – для определения степени выраженности нарушений психических функций",
        "Психиатр қорытындысы – психикалық функциялар бұзылуының айқындылық дәрежесін анықтау үшін",
        "Psychiatrist's conclusion on the degree of mental impairment",
    ),
    (
        "down_syndrome",
        5,
        "pmpc_conclusion",
        "",
        "always",
        False,
        "Заключение психолого-медико-педагогической комиссии",
        "Психологиялық-медициналық-педагогикалық консультация қорытындысы",
        "Conclusion of the psychological-medical-pedagogical commission",
    ),
    (
        "down_syndrome",
        6,
        "record_extracts",
        "",
        "if_available",
        False,
        "Копии выписок из медицинской карты стационарного пациента и (или) медицинской карты амбулаторного "
        "пациента – при наличии",
        "Стационарлық және (немесе) амбулаториялық пациенттің медициналық картасынан үзінді көшірмелер – бар болса",
        "Copies of extracts from the inpatient and/or outpatient medical record, if there are any",
    ),
    (
        "mucopolysaccharidosis",
        1,
        "dna_mutation_test",
        "",
        "always",
        False,
        "Молекулярно-генетический метод исследования с определением мутаций в ДНК",
        "ДНҚ мутацияларын анықтайтын молекулалық-генетикалық зерттеу әдісі",
        "Molecular-genetic test identifying the DNA mutations",
    ),
    (
        "mucopolysaccharidosis",
        2,
        "record_extracts",
        "",
        "if_available",
        False,
        "Копии выписок из медицинской карты стационарного больного и (или) медицинской карты амбулаторного "
        "пациента – при наличии",
        "Стационарлық науқастың және (немесе) амбулаториялық пациенттің медициналық картасынан үзінді "
        "көшірмелер – бар болса",
        "Copies of extracts from the inpatient and/or outpatient medical record, if there are any",
    ),
)


# P-6, E-8: the programmes whose draft acts are distributed, and their panels, as the acts give them.
# Act 001 (nosology pilot): "one extraterritorial expert-head of an MSE department" (algorithm, item 7),
# in force as its window (``WINDOW``). Act 002 (doctor-engagement pilot, the joint order of
# 20.09.2024 No. 378 / 30.09.2024 No. 615/НҚ / 01.10.2024 No. 77 amending the order of April 2024):
# "two extraterritorial experts of MSE departments (one head and one chief specialist) and a
# doctor-expert" (item 18); "distribution to doctor-experts runs until 30 November inclusive". The
# act names no year: read as 2024, the year of the amendment (its yearly evaluation is "by 20
# December 2024", item 19). It is in force after its first official publication, whose date is not
# in the text: assumed from the day after the last signature; it names no end: assumed the end of
# 2024. Both marked assumed.
PROGRAMMES = [
    {
        "code": "nosology-pilot-001",
        "name_ru": "Заочное проактивное освидетельствование по отдельным нозологиям (акт 001)",
        "name_kk": "Жекелеген нозологиялар бойынша сырттай проактивті куәландыру (001 акт)",
        "name_en": "Remote proactive examination for selected nosological forms (act 001)",
        "order_reference": WINDOW["order_reference"],
        "starts_on": WINDOW["starts_on"],
        "ends_on": WINDOW["ends_on"],
        "priority": 10,
        "assumed": True,
        "note": "Algorithm item 7: one extraterritorial expert-head of an MSE department. Dates: the window (P-1).",
        "seats": [("expert_head", 1, None, None, 1)],
    },
    {
        "code": "doctor-engagement-002",
        "name_ru": "Привлечение врачей к проактивному заочному освидетельствованию (акт 002)",
        "name_kk": "Дәрігерлерді проактивті сырттай куәландыруға тарту (002 акт)",
        "name_en": "Engaging doctors in proactive remote examination (act 002)",
        "order_reference": (
            "Joint order of the Minister of Labour and Social Protection of 20.09.2024 No. 378, the Minister of "
            "Digital Development of 30.09.2024 No. 615/НҚ and the Minister of Health of 01.10.2024 No. 77"
        ),
        "starts_on": dt.date(2024, 10, 2),
        "ends_on": dt.date(2024, 12, 31),
        "priority": 20,
        "assumed": True,
        "note": (
            "Item 18: two extraterritorial MSE experts (one head, one chief specialist) and a doctor-expert; "
            "doctor-experts until 30 November inclusive (no year in the act: 2024, the amendment's year). "
            "In force from the day after its first publication (date unknown: the day after the last signature "
            "assumed); no end date in the act (end of 2024 assumed)."
        ),
        "seats": [
            ("expert_head", 1, None, None, 1),
            ("chief_specialist", 1, None, None, 2),
            ("doctor_expert", 1, None, dt.date(2024, 11, 30), 3),
        ],
    },
]
