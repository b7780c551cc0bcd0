"""Versions: what changed between two, the history newest first, and earlier versions readable."""

import re

from django.urls import reverse
from django.utils.html import escape

from civicbridge.playbook.document import Change, differences
from civicbridge.playbook.models import PlaybookVersion
from civicbridge.playbook.services import save_version

from .helpers import item, model, shipped

CONDITION = "fellowship.trust"
MITIGATION = "fellowship.mitigate.reforms_and_reformers"
NEW_GOAL = "fellowship.goal.open_data"
OLD_STATEMENT = "The institution and the civic organisation trust each other."
NEW_STATEMENT = "Both sides trust each other enough to say when something goes wrong."


def revised() -> dict:
    """The shipped playbook with one condition changed, a mitigation gone and a goal added."""
    document = shipped()
    condition = item(document, CONDITION)
    condition["statement"] = {"en": NEW_STATEMENT}
    condition["weight"] = 1
    fellowship = model(document, "fellowship")
    fellowship["mitigations"] = [m for m in fellowship["mitigations"] if m["id"] != MITIGATION]
    fellowship["goals"].append({"id": NEW_GOAL, "text": {"en": "Open the institution's data."}})
    return document


def test_differences_reports_added_removed_and_changed_items_with_old_and_new_values():
    assert differences(shipped(), revised()) == [
        Change(NEW_GOAL, "goals", "added"),
        Change(
            CONDITION,
            "conditions",
            "changed",
            (("statement", {"en": OLD_STATEMENT}, {"en": NEW_STATEMENT}), ("weight", 3, 1)),
        ),
        Change(MITIGATION, "mitigations", "removed"),
    ]


def test_differences_name_each_changed_item_once_and_playbook_fields_too():
    """A changed condition is its own change, not also a change of its model's conditions."""
    old, new = shipped(), shipped()
    policy = model(new, "policy")
    policy["summary"] = {"en": "Advice on policy."}
    condition = policy["conditions"][0]
    condition["weight"] = condition["weight"] % 5 + 1
    new["title"] = {"en": "A shorter title"}
    was = model(old, "policy")
    assert differences(old, new) == [
        Change("policy", "models", "changed", (("summary", was["summary"], policy["summary"]),)),
        Change(
            condition["id"],
            "conditions",
            "changed",
            (("weight", was["conditions"][0]["weight"], condition["weight"]),),
        ),
        Change("title", "playbook", "changed", (("title", old["title"], new["title"]),)),
    ]


def test_differences_of_a_version_with_itself_are_none():
    assert differences(shipped(), shipped()) == []


def test_compare_page_shows_each_change_with_before_and_after_as_text(playbook, client):
    save_version(None, revised(), "Revised fellowship")
    response = client.get(reverse("playbook:compare", args=[1, 2]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Changes from version 1 to 2" in content
    rows = {
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for row in re.findall(r"<tr>(.*?)</tr>", content, re.S)
    }
    assert f"{NEW_GOAL} (goals) added — —" in rows
    assert f"{MITIGATION} (mitigations) removed — —" in rows
    assert f"{CONDITION} (conditions, weight) changed 3 1" in rows
    assert (
        f"{CONDITION} (conditions, statement) changed {escape(OLD_STATEMENT)} {escape(NEW_STATEMENT)}"
        in rows
    )
    assert "&#x27;en&#x27;" not in content  # texts, not Python's idea of a dict


def test_compare_page_of_a_version_with_itself_says_they_are_the_same(playbook, client):
    response = client.get(reverse("playbook:compare", args=[1, 1]))
    assert "The two versions are the same." in response.content.decode()


def test_compare_page_of_an_unknown_version_is_404(playbook, client):
    assert client.get(reverse("playbook:compare", args=[1, 2])).status_code == 404


def titled(title: str) -> dict:
    document = shipped()
    document["title"] = {"en": title}
    return document


def test_versions_page_lists_versions_newest_first_by_name_never_by_e_mail(
    world, playbook, client_for
):
    save_version(world.civic_lead, titled("Second"), "Second title")
    save_version(world.admin, titled("Third"), "Third title")

    response = client_for(None).get(reverse("playbook:versions"))

    assert [v.number for v in response.context["versions"]] == [3, 2, 1]
    content = response.content.decode()
    links = [
        int(n) for n in re.findall(r'<th scope="row"><a href="/playbook/versions/(\d+)/">', content)
    ]
    assert links == [3, 2, 1]
    assert content.index("Third title") < content.index("Second title")
    assert content.index("Second title") < content.index("Loaded for a test")
    assert "Compare with version 2" in content
    assert "Compare with version 1" in content
    assert "Alex Lead" in content  # the civic lead's person
    assert "a playbook editor" in content  # the admin, who has no person record
    assert "loaded from a file" in content
    assert "@example.org" not in content  # a public page: no account's e-mail address


def test_versions_page_with_no_playbook_says_so(db, client):
    response = client.get(reverse("playbook:versions"))
    assert response.status_code == 200
    assert "No playbook has been loaded yet." in response.content.decode()


def test_earlier_version_page_shows_its_own_content_and_says_it_is_earlier(playbook, client):
    save_version(None, titled("The newer playbook"), "New title")
    old_title = escape(shipped()["title"]["en"])

    earlier = client.get(reverse("playbook:version", args=[1])).content.decode()
    assert old_title in earlier
    assert "The newer playbook" not in earlier
    assert "This is an earlier version." in earlier
    assert "Playbook version 1," in earlier

    current = client.get(reverse("playbook:version", args=[2])).content.decode()
    assert "The newer playbook" in current
    assert "This is an earlier version." not in current
    assert PlaybookVersion.objects.get(number=1).content == shipped()


def test_unknown_version_page_is_404(playbook, client):
    assert client.get(reverse("playbook:version", args=[7])).status_code == 404


def test_an_earlier_versions_model_page_shows_its_own_conditions(playbook, client):
    document = shipped()
    condition = item(document, "fellowship.mou_signed_before_start")
    old_statement = condition["statement"]["en"]
    condition["statement"] = {"en": "A rewritten MOU condition."}
    save_version(None, document, "Rewrote the MOU condition")

    earlier = client.get(reverse("playbook:version_model", args=[1, "fellowship"]))
    assert escape(old_statement) in earlier.content.decode()
    assert "A rewritten MOU condition." not in earlier.content.decode()
    assert "This is an earlier version." in earlier.content.decode()
    overview = client.get(reverse("playbook:version", args=[1])).content.decode()
    assert reverse("playbook:version_model", args=[1, "fellowship"]) in overview
