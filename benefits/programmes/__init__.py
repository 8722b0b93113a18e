"""Each programme's rules, next to its act; the shape they fill is shared (``ProgrammeRules``).

A programme says how long its decision may take by channel, runs its checks against the state data
(returning ``Outcome``: the checks, the case file's data, the ground of non-acceptance if any) and names
the rate-table case and date its amount is computed for. ``benefits.services`` does the rest the same
way for every programme: the application row, the journal, the case file, the draft decision, the
messages. The disability and survivor benefits add ``disability.py`` and ``survivor.py`` here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol

from portal.errors import ErrorCode


@dataclass(frozen=True)
class CheckResult:
    code: str
    passed: bool
    detail: str = ""
    source: str = ""


@dataclass
class Outcome:
    checks: list[CheckResult] = field(default_factory=list)
    case_file: dict[str, Any] = field(default_factory=dict)
    ground: ErrorCode | None = None  # the first failed check's ground
    event_date: dt.date | None = None
    amount_case: str = ""  # the rate table's case (``RateCoefficient.code``)
    amount_on: dt.date | None = None  # the date whose rates apply

    def fail(self, code: str, ground: ErrorCode, detail: str = "", source: str = "") -> None:
        self.checks.append(CheckResult(code, False, detail or str(ground.message), source))
        if self.ground is None:
            self.ground = ground

    def ok(self, code: str, detail: str = "", source: str = "") -> None:
        self.checks.append(CheckResult(code, True, detail, source))


class ProgrammeRules(Protocol):
    code: str

    def term_working_days(self, channel: str) -> int: ...
