"""B-10, B-11: the grounds of refusal of the three benefits and what a refused person is told.

The Kazakh wording is the act's own (seed 004, appendices' "grounds for refusal" and point 34); the
Russian and English follow it. A refusal names its ground in the person's language, says that the
person may apply again once the cause is removed (B-10) and where to complain (B-11).
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.errors import ErrorCode


@dataclass(frozen=True)
class Ground:
    code: str
    kk: str
    ru: str
    en: str

    def text(self, language: str) -> str:
        return str(getattr(self, language if language in ("kk", "ru", "en") else "ru"))

    def by_language(self) -> dict[str, str]:
        return {"kk": self.kk, "ru": self.ru, "en": self.en}

    @property
    def error(self) -> ErrorCode:
        """As a check's ground (``Outcome.fail``); the person's language comes from ``text``."""
        return ErrorCode(self.code, self.en)


UNRELIABLE = Ground(
    "b10_1_unreliable",
    kk="ұсынылған құжаттардың және (немесе) оларда қамтылған деректердің (мәліметтердің) дұрыс еместігі белгіленді",
    ru="установлена недостоверность представленных документов и (или) данных (сведений), содержащихся в них",
    en="the documents submitted, or the data in them, are established to be unreliable",
)
NONCOMPLIANT = Ground(
    "b10_2_noncompliant",
    kk=(
        "өтініш берушінің және (немесе) ұсынылған құжаттардың, деректердің және мәліметтердің Қазақстан "
        "Республикасының заңнамасында белгіленген талаптарға сәйкес келмеуі"
    ),
    ru=(
        "несоответствие заявителя и (или) представленных документов, данных и сведений требованиям, "
        "установленным законодательством Республики Казахстан"
    ),
    en="the applicant, or the documents, data and information submitted, do not meet the requirements of the law",
)
NO_CONSENT = Ground(
    "b10_3_no_consent",
    kk=(
        "«Дербес деректер және оларды қорғау туралы» Заңның 8-бабына сәйкес қолжетімділігі шектеулі дербес "
        "деректерге қол жеткізуге келісімнің болмауы"
    ),
    ru=(
        "отсутствие согласия на доступ к персональным данным ограниченного доступа в соответствии со статьёй 8 "
        "Закона «О персональных данных и их защите»"
    ),
    en="no consent to access personal data of restricted access (Law on personal data and their protection, art. 8)",
)
GROUNDS = {g.code: g for g in (UNRELIABLE, NONCOMPLIANT, NO_CONSENT)}

APPLY_AGAIN = {
    "kk": "Бас тарту себебі жойылғаннан кейін жәрдемақы тағайындауға қайта жүгінуге болады.",
    "ru": "После устранения причины отказа Вы можете обратиться за назначением пособия повторно.",
    "en": "Once the cause of the refusal is removed, you may apply for the benefit again.",
}
COMPLAINT = {
    "kk": (
        "Нәтижемен келіспесеңіз, мемлекеттік қызметтер көрсету сапасын бағалау және бақылау жөніндегі уәкілетті "
        "органға шағыммен жүгіне аласыз."
    ),
    "ru": (
        "Если Вы не согласны с результатом, Вы можете обжаловать его в уполномоченном органе по оценке и контролю "
        "за качеством оказания государственных услуг."
    ),
    "en": (
        "If you disagree with the result, you may complain to the authority for assessing and controlling the "
        "quality of public services."
    ),
}


def refusal_notice(code: str, language: str) -> str:
    """The refusal in ``language``: the ground, how to apply again (B-10), where to complain (B-11)."""
    lang = language if language in ("kk", "ru", "en") else "ru"
    ground = GROUNDS[code]
    return f"{ground.text(lang)}. {APPLY_AGAIN[lang]} {COMPLAINT[lang]}"
