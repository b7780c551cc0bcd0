"""What procurement adds to the portfolio on the home page (registered in apps.py).

For a civic organisation the user acts for: what institutions owe it and how much of that
is overdue, as its money-owed page adds it up. For an institution: its unpaid and overdue
invoices, and how many days it took on average to pay, as its payment record says. For the
platform admin: the jurisdictions whose procurement rules the platform keeps. Each figure
links to the page that lists its rows, and is counted in a fixed number of queries per
organisation the user acts for, however many collaborations and invoices there are.
"""

from datetime import date

from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civicbridge.collaborations.portfolio import Figure
from civicbridge.partners.choices import OrganisationKind
from civicbridge.partners.models import Organisation

from . import money
from .models import Invoice, Jurisdiction


def _owed_to(organisation: Organisation, today: date) -> list[Figure]:
    """What institutions owe the organisation and how much of it is overdue, per currency,
    summed in the database in one query."""
    late = Q(due_on__lt=today)
    per_currency = list(
        Invoice.objects.filter(supplier=organisation, settled_on__isnull=True)
        .with_outstanding()
        .values("currency")
        .annotate(
            owed=Sum("outstanding"),
            overdue=Sum("outstanding", filter=late, default=0),
            overdue_count=Count("pk", filter=late),
        )
        .order_by("currency")
    )
    if not per_currency:
        return []
    overdue_count = sum(row["overdue_count"] for row in per_currency)
    overdue = "; ".join(str(money.Money(row["overdue"], row["currency"])) for row in per_currency)
    detail = ngettext(
        "%(amount)s overdue, in %(count)d invoice",
        "%(amount)s overdue, in %(count)d invoices",
        overdue_count,
    ) % {"amount": overdue, "count": overdue_count}
    return [
        Figure(
            _("Owed to %(name)s") % {"name": organisation.name},
            "; ".join(str(money.Money(row["owed"], row["currency"])) for row in per_currency),
            reverse("procurement:money_owed", args=[organisation.pk]),
            detail,
        )
    ]


def _paid_by(institutions: list[Organisation], today: date) -> list[Figure]:
    """Each institution's unpaid and overdue invoices and its days to pay, in one query."""
    if not institutions:
        return []
    settled = Q(settled_on__isnull=False)
    unpaid = Q(settled_on__isnull=True)
    rows = {
        row["contract__buyer_id"]: row
        for row in Invoice.objects.filter(contract__buyer__in=institutions)
        .order_by()
        .values("contract__buyer_id")
        .annotate(
            unpaid=Count("pk", filter=unpaid),
            overdue=Count("pk", filter=unpaid & Q(due_on__lt=today)),
            settled=Count("pk", filter=settled),
            paid_in=Sum(F("settled_on") - F("issued_on"), filter=settled),
        )
    }
    figures = []
    for institution in institutions:
        row = rows.get(institution.pk)
        if row is None:
            continue
        url = reverse("procurement:payment_record", args=[institution.pk])
        detail = ngettext(
            "%(overdue)d of them overdue",
            "%(overdue)d of them overdue",
            row["overdue"],
        ) % {"overdue": row["overdue"]}
        figures.append(
            Figure(
                _("Unpaid invoices to %(name)s") % {"name": institution.name},
                row["unpaid"],
                url,
                detail,
            )
        )
        if row["settled"]:
            average = money.average_days(row["paid_in"].days, row["settled"])
            figures.append(
                Figure(
                    _("Days %(name)s takes to pay, on average") % {"name": institution.name},
                    str(average),
                    url,
                    ngettext(
                        "over %(count)d paid invoice",
                        "over %(count)d paid invoices",
                        row["settled"],
                    )
                    % {"count": row["settled"]},
                )
            )
    return figures


def figures(user, organisation_ids: set[int], today: date) -> list[Figure]:
    """The money figures of the organisations the user acts for."""
    organisations = list(Organisation.objects.filter(pk__in=organisation_ids).order_by("name"))
    found: list[Figure] = []
    for organisation in organisations:
        if organisation.kind != OrganisationKind.GOVERNMENT:
            found += _owed_to(organisation, today)
    institutions = [o for o in organisations if o.kind == OrganisationKind.GOVERNMENT]
    return found + _paid_by(institutions, today)


def platform_figures(user, today: date) -> list[Figure]:
    """The jurisdictions whose procurement rules the platform keeps."""
    counted = Jurisdiction.objects.aggregate(
        places=Count("pk", distinct=True),
        without_rules=Count("pk", filter=Q(route_rules__isnull=True)),
    )
    return [
        Figure(
            _("Jurisdictions"),
            counted["places"],
            reverse("procurement:jurisdictions"),
            ngettext(
                "%(count)d without a procurement rule yet",
                "%(count)d without a procurement rule yet",
                counted["without_rules"],
            )
            % {"count": counted["without_rules"]},
        )
    ]
