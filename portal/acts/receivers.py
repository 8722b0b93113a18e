"""The register's own receivers of ``act_registered``: connected in ``ActsConfig.ready``."""

from __future__ import annotations

from typing import Any

from portal.acts.models import MseAct
from portal.acts.services import act_result_ready_notify


def result_ready_sms(sender: type[MseAct], *, act: MseAct, **kwargs: Any) -> None:
    """S-5: the "your MSE result is ready" SMS, once the act has committed."""
    act_result_ready_notify(act=act)
