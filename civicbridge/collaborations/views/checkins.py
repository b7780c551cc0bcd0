"""The check-ins tab: the schedule, each side's updates, the quality trend and its data."""

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_http_methods

from civicbridge.core import formats
from civicbridge.core.charts import CHART_POLICY, svg_response
from civicbridge.core.documents import download
from civicbridge.core.forms import save_form
from civicbridge.core.pages import form_page

from .. import charts, permissions
from ..forms.checkins import CheckInForm
from ..forms.core import name_both_sides
from ..models import CheckIn, Collaboration
from ..pages import page
from ..queries import CHECKIN_STAGES, CheckInOverview, checkin_overview
from ..services import party_name
from ..services.checkins import stage_refusal, submit_checkin
from ..tabs import tab_url


@dataclass
class SideUpdate:
    """One side's answer to one check-in date, as the user may see it."""

    organisation: str
    checkin: CheckIn | None  # None when not given, or kept from the user
    given: bool
    overdue: bool

    @property
    def quality(self) -> int | None:
        return self.checkin.quality if self.checkin else None


@dataclass
class ScheduleRow:
    due_on: date
    civic: SideUpdate
    institution: SideUpdate
    divergent: bool
    due_today: bool
    upcoming: bool

    @property
    def sides(self) -> tuple[SideUpdate, SideUpdate]:
        return (self.civic, self.institution)

    @property
    def waiting(self) -> str:
        """The sides that have not given their update, as words."""
        return get_text_list([side.organisation for side in self.sides if not side.given], _("and"))

    @property
    def readable(self) -> list[SideUpdate]:
        return [side for side in self.sides if side.checkin]


def _read(user, collaboration: Collaboration) -> tuple[CheckInOverview, list[ScheduleRow]]:
    """The schedule with every check-in counted, showing only what `user` may read."""
    checkins = CheckIn.objects.filter(collaboration=collaboration)
    every = list(checkins.select_related("author__person"))
    readable = set(permissions.visible_records(user, checkins).values_list("pk", flat=True))
    overview = checkin_overview(collaboration, timezone.localdate(), every)

    def side(checkin: CheckIn | None, name: str, overdue: bool) -> SideUpdate:
        shown = checkin if checkin and checkin.pk in readable else None
        return SideUpdate(name, shown, checkin is not None, overdue)

    today = overview.today or timezone.localdate()
    rows = [
        ScheduleRow(
            due_on=row.due_on,
            civic=side(row.civic, collaboration.civic_organisation.name, row.civic_overdue),
            institution=side(
                row.institution, collaboration.institution.name, row.institution_overdue
            ),
            divergent=row.divergent,
            due_today=row.due_on == today,
            upcoming=row.due_on > today,
        )
        for row in overview.rows
    ]
    return overview, rows


def _upcoming(collaboration: Collaboration, due_on: date) -> ScheduleRow:
    def nobody(name: str) -> SideUpdate:
        return SideUpdate(name, None, given=False, overdue=False)

    return ScheduleRow(
        due_on=due_on,
        civic=nobody(collaboration.civic_organisation.name),
        institution=nobody(collaboration.institution.name),
        divergent=False,
        due_today=False,
        upcoming=True,
    )


@login_required
@require_GET
def tab(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = permissions.get_collaboration_for(request.user, pk)
    overview, rows = _read(request.user, collaboration)
    side = permissions.side_of(request.user, collaboration)
    open_for_side = bool(
        side is not None
        and collaboration.stage in CHECKIN_STAGES
        and (overview.owed_by(side) or overview.next_due)
    )
    schedule = list(reversed(rows))  # the latest first
    if overview.next_due and not any(row.due_on == overview.next_due for row in rows):
        schedule.insert(0, _upcoming(collaboration, overview.next_due))
    return page(
        request,
        collaboration,
        "checkins",
        "collaborations/checkins.html",
        {
            "overview": overview,
            "rows": schedule,
            "trend": rows,
            "has_ratings": any(row.civic.checkin or row.institution.checkin for row in rows),
            "accepting": collaboration.stage in CHECKIN_STAGES,
            "open_for_side": open_for_side,
            "owed": overview.owed_by(side) if side is not None else [],
        },
    )


@login_required
@require_GET
@csp_override(CHART_POLICY)
def chart(request: HttpRequest, pk: int) -> HttpResponse:
    """The quality trend as an SVG image; the tab's data table holds the same numbers."""
    collaboration = permissions.get_collaboration_for(request.user, pk)
    _overview, rows = _read(request.user, collaboration)
    svg = charts.quality_trend(
        [row.due_on for row in rows],
        [
            (collaboration.civic_organisation.name, [row.civic.quality for row in rows]),
            (collaboration.institution.name, [row.institution.quality for row in rows]),
        ],
    )
    return svg_response(svg)


@login_required
@require_GET
def csv_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The numbers behind the trend chart, one line per check-in date."""
    collaboration = permissions.get_collaboration_for(request.user, pk)
    _overview, rows = _read(request.user, collaboration)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Check-in date"),
            _("Quality rated by %(side)s") % {"side": collaboration.civic_organisation.name},
            _("Quality rated by %(side)s") % {"side": collaboration.institution.name},
            _("Ratings diverge"),
            _("Overdue from"),
        ]
    )
    for row in rows:
        writer.writerow(
            [
                row.due_on.isoformat(),
                "" if row.civic.quality is None else row.civic.quality,
                "" if row.institution.quality is None else row.institution.quality,
                _("yes") if row.divergent else _("no"),
                "; ".join(side.organisation for side in row.sides if side.overdue),
            ]
        )
    return download(out.getvalue(), "text/csv; charset=utf-8", f"check-ins-{collaboration.pk}.csv")


def _date_choices(overview: CheckInOverview, side: int, change: date | None):
    """The dates the side may answer now, each with a word on why, and the one to pre-select."""
    today = overview.today or timezone.localdate()
    owed = overview.owed_by(side)
    dates = list(owed)
    if overview.next_due and overview.next_due not in dates:
        dates.append(overview.next_due)
    if change and change in overview.open_dates and change not in dates:
        dates.append(change)
    dates.sort()

    def note(due: date) -> str:
        if due not in owed and due != overview.next_due:
            return _("change your update")
        if due < today:
            return _("overdue")
        if due == today:
            return _("due today")
        return _("next check-in")

    # The latest date owed: one update for it covers every earlier one.
    selected = change if change in dates else (owed[-1] if owed else overview.next_due)
    return [(due, note(due)) for due in dates], selected


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the user's side's update for one check-in date, or change one already given."""
    collaboration = permissions.get_collaboration_for(request.user, pk, edit=True)
    back = tab_url(collaboration, "checkins")
    if refusal := stage_refusal(collaboration):
        messages.error(request, refusal)
        return redirect(back)
    side = permissions.side_of(request.user, collaboration)
    assert side is not None  # edit=True made sure
    overview, _rows = _read(request.user, collaboration)
    try:
        change = date.fromisoformat(request.GET.get("due_on", ""))
    except ValueError:
        change = None
    dates, selected = _date_choices(overview, side, change)
    if not dates:
        messages.info(request, _("Your side has given every update due so far."))
        return redirect(back)
    initial: dict = {"due_on": selected.isoformat() if selected else None}
    mine = next(
        (
            c
            for row in overview.rows
            if row.due_on == selected
            for c in (row.civic, row.institution)
            if c and c.owner_organisation_id == side
        ),
        None,
    )
    if mine:
        initial.update(
            workflow=mine.workflow,
            problems=mine.problems,
            quality=mine.quality,
            comment=mine.comment,
            visibility=mine.visibility,
        )
    side_name = party_name(collaboration, side)
    form = CheckInForm(request.POST or None, dates=dates, side_name=side_name, initial=initial)
    name_both_sides(form, collaboration, request.user)
    if request.method == "POST" and (
        saved := save_form(form, lambda data: submit_checkin(request.user, collaboration, **data))
    ):
        messages.success(
            request,
            _("Your update for the check-in of %(date)s was saved.")
            % {"date": formats.day(saved.due_on)},
        )
        return redirect(back)
    return form_page(
        request,
        form,
        _("Give your update"),
        intro=_(
            "You write for %(side)s on “%(title)s”. Both sides give their own update "
            "every %(days)d days; the other side writes theirs."
        )
        % {
            "side": side_name,
            "title": collaboration.title,
            "days": collaboration.checkin_every_days,
        },
        submit=_("Save the update"),
        back=back,
    )


urlpatterns = [
    path("collaborations/<int:pk>/check-ins/", tab, name="checkins"),
    path("collaborations/<int:pk>/check-ins/new/", create, name="checkin_create"),
    path("collaborations/<int:pk>/check-ins/chart.svg", chart, name="checkin_chart"),
    path("collaborations/<int:pk>/check-ins/data.csv", csv_download, name="checkin_csv"),
]
