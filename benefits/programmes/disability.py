"""The state social disability benefit and the others of the one application (Rules No. 257 as amended
by the act, seed 004: points 4, 7, 20-1, 21-1, 24, 34 and appendix 3; SPEC B-6..B-12, S-7).

- Point 4 / 24 (B-6): assigned from the day disability was established, but for no more than three
  months before the day of the application (or of the consent given through the proactive service).
  How months are counted is not written; as the Civil Code: the same date three months back, or the
  last day of a shorter month (31 May -> 28/29 Feb) (``relativedelta``).
- Point 7 (B-7): identity and registration (physical persons database), births and marriages (civil
  registry), guardianship (education database), adoption (Torelik), disability established (its
  database); births, guardianship and adoption prove that the person raising a child with disability
  is its parent, guardian or adopter. Appendix 3 asks the marriage certificate (or the divorce
  certificate, or the extract of the marriage record) only "when the parent (guardian) changed their
  surname": the marriage registry is asked only when the birth record names the applicant under
  another surname. Where the systems cannot hold the record (births registered on or before
  13.08.2007, marriages on or before 01.06.2008) "the documents are attached to the application"
  (point 7): the decision waits for the document (``DocumentsNeeded``), never a refusal.
- Points 20-1, 21-1 (B-8): for general illness or a work injury, through the portal or the proactive
  service, consent registers the application and the decision forms automatically (a refusal where
  data are missing or wrong).
- Point 24 and appendix 3 (B-9): 7 working days from registration with all documents (or consent);
  1 working day through the portal or the proactive service for general illness or a work injury;
  5 working days more where the State Corporation asks for more documents.
- Appendix 3 (B-12): at the person's choice, one application covers the state social disability
  benefit, the special state disability benefit, the benefit to a person raising a child with
  disability and the care benefit for a person with group I disability since childhood.
- Amounts (FACTS, Social Code arts. 176-177): coefficient x subsistence minimum (special benefit: x MRP).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from dateutil.relativedelta import relativedelta

from benefits import refusals
from benefits.models import Channel, DisabilityBenefit, Programme
from benefits.programmes import Outcome
from benefits.statesystems import (
    ADOPTION,
    CIVIL_REGISTRY_BIRTH,
    CIVIL_REGISTRY_MARRIAGE,
    DISABILITY_DB,
    GUARDIANSHIP,
    PERSONS,
    BirthRecord,
    CarersRecord,
    DisabilityRecord,
    MarriageRecord,
    PersonRecord,
)
from portal.acts.models import Category, Cause, MseAct
from portal.statedata.services import statedata_query
from portal.statedata.systems import RECIPIENT_STATUS, RecipientKind, RecipientStatus

CODE = Programme.DISABILITY
LOOKBACK = relativedelta(months=3)  # point 4: not more than three months before the application
AUTOMATIC_CAUSES = (Cause.GENERAL_ILLNESS, Cause.WORK_INJURY)  # points 20-1, 21-1
AUTOMATIC_CHANNELS = (Channel.PORTAL, Channel.PROACTIVE)
TERM = 7  # point 24
TERM_AUTOMATIC = 1
EXTENSION_MORE_DOCUMENTS = 5  # appendix 3

# check codes (B-7)
IDENTITY = "b7_identity_and_registration"
DISABILITY = "b7_disability_established"
PENSION = "b12_age_pension_for_special_benefit"
KINSHIP = "b7_parent_child_link"


# point 7: the civil registry holds the births registered after 13.08.2007 ("2007 жылғы 13 тамыздан кейін
# жүргізілген тіркеулер"): a birth on that day or before may have been registered before the registry
BIRTHS_REGISTERED_AFTER = dt.date(2007, 8, 13)
# point 7: and the marriages registered after 01.06.2008 ("2008 жылғы 1 маусымнан кейін жүргізілген
# тіркеулер"): a marriage registered on that day or before is proved by its certificate
MARRIAGES_REGISTERED_AFTER = dt.date(2008, 6, 1)

# the documents the decision may wait for (``DocumentKind`` values; appendix 3, items 4 and 5)
BIRTH_CERTIFICATE = "birth_certificate"
MARRIAGE_CERTIFICATE = "marriage_certificate"
# a document presented in place of a record links as the record would: the check's source names it
PRESENTED = "document"


class StateSystemUnavailable(Exception):
    """A state system did not answer: nothing is decided, the caller says "try later"."""


class DocumentsNeeded(StateSystemUnavailable):
    """B-7: the state system cannot hold the record (registered before it started), so its silence
    proves nothing: the document is asked for (point 7: "АЖ-дағы мәліметтер ... болмаған кезде өтінішке
    тиісті құжаттар қоса беріледі") and nothing is refused; the decision waits as for a silent system."""

    def __init__(self, system: str, document: str) -> None:
        super().__init__(system)
        self.system = system
        self.document = document


def start_date(*, established_on: dt.date, applied_on: dt.date) -> dt.date:
    """B-6: from the day disability was established, not earlier than 3 months before applying."""
    return max(established_on, applied_on - LOOKBACK)


def is_automatic(*, benefit: str, cause: str, channel: str) -> bool:
    """B-8: the state social disability benefit for general illness or a work injury, portal or proactive."""
    return benefit == DisabilityBenefit.SOCIAL and cause in AUTOMATIC_CAUSES and channel in AUTOMATIC_CHANNELS


def term_working_days(*, automatic: bool, more_documents: bool = False) -> int:
    """B-9: 1 working day on the automatic path; else 7, and 5 more where documents are requested."""
    if automatic:
        return TERM_AUTOMATIC
    return TERM + (EXTENSION_MORE_DOCUMENTS if more_documents else 0)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def receives_age_pension(iin: str, on: dt.date) -> bool:
    answer = statedata_query(system=RECIPIENT_STATUS, key=iin, as_type=RecipientStatus, on=on)
    if answer.unavailable:
        raise StateSystemUnavailable(RECIPIENT_STATUS)
    return answer.value is not None and RecipientKind.AGE_PENSION in answer.value.kinds


def same_surname(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def surname_change_shown(*, applicant_iin: str, before: str, after: str, presented: Collection[str] = ()) -> str:
    """B-7 (point 7, appendix 3 item 5): the parent named ``before`` in the child's birth record is
    now ``after``: the marriage registry is asked for a marriage of the applicant registered after
    01.06.2008 that changed the one surname into the other; the system that shows it (or the presented
    marriage certificate). Otherwise the certificate is asked for (``DocumentsNeeded``): the registry
    does not hold older marriages, and a surname may change otherwise (a divorce), so its silence
    refuses nothing."""
    answer = statedata_query(system=CIVIL_REGISTRY_MARRIAGE, key=applicant_iin, as_type=MarriageRecord)
    if answer.unavailable:
        raise StateSystemUnavailable(CIVIL_REGISTRY_MARRIAGE)
    for marriage in answer.value.marriages if answer.value is not None else ():
        if (
            marriage.registered_on > MARRIAGES_REGISTERED_AFTER
            and same_surname(marriage.surname_before, before)
            and same_surname(marriage.surname_after, after)
        ):
            return CIVIL_REGISTRY_MARRIAGE
    if MARRIAGE_CERTIFICATE in presented:
        return f"{PRESENTED}:{MARRIAGE_CERTIFICATE}"
    raise DocumentsNeeded(CIVIL_REGISTRY_MARRIAGE, MARRIAGE_CERTIFICATE)


def raises_the_child(
    *,
    applicant_iin: str,
    child_iin: str,
    child_born: dt.date | None = None,
    applicant_surname: str = "",
    presented: Collection[str] = (),
) -> str | None:
    """B-7 (point 7): the system that shows the applicant raises the child, or None where none does.

    Asked in turn: births (the civil registry names the parents), guardianship (the education
    database), adoption (Torelik); the first that shows the link settles it. A system that does not
    answer before the link is shown raises ``StateSystemUnavailable``: never a refusal on a silence.
    Where the birth record names the applicant under a surname other than ``applicant_surname``, the
    surname change is shown by the marriage registry or the marriage certificate
    (``surname_change_shown``). A child born on or before 13.08.2007 with no birth record may have
    been registered before the civil registry held births: without another link the birth
    certificate is asked for (``DocumentsNeeded``); once presented (``presented``, the kinds of the
    documents on the application) it links as the record would. A child born later with no record
    has none.
    """
    birth = statedata_query(system=CIVIL_REGISTRY_BIRTH, key=child_iin, as_type=BirthRecord)
    if birth.unavailable:
        raise StateSystemUnavailable(CIVIL_REGISTRY_BIRTH)
    if birth.value is not None and applicant_iin in birth.value.parent_iins:
        named = birth.value.parent_surnames.get(applicant_iin, "")
        if named and applicant_surname and not same_surname(named, applicant_surname):
            changed = surname_change_shown(
                applicant_iin=applicant_iin, before=named, after=applicant_surname, presented=presented
            )
            return f"{CIVIL_REGISTRY_BIRTH}, {changed}"
        return CIVIL_REGISTRY_BIRTH
    for system in (GUARDIANSHIP, ADOPTION):
        carers = statedata_query(system=system, key=child_iin, as_type=CarersRecord)
        if carers.unavailable:
            raise StateSystemUnavailable(system)
        if carers.value is not None and applicant_iin in carers.value.carer_iins:
            return system
    if birth.value is None and child_born is not None and child_born <= BIRTHS_REGISTERED_AFTER:
        if BIRTH_CERTIFICATE in presented:
            return f"{PRESENTED}:{BIRTH_CERTIFICATE}"
        raise DocumentsNeeded(CIVIL_REGISTRY_BIRTH, BIRTH_CERTIFICATE)
    return None


def benefits_that_apply(*, act: MseAct, pensioner: bool) -> list[str]:
    """B-12: each benefit of the one application the act gives a right to, in the act's order."""
    if not act.recognised:
        return []
    found = [DisabilityBenefit.SOCIAL.value]
    if pensioner and act.category == Category.ADULT:
        found.append(DisabilityBenefit.SPECIAL.value)  # only with an age (or long-service) pension
    if act.category == Category.CHILD:
        found.append(DisabilityBenefit.CHILD_RAISING.value)
    if act.group == "1" and act.cause == Cause.SINCE_CHILDHOOD:
        found.append(DisabilityBenefit.GROUP1_CARE.value)
    return found


def amount_case(*, benefit: str, act: MseAct) -> str:
    """The rate table's case (``RateCoefficient.code``) of the benefit for the act's group and cause."""
    group = act.group
    if benefit == DisabilityBenefit.SPECIAL:
        return f"special.{group}"
    if benefit == DisabilityBenefit.CHILD_RAISING:
        return "child_raising"
    if benefit == DisabilityBenefit.GROUP1_CARE:
        return "group1_care"
    if act.category == Category.CHILD:
        return "child.under7" if age_on(act.person.birth_date, act.examined_on) < 7 else f"child.{group}"
    by_cause = {
        Cause.SINCE_CHILDHOOD: "childhood",
        Cause.GENERAL_ILLNESS: "general",
        Cause.WORK_INJURY: "general",
        Cause.OCCUPATIONAL_DISEASE: "general",
        Cause.RADIATION: "radiation",
        Cause.MILITARY_SERVICE: "military",
    }
    return f"{by_cause.get(Cause(act.cause), 'other') if act.cause else 'other'}.{group}"


def run_checks(
    *,
    act: MseAct,
    benefit: str,
    subject_iin: str,
    applied_on: dt.date,
    applicant_iin: str = "",
    applicant_surname: str = "",
    presented: Collection[str] = (),
) -> Outcome:
    """B-7 through the port: identity and registration, disability established as the act says, and
    for the benefit for raising a child with disability that the applicant is the child's parent,
    guardian or adoptive parent (births, guardianship, adoption).

    A missing record is a refusal of B-10 (2); an answer that contradicts the act is B-10 (1).
    Raises ``StateSystemUnavailable`` when a system does not answer.
    """
    out = Outcome()
    person = statedata_query(system=PERSONS, key=subject_iin, as_type=PersonRecord)
    if person.unavailable:
        raise StateSystemUnavailable(PERSONS)
    if person.value is None or not person.value.registered:
        out.fail(IDENTITY, refusals.NONCOMPLIANT.error, source=person.backend)
    else:
        out.ok(IDENTITY, source=person.backend)
    record = statedata_query(system=DISABILITY_DB, key=subject_iin, as_type=DisabilityRecord)
    if record.unavailable:
        raise StateSystemUnavailable(DISABILITY_DB)
    if record.value is None:
        out.fail(DISABILITY, refusals.NONCOMPLIANT.error, source=record.backend)
    elif record.value.group != act.group or record.value.established_on != act.examined_on:
        out.fail(DISABILITY, refusals.UNRELIABLE.error, detail="group or date differ", source=record.backend)
    else:
        out.ok(DISABILITY, detail=f"group {record.value.group}", source=record.backend)
    if benefit == DisabilityBenefit.SPECIAL and not receives_age_pension(subject_iin, applied_on):
        out.fail(PENSION, refusals.NONCOMPLIANT.error, source=RECIPIENT_STATUS)
    if benefit == DisabilityBenefit.CHILD_RAISING:
        source = (
            raises_the_child(
                applicant_iin=applicant_iin,
                child_iin=subject_iin,
                child_born=act.person.birth_date,
                applicant_surname=applicant_surname,
                presented=presented,
            )
            if applicant_iin
            else None
        )
        if source is None:
            systems = f"{CIVIL_REGISTRY_BIRTH}, {GUARDIANSHIP}, {ADOPTION}"
            out.fail(KINSHIP, refusals.NONCOMPLIANT.error, detail="no parent-child link", source=systems)
        else:
            out.ok(KINSHIP, source=source)
    established = act.examined_on
    start = start_date(established_on=established, applied_on=applied_on)
    out.event_date = established
    out.case_file.update(
        {
            "act": act.number,
            "benefit": benefit,
            "group": act.group,
            "cause": act.cause,
            "established_on": established.isoformat(),
            "applied_on": applied_on.isoformat(),
            "start_date": start.isoformat(),
        }
    )
    out.amount_case = amount_case(benefit=benefit, act=act)
    out.amount_on = applied_on
    return out
