"""The recipients the Finance ministry's open data names, as claims for the actor register:
each payment row's recipient with its file and line, so that `actors explain` can cite it.
Names are read as written (an abbreviation in parentheses becomes an alias); the kind only
where the data says it: a medeoverheid whose name starts with Gemeente, Provincie or
Waterschap, an agency of the agentschappen data."""

from __future__ import annotations

from collections.abc import Iterable

from geldstroom.loaders.actors.claims import NameClaim, claim_from
from geldstroom.model import ActorKind, Origin, Payment, PaymentKind

_PREFIX_KINDS = {
    "gemeente": ActorKind.GEMEENTE,
    "provincie": ActorKind.PROVINCIE,
    "waterschap": ActorKind.WATERSCHAP,
    "gemeenten": ActorKind.MEDEOVERHEID,
    "provincies": ActorKind.MEDEOVERHEID,
    "waterschappen": ActorKind.MEDEOVERHEID,
}


_AGENCY_PAYMENTS = (PaymentKind.AGENTSCHAP_MOEDER, PaymentKind.AGENTSCHAP_OVERIGE)


def _kind(payment: Payment, name: str) -> ActorKind | None:
    if payment.kind in _AGENCY_PAYMENTS:
        return ActorKind.AGENTSCHAP
    if payment.kind is PaymentKind.BIJDRAGE_MEDEOVERHEID:
        first = name.split()[0].casefold() if name.split() else ""
        return _PREFIX_KINDS.get(first)
    return None


def payment_claims(payments: Iterable[Payment]) -> list[NameClaim]:
    """One claim per payment that names its recipient (unnamed ones stay unknown)."""
    claims = []
    for payment in payments:
        recipient = payment.recipient
        if recipient is None:
            continue
        source = payment.source
        claims.append(claim_from(recipient, source.file, source.line, Origin.DATA,
                                 kind=_kind(payment, recipient), kvk=payment.kvk,
                                 legal_form=payment.legal_form, place=payment.place))
    return claims
