"""The state social benefit for loss of breadwinner (Rules as amended by the act, seed 004: points 6, 7,
24, 34 and appendices 2-3; SPEC B-13..B-16). Amount: Social Code art. 236 (FACTS).

- Point 7 (B-13): beyond identity, the breadwinner's death certificate or notice (or a court decision
  declaring them missing or dead) and proof of kinship; as applicable, the school's certificate of
  appendix 2 (given every year) for dependants aged 18 to 23 in full-time study, academic leave included.
- Point 24 (B-14): 7 working days; assigned from the day the right arose, but for no more than twelve
  months before the application with all the necessary documents (or the consent). Months counted as
  the Civil Code does (the same date, or the last day of a shorter month).
- Appendix 3 (B-15): a person caring for the deceased's children, siblings or grandchildren under 8
  gives every year a work book with the record of leaving work; without it, the State Corporation asks
  the systems that they are not an individual entrepreneur and have no pension contributions or
  social payments.
- Point 7 (2) (B-16): a school tells the State Corporation when a recipient is expelled or moves to
  extramural (part-time) study.
- Art. 236: coefficient by the number of dependants (1: 0.92 ... 5: 2.75; 6 or more: 3.00 shared equally).
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from benefits.models import Programme
from benefits.programmes.disability import StateSystemUnavailable, age_on
from benefits.statesystems import ENTREPRENEUR, PENSION_CONTRIBUTIONS, SOCIAL_PAYMENTS, Presence
from portal.statedata.services import statedata_query

CODE = Programme.SURVIVOR
TERM = 7  # point 24
LOOKBACK = relativedelta(months=12)  # point 24
STUDENT_FROM, STUDENT_UNTIL = 18, 23  # point 7 (2): aged 18 to 23 in full-time study
CARE_UNDER = 8  # appendix 3: children, siblings or grandchildren under 8
SHARED_FROM = 6  # art. 236: from six dependants the coefficient is shared equally


REPROOF_EVERY = relativedelta(years=1)  # B-15: the carer proves every year that they stopped working


def term_working_days() -> int:
    return TERM


def start_date(*, right_arose_on: dt.date, documents_complete_on: dt.date) -> dt.date:
    """B-14: from the day the right arose, not earlier than 12 months before the complete application."""
    return max(right_arose_on, documents_complete_on - LOOKBACK)


def amount_case(dependants: int) -> str:
    """Art. 236: the rate table's case by the number of dependants (6 or more: one case, shared)."""
    return f"dependants.{dependants}" if dependants < SHARED_FROM else "dependants.6plus"


def student_counts(*, birth_date: dt.date, on: dt.date, full_time_until: dt.date | None) -> bool:
    """B-13: under 18 counts; from 18 until 23 (the Social Code's "until they reach 23") with a valid
    certificate of full-time study for the year; older never."""
    age = age_on(birth_date, on)
    if age < STUDENT_FROM:
        return True
    return age < STUDENT_UNTIL and full_time_until is not None and full_time_until >= on


def carer_counts(*, youngest_cared_birth_date: dt.date | None, on: dt.date) -> bool:
    return youngest_cared_birth_date is not None and age_on(youngest_cared_birth_date, on) < CARE_UNDER


def care_ends_on(youngest_cared_birth_date: dt.date) -> dt.date:
    """B-15: the carer's right ends on the youngest one's 8th birthday (born 15 Mar 2018: 15 Mar 2026)."""
    return youngest_cared_birth_date + relativedelta(years=CARE_UNDER)


def stopped_working_automatically(iin: str, on: dt.date) -> bool:
    """B-15 without a work book: no individual entrepreneur's registration, no pension contributions
    and no social payments in the month asked. Raises ``StateSystemUnavailable``."""
    for system in (ENTREPRENEUR, PENSION_CONTRIBUTIONS, SOCIAL_PAYMENTS):
        dated = system != ENTREPRENEUR
        answer = statedata_query(system=system, key=iin, as_type=Presence, on=on if dated else None)
        if answer.unavailable:
            raise StateSystemUnavailable(system)
        if answer.found:
            return False
    return True
