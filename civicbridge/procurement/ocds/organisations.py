"""Find the organisations an OCDS process names, or add them: by register id, then by name."""

from django.db.models import Q
from django.utils.translation import gettext as _

from civicbridge.core.services import create_record
from civicbridge.partners.choices import OrganisationKind
from civicbridge.partners.models import Organisation

from ..models import PartyIdentifier
from .reading import Process
from .terms import Party


def find_organisation(
    process: Process, party: Party, *, buyer: bool
) -> tuple[Organisation | None, list[str]]:
    """The organisation `party` names: by its register id, then by name; None if new."""
    if party.scheme and party.identifier:
        known = (
            PartyIdentifier.objects.filter(scheme=party.scheme, identifier=party.identifier)
            .select_related("organisation")
            .first()
        )
        if known is not None:
            return known.organisation, kind_problems(process, party, known.organisation, buyer)
    names = [name for name in {party.name, party.legal_name} if name]
    same_name = Q()
    for name in names:
        same_name |= Q(name__iexact=name)
    matches = list(Organisation.objects.filter(same_name)) if names else []
    if len(matches) > 1:
        fitting = [o for o in matches if (o.kind == OrganisationKind.GOVERNMENT) == buyer]
        if len(fitting) != 1:
            return None, [
                process.problem(
                    party.steps,
                    _(
                        "%(count)d organisations here are called “%(name)s”: give the party its "
                        "register id (identifier.scheme and identifier.id) to tell which."
                    )
                    % {"count": len(matches), "name": party.name},
                )
            ]
        matches = fitting
    if not matches:
        return None, []
    return matches[0], kind_problems(process, party, matches[0], buyer)


def kind_problems(process: Process, party: Party, found: Organisation, buyer: bool) -> list[str]:
    """The buyer is a government body, and the supplier is not one."""
    if buyer and found.kind != OrganisationKind.GOVERNMENT:
        message = _(
            "the buyer is %(name)s, which is a %(kind)s here: a contract here is bought by "
            "an institution, a government body."
        )
    elif not buyer and not found.supplies:
        message = _(
            "the supplier is %(name)s, which is a government body here: a contract here is "
            "supplied by a civic organisation or a company."
        )
    else:
        return []
    return [
        process.problem(
            party.steps, message % {"name": found.name, "kind": found.get_kind_display().lower()}
        )
    ]


def new_organisation(actor, party: Party, kind: str, lines: list[str]) -> Organisation:
    organisation = create_record(
        actor, Organisation, name=party.name, kind=kind, country=party.country, city=party.city
    )
    lines.append(
        _("New organisation: %(name)s (%(kind)s).")
        % {"name": organisation, "kind": organisation.get_kind_display().lower()}
    )
    return organisation


def learn_identifier(actor, organisation: Organisation, party: Party) -> None:
    """Keep the party's register id, so the next import finds the organisation by it."""
    if not (party.scheme and party.identifier):
        return
    taken = PartyIdentifier.objects.filter(
        scheme=party.scheme[:50], identifier=party.identifier[:200]
    )
    if not taken.exists():
        create_record(
            actor,
            PartyIdentifier,
            organisation=organisation,
            scheme=party.scheme[:50],
            identifier=party.identifier[:200],
            legal_name=party.legal_name,
        )
