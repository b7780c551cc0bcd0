"""The Kaplan-Meier estimate against a hand computation, and how answers become observations."""

import pytest

from civicbridge.events.survival import (
    Observation,
    Step,
    curve_points,
    followed_to,
    kaplan_meier,
    latest_status,
    observe,
    survival_at,
)

# Eight projects, followed at 1, 3, 6 and 12 months (True: abandoned then; False: last seen
# alive then, censored).
EIGHT = [
    Observation(1, True),
    Observation(3, True),
    Observation(3, True),
    Observation(3, False),
    Observation(6, True),
    Observation(6, False),
    Observation(12, False),
    Observation(12, False),
]


def test_estimate_matches_the_hand_computation():
    # By hand, S(t) = product over death months up to t of (1 - deaths / at risk):
    #   month 1:  8 at risk, 1 dies:                 S = 1 * 7/8              = 0.875
    #   month 3:  7 at risk, 2 die, 1 censored:      S = 0.875 * (1 - 2/7)    = 0.625
    #   month 6:  4 at risk (7 - 3), 1 dies, 1 cens: S = 0.625 * (1 - 1/4)    = 0.46875
    #   month 12: 2 at risk (4 - 2), none die:       S = 0.46875
    steps = kaplan_meier(EIGHT)
    assert [(s.months, s.at_risk, s.deaths, s.censored) for s in steps] == [
        (1, 8, 1, 0),
        (3, 7, 2, 1),
        (6, 4, 1, 1),
        (12, 2, 0, 2),
    ]
    assert [s.survival for s in steps] == pytest.approx([0.875, 0.625, 0.46875, 0.46875])


def test_censoring_differs_from_counting_the_unanswered_as_dead_or_alive():
    steps = kaplan_meier(EIGHT)
    # 4 of 8 were abandoned: counting the censored as alive says 50%, the estimate 46.9%.
    assert survival_at(steps, 12) == pytest.approx(0.46875)
    assert survival_at(steps, 2) == pytest.approx(0.875)
    assert survival_at(steps, 0) == 1.0


def test_no_estimate_beyond_the_longest_follow_up_unless_all_died():
    steps = kaplan_meier(EIGHT)
    assert survival_at(steps, 24) is None
    all_dead = kaplan_meier([Observation(1, True), Observation(3, True)])
    assert survival_at(all_dead, 12) == 0.0
    assert survival_at([], 12) is None


def test_projects_never_answered_are_censored_at_zero_and_add_nothing():
    steps = kaplan_meier([*EIGHT, Observation(0, False), Observation(0, False)])
    assert steps[0] == Step(0, 10, 0, 2, 1.0)
    assert survival_at(steps, 12) == pytest.approx(0.46875)
    assert survival_at(kaplan_meier([Observation(0, False)]), 12) is None


def test_followed_to_counts_those_seen_at_the_month_or_dead_before():
    assert followed_to(EIGHT, 12) == 6  # the two alive at 12, and four deaths
    assert followed_to(EIGHT, 1) == 8


def test_a_period_counts_as_dead_only_when_every_answer_says_abandoned():
    assert observe([(1, "active"), (3, "abandoned")]) == Observation(3, True)
    assert observe([(1, "active"), (3, "abandoned"), (3, "adopted")]) == Observation(3, False)
    assert observe([(1, "active"), (3, "abandoned"), (6, "active")]) == Observation(3, True)


def test_unanswered_and_unknown_periods_censor_at_the_last_answer():
    assert observe([(1, "active"), (3, "paused"), (6, "unknown"), (12, "")]) == Observation(
        3, False
    )
    assert observe([(1, "unknown")]) == Observation(0, False)
    assert observe([]) == Observation(0, False)


def test_curve_points_draw_steps_from_one_hundred_percent():
    assert curve_points(kaplan_meier(EIGHT)) == [
        (0, 100.0),
        (1, 100.0),
        (1, 87.5),
        (3, 87.5),
        (3, 62.5),
        (6, 62.5),
        (6, 46.9),
        (12, 46.9),
    ]


def test_latest_status_prefers_adoption_when_answers_of_a_period_differ():
    assert latest_status([(1, "active"), (3, "abandoned"), (3, "adopted")]) == "adopted"
    assert latest_status([(1, "handed_over"), (3, "unknown")]) == "handed_over"
    assert latest_status([(1, "unknown"), (3, "")]) == ""
