"""E-10: the arithmetic of the evaluation formula and its explainer (pure: no database).

Rounding rule (documented in docs/rules.md E-10): every share and the score are percentages rounded to
0.01 percentage point, half up (``ROUND_HALF_UP``), computed in ``Decimal`` from whole counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from expert_registry.models import EvaluationFormula, EvaluationResult

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def percent(part: int, whole: int) -> Decimal | None:
    """``part / whole x 100`` rounded half up to 0.01; None when ``whole`` is zero (nothing to measure)."""
    if whole <= 0:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Parts:
    timeliness: Decimal | None
    quality: Decimal | None
    volume: Decimal | None
    score: Decimal | None


def score_parts(
    *, formula: EvaluationFormula, decided: int, on_time: int, reviewed: int, upheld: int, planned: int | None
) -> Parts:
    """The three parts and the weighted score of one expert's counts under ``formula``."""
    timeliness = percent(on_time, decided)
    quality = percent(upheld, reviewed)
    volume = percent(decided, planned or 0)
    if volume is not None:
        volume = min(volume, Decimal(formula.volume_cap))
    weighted = [
        (Decimal(formula.weight_timeliness), timeliness),
        (Decimal(formula.weight_quality), quality),
        (Decimal(formula.weight_volume), volume),
    ]
    measured = [(w, v) for w, v in weighted if v is not None and w > 0]
    total_weight = sum((w for w, _v in measured), Decimal(0))
    score = None
    if total_weight > 0:
        score = (sum((w * v for w, v in measured), Decimal(0)) / total_weight).quantize(CENT, rounding=ROUND_HALF_UP)
    return Parts(timeliness=timeliness, quality=quality, volume=volume, score=score)


def explain(result: EvaluationResult) -> list[str]:
    """The result in sentences a doctor can check by hand: inputs, each part, the weights, the score."""
    f = result.formula
    not_measured = _("not measured (nothing to count), left out")
    lines = [
        _("Formula version %(v)s, in force from %(d)s.") % {"v": f.version, "d": f.valid_from.strftime("%d.%m.%Y")},
        _("Timeliness: %(on_time)s of %(decided)s decisions made by their due time = %(share)s.")
        % {
            "on_time": result.decided_on_time,
            "decided": result.decided,
            "share": f"{result.timeliness}%" if result.timeliness is not None else not_measured,
        },
        _("Quality: %(upheld)s of %(reviewed)s conclusions reviewed were upheld by methodology control = %(share)s.")
        % {
            "upheld": result.upheld,
            "reviewed": result.reviewed,
            "share": f"{result.quality}%" if result.quality is not None else not_measured,
        },
        _(
            "Volume: %(decided)s decisions against a planned indicator of %(planned)s "
            "(counted up to %(cap)s%%) = %(share)s."
        )
        % {
            "decided": result.decided,
            "planned": result.planned if result.planned is not None else "-",
            "cap": f.volume_cap,
            "share": f"{result.volume}%" if result.volume is not None else not_measured,
        },
        _("Weights: timeliness %(t)s, quality %(q)s, volume %(v)s; the parts measured are weighted and summed.")
        % {"t": f.weight_timeliness, "q": f.weight_quality, "v": f.weight_volume},
        _("Score: %(score)s.")
        % {"score": f"{result.score}%" if result.score is not None else _("none: nothing to measure")},
        _("Cases received in the period: %(n)s.") % {"n": result.received},
    ]
    return lines
