"""X-6: the registry's deadlines on the core's radar (``portal.deadlines``), registered from ``apps.py``:
contracts to sign (E-6), tests to take (E-5), USB modems to return (E-12)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from expert_registry.selectors import contract_deadlines, modem_loan_deadlines, testing_deadlines
from portal.deadlines.registry import DeadlineSource

SOURCES = [
    DeadlineSource(
        kind="expert_contract",
        title=_("Expert registry: contract awaiting the doctor's signature"),
        items=contract_deadlines,
        rule="E-6",
    ),
    DeadlineSource(
        kind="expert_test",
        title=_("Expert registry: test to be taken"),
        items=testing_deadlines,
        rule="E-5",
    ),
    DeadlineSource(
        kind="expert_modem_loan",
        title=_("Expert registry: USB modem to be returned"),
        items=modem_loan_deadlines,
        rule="E-12",
    ),
]
