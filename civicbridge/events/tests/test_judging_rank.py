"""The pure ranking of projects: weighted means, ties and the stated tie-break."""

from datetime import datetime, timedelta
from fractions import Fraction

from civicbridge.events import judging
from civicbridge.events.judging import Criterion, Entry

# Design weighs 3, feasibility 1, impact 3: design is the heaviest, being first of the two 3s.
DESIGN, FEASIBILITY, IMPACT = "design", "feasibility", "impact"
RUBRIC = [Criterion(DESIGN, 3, 0), Criterion(FEASIBILITY, 1, 1), Criterion(IMPACT, 3, 2)]
START = datetime(2025, 5, 3, 17, 0)


def sheet(design: int, feasibility: int, impact: int) -> dict[str, int]:
    return {DESIGN: design, FEASIBILITY: feasibility, IMPACT: impact}


def entry(name: str, minutes: int, *sheets: dict[str, int]) -> Entry:
    return Entry(
        project=name,
        entered_at=START + timedelta(minutes=minutes),
        sheets={f"judge {i}": s for i, s in enumerate(sheets, start=1)},
    )


def test_a_judges_score_is_the_weighted_mean_of_their_sheet():
    # (3 * 5 + 1 * 1 + 3 * 3) / (3 + 1 + 3) = 25 / 7
    assert judging.sheet_score(RUBRIC, sheet(5, 1, 3)) == Fraction(25, 7)


def test_the_heaviest_criterion_is_the_first_of_the_heaviest_in_the_rubric():
    assert judging.heaviest(RUBRIC) == RUBRIC[0]
    assert judging.heaviest(list(reversed(RUBRIC))) == RUBRIC[0]  # order, not list position
    assert judging.heaviest([]) is None


def test_totals_rank_first_and_ties_follow_the_stated_rule():
    results = judging.rank(
        RUBRIC,
        [
            # 25/7 and 28/7: total 53/14; design (5 + 4) / 2 = 9/2.
            entry("Bins on time", 10, sheet(5, 1, 3), sheet(4, 4, 4)),
            # Also 53/14, but design only 4: behind on the heaviest criterion.
            entry("Pothole map", 5, sheet(4, 1, 4), sheet(4, 4, 4)),
            # 3 from two judges against 3 from one: more judges first.
            entry("Library finder", 30, sheet(3, 3, 3)),
            entry("Park bookings", 40, sheet(3, 3, 3), sheet(3, 3, 3)),
            # The same sheets: the one entered earlier first.
            entry("Bus stops", 60, sheet(2, 2, 2)),
            entry("Grants guide", 50, sheet(2, 2, 2)),
            # Nobody scored it: unranked, last.
            entry("Unjudged", 0),
            # Highest total of all.
            entry("Permit helper", 90, sheet(5, 5, 5)),
        ],
    )

    assert [(r.project, r.rank, r.decided_by) for r in results] == [
        ("Permit helper", 1, None),
        ("Bins on time", 2, judging.BY_TOTAL),
        ("Pothole map", 3, judging.BY_HEAVIEST),
        ("Park bookings", 4, judging.BY_TOTAL),
        ("Library finder", 5, judging.BY_JUDGES),
        ("Grants guide", 6, judging.BY_TOTAL),
        ("Bus stops", 7, judging.BY_ENTRY),
        ("Unjudged", None, None),
    ]
    bins, pothole = results[1], results[2]
    assert bins.total == pothole.total == Fraction(53, 14)
    assert (bins.heaviest, pothole.heaviest) == (Fraction(9, 2), Fraction(4))
    assert pothole.tied and not bins.tied
    assert results[-1].total is None and results[-1].judges == 0


def test_a_sheet_that_misses_a_criterion_does_not_count():
    results = judging.rank(
        RUBRIC,
        [entry("Half scored", 0, sheet(5, 5, 5), {DESIGN: 1, FEASIBILITY: 1})],
    )

    assert results[0].judges == 1
    assert results[0].total == 5


def test_without_a_rubric_nothing_is_ranked():
    results = judging.rank([], [entry("Bins on time", 0, {})])

    assert results[0].rank is None
