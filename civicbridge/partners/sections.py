"""The organisation's own sections of its sub-navigation; the rooms add theirs (see
`extensions.add_section`)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import permissions
from .extensions import Section, add_section


def _overview(user, organisation) -> str:
    return organisation.get_absolute_url()


def _people(user, organisation) -> str:
    return reverse("partners:organisation_people", args=[organisation.pk])


def _supplier_profile(user, organisation) -> str | None:
    if not organisation.supplies:
        return None
    return reverse("partners:supplier_profile", args=[organisation.pk])


def _audit(user, organisation) -> str | None:
    if not permissions.can_read_audit(user, organisation)[0]:
        return None
    return reverse("partners:organisation_audit", args=[organisation.pk])


def register() -> None:
    add_section(Section("overview", _("Overview"), 10, _overview, ("partners:organisation",)))
    add_section(Section("people", _("People"), 20, _people, ("partners:organisation_people",)))
    add_section(
        Section(
            "supplier",
            _("Supplier profile"),
            50,
            _supplier_profile,
            ("partners:supplier_profile",),
        )
    )
    add_section(Section("audit", _("Audit log"), 90, _audit, ("partners:organisation_audit",)))
