"""Popolo import and export of organisations, departments, people and memberships.

Records are keyed by their Popolo `id`, so a second import updates and never duplicates.
A Popolo organization with a `parent_id` becomes a department of its top-level organisation.
A membership without an `id` is matched on person, organisation, role, post and start date.
An update sets only the fields the record carries; the audit log keeps what changed.
"""

import calendar
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from civicbridge.core import audit
from civicbridge.core.choices import AuditAction
from civicbridge.core.validation import describe

from .choices import OrganisationKind
from .imports import (
    Counts,
    ImportFailed,
    Progress,
    Summary,
    clean,
    first_errors,
    no_progress,
    run_atomically,
)
from .models import Department, Membership, Organisation, Person
from .schemas import popolo_validator

KINDS = ("organizations", "persons", "memberships")
PROGRESS_EVERY = 100
SCHEMA_FOR = {"organizations": "organization", "persons": "person", "memberships": "membership"}

CLASSIFICATION_KIND = {
    "company": OrganisationKind.COMPANY,
    "funder": OrganisationKind.FUNDER,
    "foundation": OrganisationKind.FUNDER,
    "civic": OrganisationKind.CIVIC,
    "ngo": OrganisationKind.CIVIC,
    "party": OrganisationKind.PARTY,
    "community": OrganisationKind.COMMUNITY,
}


def _label(kind: str, index: int, record: Any) -> str:
    ident = record.get("id") or record.get("name") if isinstance(record, dict) else None
    return f"{kind}[{index}]" + (f" “{ident}”" if ident else "")


def _popolo_date(value: str | None, *, end: bool = False) -> date | None:
    """Read a Popolo date ("2016", "2016-05", "2016-05-04" or a date-time) as a date.

    A partial date stands for its whole period: its first day, or its last for an end date.
    """
    if not value:
        return None
    parts = [int(part) for part in value[:10].split("-")]
    if len(parts) == 3:
        return date(*parts)
    year, month = parts[0], parts[1] if len(parts) > 1 else (12 if end else 1)
    day = calendar.monthrange(year, month)[1] if end else 1
    return date(year, month, day)


def _validate(data: Any, progress: Progress) -> list[str]:
    if not isinstance(data, dict) or not any(isinstance(data.get(k), list) for k in KINDS):
        return [
            _(
                "The file must be a JSON object with “organizations”, “persons” or “memberships” lists."
            )
        ]
    total = sum(len(data[k]) for k in KINDS if isinstance(data.get(k), list))
    return first_errors(_problems(data, total, progress))


def _problems(data: dict, total: int, progress: Progress) -> Iterator[str]:
    """Each schema problem of the file, found as the records are checked in order."""
    done = 0
    for kind in KINDS:
        records = data.get(kind, [])
        if not isinstance(records, list):
            yield _("“%(kind)s” must be a list.") % {"kind": kind}
            continue
        validator = popolo_validator(SCHEMA_FOR[kind])
        for index, record in enumerate(records):
            for error in validator.iter_errors(record):
                yield f"{_label(kind, index, record)}: {describe(error)}"
            done += 1
            if done % PROGRESS_EVERY == 0 or done == total:
                progress(_("Checking the file against the Popolo schemas"), done, total)


class _Plan:
    """Resolve the file's references against itself and the database before any write."""

    def __init__(self, data: dict) -> None:
        self.organizations: list[dict] = data.get("organizations", [])
        self.persons: list[dict] = data.get("persons", [])
        self.memberships: list[dict] = data.get("memberships", [])
        self.errors: list[str] = []
        org_ids = [r.get("id") for r in self.organizations]
        refs = {r.get("parent_id") for r in self.organizations} | {
            r.get("organization_id") for r in self.memberships
        }
        wanted = {i for i in [*org_ids, *refs] if i}
        self.existing_orgs = {
            o.popolo_id: o for o in Organisation.objects.filter(popolo_id__in=wanted)
        }
        self.existing_departments = {
            d.popolo_id: d
            for d in Department.objects.filter(popolo_id__in=wanted).select_related("organisation")
        }
        person_ids = {r.get("id") for r in self.persons} | {
            r.get("person_id") for r in self.memberships
        }
        self.existing_persons = {
            p.popolo_id: p
            for p in Person.objects.filter(popolo_id__in={i for i in person_ids if i})
        }
        self.file_orgs = {r["id"]: r for r in self.organizations if r.get("id")}
        self.org_index = {r["id"]: i for i, r in enumerate(self.organizations) if r.get("id")}
        self.file_persons = {r["id"] for r in self.persons if r.get("id")}
        self._check_records()

    def _check_records(self) -> None:
        for kind, records in (("organizations", self.organizations), ("persons", self.persons)):
            seen: set[str] = set()
            for index, record in enumerate(records):
                label = _label(kind, index, record)
                if not record.get("id"):
                    self.errors.append(
                        _("%(record)s: needs an “id”, which Civic Bridge keys it by.")
                        % {"record": label}
                    )
                elif record["id"] in seen:
                    self.errors.append(
                        _("%(record)s: the id appears twice in the file.") % {"record": label}
                    )
                else:
                    seen.add(record["id"])
                if not (record.get("name") or "").strip():
                    self.errors.append(_("%(record)s: needs a “name”.") % {"record": label})
        for index, record in enumerate(self.organizations):
            parent = record.get("parent_id")
            if (
                parent
                and parent not in self.file_orgs
                and parent not in self.existing_orgs
                and parent not in self.existing_departments
            ):
                self.errors.append(
                    _(
                        "%(record)s: parent_id “%(parent)s” names no organisation in the file or in Civic Bridge."
                    )
                    % {"record": _label("organizations", index, record), "parent": parent}
                )
            elif record.get("id") and not parent and record["id"] in self.existing_departments:
                self.errors.append(
                    _("%(record)s: it is a department in Civic Bridge, so it needs a parent_id.")
                    % {"record": _label("organizations", index, record)}
                )
            elif parent and record.get("id") in self.existing_orgs:
                self.errors.append(
                    _(
                        "%(record)s: it is an organisation in Civic Bridge, so it cannot have a parent_id."
                    )
                    % {"record": _label("organizations", index, record)}
                )
        self._check_tree()
        membership_ids: set[str] = set()
        for index, record in enumerate(self.memberships):
            label = _label("memberships", index, record)
            if record.get("id") in membership_ids:
                self.errors.append(
                    _("%(record)s: the id appears twice in the file.") % {"record": label}
                )
            elif record.get("id"):
                membership_ids.add(record["id"])
            person, organisation = record.get("person_id"), record.get("organization_id")
            if not person:
                self.errors.append(
                    _(
                        "%(record)s: needs a “person_id”; members that are organisations are not supported."
                    )
                    % {"record": label}
                )
            elif person not in self.file_persons and person not in self.existing_persons:
                self.errors.append(
                    _(
                        "%(record)s: person_id “%(id)s” names no person in the file or in Civic Bridge."
                    )
                    % {"record": label, "id": person}
                )
            if not organisation:
                self.errors.append(_("%(record)s: needs an “organization_id”.") % {"record": label})
            elif (
                organisation not in self.file_orgs
                and organisation not in self.existing_orgs
                and organisation not in self.existing_departments
            ):
                self.errors.append(
                    _(
                        "%(record)s: organization_id “%(id)s” names no organisation in the file or in Civic Bridge."
                    )
                    % {"record": label, "id": organisation}
                )
            try:
                start = _popolo_date(record.get("start_date"))
                end = _popolo_date(record.get("end_date"), end=True)
            except ValueError:
                self.errors.append(
                    _("%(record)s: start_date or end_date is not a real date.") % {"record": label}
                )
                continue
            if start and end and end < start:
                self.errors.append(
                    _("%(record)s: end_date is before start_date.") % {"record": label}
                )

    def _check_tree(self) -> None:
        """Refuse loops and moves to another organisation, in the file and the stored tree."""
        organisations = {o.pk for o in self.existing_orgs.values()} | {
            d.organisation_id for d in self.existing_departments.values()
        }
        # Each department's parent (a department or an organisation), as it would be after
        # the import: the stored tree, with the file's departments laid over it.
        self.parent_of: dict[str, str] = {
            ident: parent or organisation
            for ident, parent, organisation in Department.objects.filter(
                organisation_id__in=organisations
            ).values_list("popolo_id", "parent__popolo_id", "organisation__popolo_id")
        }
        self.parent_of.update(
            {ident: r["parent_id"] for ident, r in self.file_orgs.items() if r.get("parent_id")}
        )
        for ident in self.file_orgs:
            chain = self.ancestors(ident)
            if chain is None:
                self.errors.append(
                    _("organizations “%(id)s”: its parent_id chain loops back to itself.")
                    % {"id": ident}
                )
            elif (
                ident in self.existing_departments
                and chain
                and (chain[-1] != self.existing_departments[ident].organisation.popolo_id)
            ):
                self.errors.append(
                    _(
                        "organizations “%(id)s”: a department cannot move to another "
                        "organisation; add it there as a new department instead."
                    )
                    % {"id": ident}
                )

    def ancestors(self, ident: str) -> list[str] | None:
        """The chain of parents up to the organisation, or None if it loops."""
        chain: list[str] = []
        seen = {ident}
        node = ident
        while node in self.parent_of:
            node = self.parent_of[node]
            if node in seen:
                return None
            seen.add(node)
            chain.append(node)
        return chain

    def depth(self, ident: str) -> int:
        return len(self.ancestors(ident) or [])


def _apply(obj, values: dict[str, Any]) -> bool:
    """Set the values that differ; compare related objects by id, without loading them."""
    changed = False
    for name, value in values.items():
        current = getattr(obj, obj._meta.get_field(name).attname)
        if current != (value.pk if isinstance(value, models.Model) else value):
            setattr(obj, name, value)
            changed = True
    return changed


def _organisation_values(record: dict) -> dict[str, Any]:
    values: dict[str, Any] = {"name": record["name"].strip()}
    if "classification" in record:
        values["classification"] = record["classification"] or ""
    if "description" in record:
        values["description"] = record["description"] or ""
    website = next(
        (link["url"] for link in record.get("links", []) if link.get("note") == "website"), None
    )
    if website is not None:
        values["website"] = website
    return values


def _person_values(record: dict) -> dict[str, Any]:
    values: dict[str, Any] = {"name": record["name"].strip()}
    for key in ("sort_name", "email", "image", "summary"):
        if key in record:
            values[key] = record[key] or ""
    return values


class _Writer:
    def __init__(self, plan: _Plan, actor, country: str) -> None:
        self.plan, self.actor, self.country = plan, actor, country
        self.summary = Summary({kind: Counts() for kind in KINDS})
        self.changes: list[tuple[Any, str, dict | None]] = []
        self.departments = dict(plan.existing_departments)
        self.orgs = dict(plan.existing_orgs)
        self.persons = dict(plan.existing_persons)

    def _count(self, kind: str, obj, before: dict | None, changed: bool) -> None:
        counts = self.summary.counts[kind]
        if before is None:
            counts.created += 1
            self.changes.append((obj, AuditAction.CREATE, None))
        elif changed:
            counts.updated += 1
            self.changes.append((obj, AuditAction.UPDATE, before))
        else:
            counts.unchanged += 1

    def _save(self, obj, counter: str, label: str, values: dict[str, Any], **create: Any):
        before = None if obj is None else audit.snapshot(obj)
        if obj is None:
            obj = create.pop("model")(**create, **values)
            changed = True
        else:
            changed = _apply(obj, values)
        if changed:
            clean(obj, label)
            obj.save()
        self._count(counter, obj, before, changed)
        return obj

    def organisations(self) -> None:
        ordered = sorted(self.plan.file_orgs, key=self.plan.depth)
        for ident in ordered:
            record = self.plan.file_orgs[ident]
            values = _organisation_values(record)
            label = _label("organizations", self.plan.org_index[ident], record)
            parent_id = record.get("parent_id")
            if not parent_id:
                kind = CLASSIFICATION_KIND.get(
                    (record.get("classification") or "").lower(), OrganisationKind.GOVERNMENT
                )
                self.orgs[ident] = self._save(
                    self.orgs.get(ident),
                    "organizations",
                    label,
                    values,
                    model=Organisation,
                    popolo_id=ident,
                    kind=kind,
                    country=self.country,
                )
                continue
            parent_org = self.orgs.get(parent_id)
            parent_dept = self.departments.get(parent_id)
            organisation = parent_org or parent_dept.organisation  # type: ignore[union-attr]
            values.update(organisation=organisation, parent=parent_dept)
            self.departments[ident] = self._save(
                self.departments.get(ident),
                "organizations",
                label,
                values,
                model=Department,
                popolo_id=ident,
            )

    def people(self) -> None:
        for index, record in enumerate(self.plan.persons):
            ident = record["id"]
            self.persons[ident] = self._save(
                self.persons.get(ident),
                "persons",
                _label("persons", index, record),
                _person_values(record),
                model=Person,
                popolo_id=ident,
            )

    def memberships(self) -> None:
        records = self.plan.memberships
        by_id = {
            m.popolo_id: m
            for m in Membership.objects.filter(
                popolo_id__in=[r["id"] for r in records if r.get("id")]
            )
        }
        person_pks = [self.persons[r["person_id"]].pk for r in records]
        # Without ids, the n-th record with a key matches the n-th stored membership with it,
        # so a file may hold one person's several terms in the same role.
        by_key: dict[tuple, list[Membership]] = defaultdict(list)
        for membership in Membership.objects.filter(person_id__in=person_pks).order_by("id"):
            by_key[self._key(membership)].append(membership)
        seen: Counter[tuple] = Counter()
        for index, record in enumerate(records):
            target = record["organization_id"]
            department = self.departments.get(target)
            organisation = department.organisation if department else self.orgs[target]
            values = {
                "person": self.persons[record["person_id"]],
                "organisation": organisation,
                "department": department,
                "role": record.get("role") or "",
                "label": record.get("label") or "",
                "on_behalf_of": record.get("on_behalf_of_id") or "",
                "start_date": _popolo_date(record.get("start_date")),
                "end_date": _popolo_date(record.get("end_date"), end=True),
            }
            if record.get("id"):
                existing = by_id.get(record["id"])
            else:
                key = self._key(Membership(**values))
                matches, seen[key] = by_key[key], seen[key] + 1
                existing = matches[seen[key] - 1] if seen[key] <= len(matches) else None
            create = {"popolo_id": record["id"]} if record.get("id") else {}
            label = _label("memberships", index, record)
            self._save(existing, "memberships", label, values, model=Membership, **create)

    @staticmethod
    def _key(m: Membership) -> tuple:
        return (m.person_id, m.organisation_id, m.department_id, m.role, m.label, m.start_date)


def import_popolo(
    data: Any,
    *,
    actor=None,
    dry_run: bool = False,
    country: str = "",
    progress: Progress = no_progress,
) -> Summary:
    """Import a Popolo JSON document atomically; raise ImportFailed naming every problem."""
    errors = _validate(data, progress)
    if errors:
        raise ImportFailed(errors)
    plan = _Plan(data)
    if plan.errors:
        raise ImportFailed(plan.errors)
    # Saving is one transaction, invisible to others until it ends: no count to show.
    progress(_("Saving"), 0, 0)

    def write() -> Summary:
        writer = _Writer(plan, actor, country)
        writer.organisations()
        writer.people()
        writer.memberships()
        audit.log_many(actor, writer.changes)
        return writer.summary

    return run_atomically(write, dry_run=dry_run)


def _drop_empty(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if value not in ("", None, [])}


def export_popolo(
    organisation: Organisation | None = None, *, emails: bool = True
) -> dict[str, list[dict]]:
    """Return everything (or one organisation) as a Popolo document.

    People's e-mail addresses are left out unless `emails` is true.
    """
    organisations = (
        Organisation.objects.all()
        if organisation is None
        else Organisation.objects.filter(pk=organisation.pk)
    )
    departments = Department.objects.filter(organisation__in=organisations).select_related(
        "organisation", "parent"
    )
    memberships = (
        Membership.objects.filter(organisation__in=organisations)
        .select_related("person", "organisation", "department")
        .order_by("id")
    )
    people = (
        Person.objects.all()
        if organisation is None
        else Person.objects.filter(Q(memberships__organisation=organisation)).distinct()
    )
    return {
        "organizations": [
            _drop_empty(
                {
                    "id": o.popolo_id,
                    "name": o.name,
                    "classification": o.classification,
                    "description": o.description,
                    "links": [{"url": o.website, "note": "website"}] if o.website else [],
                }
            )
            for o in organisations.order_by("id")
        ]
        + [
            _drop_empty(
                {
                    "id": d.popolo_id,
                    "name": d.name,
                    "classification": d.classification,
                    "parent_id": (d.parent or d.organisation).popolo_id,
                }
            )
            for d in departments.order_by("id")
        ],
        "persons": [
            _drop_empty(
                {
                    "id": p.popolo_id,
                    "name": p.name,
                    "sort_name": p.sort_name,
                    "email": p.email if emails else None,
                    "image": p.image,
                    "summary": p.summary,
                }
            )
            for p in people.order_by("id")
        ],
        "memberships": [
            _drop_empty(
                {
                    "id": m.popolo_id,
                    "person_id": m.person.popolo_id,
                    "organization_id": (m.department or m.organisation).popolo_id,
                    "role": m.role,
                    "label": m.label,
                    "on_behalf_of_id": m.on_behalf_of,
                    "start_date": m.start_date.isoformat() if m.start_date else None,
                    "end_date": m.end_date.isoformat() if m.end_date else None,
                }
            )
            for m in memberships
        ],
    }
