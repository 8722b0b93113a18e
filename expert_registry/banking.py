"""E-11: the bank details of the price table: IBAN by its ISO 13616 checksum and BIC, through schwifty."""

from __future__ import annotations

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from expert_registry.errors import BIC_INVALID, IBAN_INVALID, IBAN_NOT_KZ
from portal.errors import ApplicationError

# A Kazakhstan IBAN (ИИК) is 20 characters: KZ, two check digits, 3 of the bank, 13 of the account.
KZ_IBAN_LENGTH = 20


def iban_normalize(value: str) -> str:
    """The IBAN in its electronic form (no spaces, upper case); ``ApplicationError`` when invalid."""
    compact = "".join(value.split()).upper()
    try:
        iban = IBAN(compact)
    except SchwiftyException as exc:
        raise ApplicationError(IBAN_INVALID.format(reason=str(exc)), field="iban") from exc
    if iban.country_code != "KZ" or len(iban.compact) != KZ_IBAN_LENGTH:
        raise ApplicationError(IBAN_NOT_KZ, field="iban")
    return str(iban.compact)


def bic_normalize(value: str) -> str:
    compact = "".join(value.split()).upper()
    try:
        bic = BIC(compact)
    except SchwiftyException as exc:
        raise ApplicationError(BIC_INVALID.format(reason=str(exc)), field="bic") from exc
    return str(bic.compact)
