"""The one-time funeral payment from the republican budget (Rules No. 256 as amended by the act,
seed 004, points 5, 12, 13, 16, 19-1 and appendix 2; SPEC B-1..B-5). Amount: Social Code Art. 242.

- Point 13 (B-3): a portal application is checked for (1) complete data, (2) no funeral payment
  already assigned for the deceased, (3) no application already filed for them, (4) the deceased's
  status on the date of death as a recipient of an age pension, the basic state pension, state social
  benefits or a special state benefit, (5) an application no later than three years after the death.
  Point 16 applies the same checks to the proactive service; we run them on every channel.
- Appendix 2 (B-1): 3 working days through the State Corporation, 1 through the portal or the
  proactive service.
- Appendix 2 (B-5): the documents (the identity of the person who buried, or the legal entity's state
  registration or the entrepreneur's patent; the death certificate or another state's apostilled
  document of the death) are not required when the state systems confirm them: the physical persons
  database (or the portal's own sign-in), the legal entities database, the civil registry. Where a
  system does not confirm, the document is attached (uploaded); without it the data are incomplete
  (point 13 (1)) and the application is not accepted, naming the document.
- Art. 242 (FACTS): 35 MRP, 36.6 MRP for a WWII veteran on an age pension; the MRP of the year of death.
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from benefits import errors
from benefits.models import Channel, Programme
from benefits.programmes import Outcome
from benefits.statesystems import LEGAL_ENTITIES, PERSONS, PersonRecord, Presence
from portal.errors import ApplicationError
from portal.statedata.services import statedata_query
from portal.statedata.systems import (
    CIVIL_REGISTRY_DEATH,
    FUNERAL_PAYMENT_ASSIGNED,
    RECIPIENT_STATUS,
    AssignedPayment,
    DeathRecord,
    RecipientKind,
    RecipientStatus,
)

CODE = Programme.FUNERAL
WINDOW = relativedelta(years=3)  # point 13 (5); 29 Feb + 3 years = 28 Feb (Civil Code: the month's last day)

# check codes, in the order of point 13
COMPLETE = "b3_1_complete_data"
NOT_ASSIGNED = "b3_2_no_payment_assigned"
NOT_FILED = "b3_3_no_application_filed"
RECIPIENT = "b3_4_recipient_on_death_date"
IN_TIME = "b3_5_within_three_years"
IDENTIFIED = "b5_person_who_buried_identified"


def term_working_days(channel: str) -> int:
    """Appendix 2: 3 working days through the State Corporation; 1 through the portal or proactively."""
    return 3 if channel == Channel.STATE_CORPORATION else 1


def last_day_to_apply(death_date: dt.date) -> dt.date:
    return death_date + WINDOW


def _answer_or_unavailable(unavailable: bool) -> None:
    if unavailable:
        raise ApplicationError(errors.STATE_SYSTEM_UNAVAILABLE)


def run_checks(
    *,
    deceased_iin: str,
    today: dt.date,
    already_filed: bool,
    already_assigned_here: bool,
    presented_death_date: dt.date | None = None,
    presented_certificate: str = "",
    applicant_iin: str = "",
    applicant_bin: str = "",
    applicant_signed_in: bool = False,
    uploaded: frozenset[str] = frozenset(),
) -> Outcome:
    """Point 13 (1)-(5) and the documents of B-5 (``uploaded``: the kinds attached).

    Raises ``ApplicationError(STATE_SYSTEM_UNAVAILABLE)`` if a system does not answer."""
    out = Outcome()
    death = statedata_query(system=CIVIL_REGISTRY_DEATH, key=deceased_iin, as_type=DeathRecord)
    _answer_or_unavailable(death.unavailable)
    if death.value is not None:
        death_date, certificate, source = death.value.death_date, death.value.certificate_number, death.backend
    elif presented_death_date is not None and "death_certificate" in uploaded:
        death_date, certificate, source = presented_death_date, presented_certificate, "uploaded"
    else:
        out.fail(COMPLETE, errors.DEATH_CERTIFICATE_MISSING, source=death.backend)
        return out
    out.case_file["death"] = {"date": death_date.isoformat(), "certificate": certificate, "source": source}
    out.event_date = death_date
    if death_date > today:
        out.fail(COMPLETE, errors.DEATH_DATE_IN_FUTURE, source=source)
        return out
    out.ok(COMPLETE, source=source)
    _identify(
        out, applicant_iin=applicant_iin, applicant_bin=applicant_bin, signed_in=applicant_signed_in, uploaded=uploaded
    )

    assigned = statedata_query(system=FUNERAL_PAYMENT_ASSIGNED, key=deceased_iin, as_type=AssignedPayment)
    _answer_or_unavailable(assigned.unavailable)
    if assigned.found or already_assigned_here:
        out.fail(NOT_ASSIGNED, errors.PAYMENT_ALREADY_ASSIGNED, source=assigned.backend)
    else:
        out.ok(NOT_ASSIGNED, source=assigned.backend)

    if already_filed:
        out.fail(NOT_FILED, errors.APPLICATION_ALREADY_FILED, source="portal")
    else:
        out.ok(NOT_FILED, source="portal")

    status = statedata_query(system=RECIPIENT_STATUS, key=deceased_iin, as_type=RecipientStatus, on=death_date)
    _answer_or_unavailable(status.unavailable)
    kinds = status.value.kinds if status.value is not None else ()
    if any(kind in RecipientKind.ALL for kind in kinds):
        out.ok(RECIPIENT, detail=", ".join(kinds), source=status.backend)
        out.case_file["recipient"] = {"on": death_date.isoformat(), "kinds": list(kinds)}
    else:
        out.fail(RECIPIENT, errors.NOT_A_RECIPIENT, source=status.backend)

    if today <= last_day_to_apply(death_date):
        out.ok(IN_TIME, detail=last_day_to_apply(death_date).isoformat())
    else:
        out.fail(IN_TIME, errors.LATER_THAN_THREE_YEARS, detail=last_day_to_apply(death_date).isoformat())

    veteran = status.value is not None and status.value.wwii_veteran and RecipientKind.AGE_PENSION in kinds
    out.amount_case = "wwii_veteran" if veteran else "recipient"
    out.amount_on = death_date  # FACTS: the amount of the year of death
    return out


def _identify(
    out: Outcome, *, applicant_iin: str, applicant_bin: str, signed_in: bool, uploaded: frozenset[str]
) -> None:
    """B-5 (1): the person who buried is identified by the physical persons database (a person signed
    in on the portal already was), a legal entity by the legal entities database; otherwise by the
    document attached."""
    if signed_in and not applicant_bin:
        out.ok(IDENTIFIED, source="portal")
        return
    if applicant_bin:
        kind, missing = "burier_registration", errors.BURIER_REGISTRATION_MISSING
        found, unavailable, backend = _ask(LEGAL_ENTITIES, applicant_bin, Presence)
    else:
        kind, missing = "burier_identity", errors.BURIER_IDENTITY_MISSING
        found, unavailable, backend = _ask(PERSONS, applicant_iin, PersonRecord)
    _answer_or_unavailable(unavailable)
    if found:
        out.ok(IDENTIFIED, source=backend)
    elif kind in uploaded:
        out.ok(IDENTIFIED, source="uploaded")
    else:
        out.fail(IDENTIFIED, missing, source=backend)


def _ask(system: str, key: str, as_type: type[object]) -> tuple[bool, bool, str]:
    answer = statedata_query(system=system, key=key, as_type=as_type)
    return answer.found, answer.unavailable, answer.backend
