"""Someone who acts for both sides reads both sides' own records: the people tab names
them, and the author of an own-side record is told before saving it (X1)."""

import pytest
from django.urls import reverse

from civicbridge.partners.models import Membership

WARNING = "Jo Fellow act for both sides, so they also read what your side keeps for itself"


@pytest.mark.parametrize(
    "page",
    ["collaborations:activity", "collaborations:goal_create", "collaborations:reform_create"],
)
def test_the_author_of_an_own_side_record_is_told_who_else_reads_it(
    world, fellowship, client_for, page
):
    response = client_for(world.official).get(reverse(page, args=[fellowship.pk]))
    assert response.status_code == 200
    assert WARNING in response.content.decode()


def test_the_person_of_both_sides_is_not_warned_about_themselves(world, fellowship, client_for):
    url = reverse("collaborations:activity", args=[fellowship.pk])
    assert WARNING not in client_for(world.fellow).get(url).content.decode()


def test_no_warning_when_nobody_acts_for_both_sides(world, fellowship, client_for):
    Membership.objects.filter(person=world.fellow.person, organisation=world.institution).delete()
    url = reverse("collaborations:activity", args=[fellowship.pk])
    assert "act for both sides" not in client_for(world.civic_lead).get(url).content.decode()


def test_the_people_tab_lists_who_acts_for_both_sides(world, fellowship, client_for):
    url = reverse("collaborations:people", args=[fellowship.pk])
    page = client_for(world.official).get(url).content.decode()
    both = page.split("Who acts for both sides", 1)[1]
    assert "Jo Fellow" in both and "Sam Official" not in both.split("The parties", 1)[0]
