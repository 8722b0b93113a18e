"""The benefits' receivers of other parts' signals: connected in ``BenefitsConfig.ready``."""

from __future__ import annotations

from typing import Any

from portal.acts.models import MseAct


def disability_offer_on_act(sender: type[MseAct], *, act: MseAct, **kwargs: Any) -> None:
    """S-7: the act has committed; offer the disability benefits' one application at once."""
    from benefits.services_disability import disability_offer_create

    disability_offer_create(act=act)
