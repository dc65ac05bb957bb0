"""Where the score comes from: how much of it a probe or a check verified, and how much rests on the team's word."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from readiness.core.model import Credit, Result


@dataclass(frozen=True)
class Provenance:
    """How much of a score rests on verification rather than on the team's word."""

    share: Fraction | None  # verified points over the score, 0..1; None when nothing scored or the score is 0
    verified: int  # counted items whose credit a probe or a check verified
    attested: int  # counted items with credit on the team's word only
    unverified: int  # claimed done, but doubted


def provenance(result: Result) -> Provenance:
    counted = [r for r in result.items if r.counted]
    share = None
    if result.score and result.verified_score is not None:
        share = result.verified_score / result.score
    return Provenance(
        share,
        sum(r.source is Credit.VERIFIED for r in counted),
        sum(r.source is Credit.ATTESTED for r in counted),
        sum(r.source is Credit.UNVERIFIED for r in counted),
    )


def percent(share: Fraction) -> int:
    """A share as a whole percent, rounded half up: 0.305 is 31 %."""
    return int((Decimal(share.numerator) * 100 / Decimal(share.denominator)).quantize(Decimal(1), ROUND_HALF_UP))


def sentence(found: Provenance) -> str:
    """'31 % of the score is verified by probes and checks; 12 items attested only'."""
    if found.share is None:
        head = "nothing of the score is verified by probes or checks"
    else:
        head = f"{percent(found.share)} % of the score is verified by probes and checks"
    attested = f"{found.attested:,} item{'' if found.attested == 1 else 's'} attested only"
    return f"{head}; {attested}"
