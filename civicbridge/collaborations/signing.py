"""How two sides sign a document: the MOU, a service-delivery contract, and any later one.

A signature is a row: one side's, on one version of the document, until a change of the
document voids it, saying when and why. A voided signature stays on record and can be
listed. Each room keeps its own table (a concrete `SignatureBase` with a foreign key to
its document, so the database keeps one standing signature per side) and its own rules
for who signs and when; what every document shares lives here.

A service signs in this order: `require_password`, then lock the document, then refuse a
stale version (`refuse_stale`) and a second signature (`refuse_second_signature`), then
`add_signature`. The password comes first because hashing it is slow on purpose: nobody
else should wait on the document's row lock while it runs.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicbridge.core import audit
from civicbridge.core.services import Stale

WRONG_PASSWORD = _("That is not your password. Nothing was signed: try again.")


class TooManyWrongPasswords(ValidationError):
    """The signer's password was refused and the sign-in lockout now holds them."""


@dataclass(frozen=True)
class ConfirmedPassword:
    """The signer re-entered their password in this request; only
    `confirm_signers_password` makes one, so the service does not hash it again."""

    user_id: int


def confirm_signers_password(request: HttpRequest, user, password: str) -> ConfirmedPassword:
    """Refuse the signature unless `password` is the signer's own.

    It goes through authenticate(), so wrong passwords count toward the same lockout as
    signing in; a page or an API route calls it and hands the proof to the service.
    """
    if authenticate(request, username=user.get_username(), password=password) is None:
        if getattr(request, "axes_locked_out", False):
            raise TooManyWrongPasswords({"password": WRONG_PASSWORD})
        raise ValidationError({"password": WRONG_PASSWORD})
    return ConfirmedPassword(user.pk)


def require_password(actor, password: str | ConfirmedPassword) -> None:
    """Refuse unless the signer re-entered their own password; call it before any lock.

    A caller without a request (the demo, a script) passes the password itself.
    """
    if isinstance(password, ConfirmedPassword):
        confirmed = password.user_id == actor.pk
    else:
        confirmed = actor.check_password(password)
    if not confirmed:
        raise ValidationError({"password": WRONG_PASSWORD})


class SignatureQuerySet(models.QuerySet):
    def valid(self):
        """Signatures still standing: no change has voided them."""
        return self.filter(voided_at__isnull=True)

    def voided(self):
        return self.filter(voided_at__isnull=False)


class SignatureBase(models.Model):
    """Abstract base for one side's signature on a document, until a change voids it.

    The concrete table adds the foreign key to its document (and, where the document
    numbers its versions, the version signed).
    """

    party = models.ForeignKey("partners.Organisation", on_delete=models.PROTECT, related_name="+")
    # The account may go; the name it signed with stays.
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signer_name = models.CharField(_("signed by"), max_length=255)
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.CharField(_("why voided"), max_length=300, blank=True)

    objects = SignatureQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["signed_at", "id"]

    def __str__(self) -> str:
        return f"{self.signer_name}, {self.signed_at:%Y-%m-%d}"

    @property
    def audit_organisation_id(self) -> int:
        return self.party_id


# Reading signatures: what stands, who is still to sign, whether a document is fully signed


def standing_by_side(signatures: Iterable[Any], version: int | None = None) -> dict[int, Any]:
    """Each side's signature still standing (on `version`, for a numbered document)."""
    return {
        signature.party_id: signature
        for signature in signatures
        if signature.voided_at is None and (version is None or signature.version == version)
    }


def unsigned_sides(parties: Iterable[Any], standing: dict[int, Any]) -> list[Any]:
    """The parties, in the order given, with no standing signature."""
    return [party for party in parties if party.pk not in standing]


def signed_by_all(standing: models.QuerySet, *parties: str) -> Q:
    """A filter on documents: each of `parties` (paths from the document to an
    organisation) has a signature in `standing`, which refers to the document by OuterRef."""
    return Q(*(Exists(standing.filter(party=OuterRef(party))) for party in parties))


# Writing signatures


def refuse_stale(seen: object, current: object, message: str) -> None:
    """Refuse a signature on a version other than the one that holds now."""
    if seen != current:
        raise Stale(message)


def refuse_second_signature(signatures: SignatureQuerySet, party_id: int, message: str) -> None:
    """Each side signs a version once."""
    if signatures.valid().filter(party_id=party_id).exists():
        raise ValidationError(message)


def add_signature[S: SignatureBase](actor, signature: S) -> S:
    """Record `signature` (its document, party and version set) as the actor's."""
    signature.signed_by = actor
    signature.signer_name = actor.display_name
    signature.signed_at = timezone.now()
    signature.save()
    audit.log_created(actor, signature)
    return signature


def void_standing(actor, signatures: SignatureQuerySet, reason: str) -> list[SignatureBase]:
    """Void every signature still standing, saying when and why; return them."""
    standing = list(signatures.valid().select_related("party"))
    voided_at = timezone.now()
    for signature in standing:
        before = audit.snapshot(signature)
        signature.voided_at, signature.void_reason = voided_at, reason[:300]
        signature.save(update_fields=["voided_at", "void_reason"])
        audit.log_updated(actor, signature, before)
    return standing
