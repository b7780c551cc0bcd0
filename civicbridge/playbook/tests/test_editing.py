"""Editing the playbook in the interface: only editors, one item at a time, each edit a version."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from civicbridge.playbook import services
from civicbridge.playbook.document import Change, differences
from civicbridge.playbook.models import PlaybookVersion
from civicbridge.playbook.services import save_version
from tests.factories import UserFactory

from .helpers import item, shipped

CONDITION = "fellowship.supervisor_willing"  # agreement scale 0 to 4, met at 3, weight 5
STATEMENT = item(shipped(), CONDITION)["statement"]["en"]
NEW_STATEMENT = "The host supervisor asked for a fellow and wants new ways of working."


def edit_url(item_id: str = CONDITION) -> str:
    return reverse("playbook:edit_item", args=[item_id])


def form_data(**changes) -> dict:
    """The condition's form as the page fills it in, with `changes` made to it."""
    data = {
        "text": STATEMENT,
        "met_at": 3,
        "weight": 5,
        "note": "Checked the wording",
        "version": 1,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def editor(db):
    """A plain user (no superuser, no staff) who edits the playbook through a group."""
    group = Group.objects.create(name="Playbook editors")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="playbook", codename="edit_playbook")
    )
    user = UserFactory.create(email="editor@example.org", person__name="Eddie Tor")
    user.groups.add(group)
    return user


def current() -> PlaybookVersion:
    version = PlaybookVersion.objects.current()
    assert version is not None
    return version


# --- Who may edit -------------------------------------------------------------------------


def test_platform_admin_and_group_editor_may_open_the_form(world, editor, playbook, client_for):
    for user in (world.admin, editor):
        response = client_for(user).get(edit_url())
        assert response.status_code == 200
        assert response.context["form"].initial["text"] == STATEMENT
        assert response.context["form"].initial["weight"] == 5


def test_the_same_user_without_the_group_may_not(world, editor, playbook, client_for):
    editor.groups.clear()
    assert client_for(editor).get(edit_url()).status_code == 403


@pytest.mark.parametrize("persona", ["civic_lead", "official", "fellow", "outsider"])
def test_people_without_the_permission_get_403_and_change_nothing(
    persona, world, playbook, client_for
):
    client = client_for(getattr(world, persona))
    assert client.get(edit_url()).status_code == 403
    response = client.post(edit_url(), form_data(text=NEW_STATEMENT))
    assert response.status_code == 403
    assert PlaybookVersion.objects.count() == 1


def test_anonymous_is_sent_to_sign_in_and_changes_nothing(playbook, client):
    for response in (client.get(edit_url()), client.post(edit_url(), form_data(weight=1))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert PlaybookVersion.objects.count() == 1


def test_service_refuses_an_edit_by_someone_without_the_permission(world, playbook):
    with pytest.raises(PermissionDenied):
        services.edit_item(world.civic_lead, playbook, CONDITION, "en", {"weight": 1})
    assert PlaybookVersion.objects.count() == 1


# --- What an edit does --------------------------------------------------------------------


def test_edit_of_a_condition_makes_a_version_with_only_that_change(editor, playbook, client_for):
    response = client_for(editor).post(
        edit_url(),
        form_data(text=NEW_STATEMENT, weight=2, blocking="on", note="Sharper and blocking"),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("playbook:model", args=["fellowship"])
    version = current()
    assert version.number == 2
    assert differences(playbook.content, version.content) == [
        Change(
            CONDITION,
            "conditions",
            "changed",
            (
                ("blocking", False, True),
                ("statement", {"en": STATEMENT}, {"en": NEW_STATEMENT}),
                ("weight", 5, 2),
            ),
        )
    ]
    assert version.note == "Sharper and blocking"
    assert version.created_by == editor
    assert PlaybookVersion.objects.get(number=1).content == shipped()


def with_french_statement() -> dict:
    document = shipped()
    item(document, CONDITION)["statement"] = {"en": STATEMENT, "fr": "Le superviseur est ouvert."}
    return document


def test_edit_stores_the_text_under_the_active_language_and_keeps_the_others(
    world, playbook, client_for
):
    save_version(None, with_french_statement(), "French added")
    client_for(world.admin).post(edit_url(), form_data(text=NEW_STATEMENT, version=2))
    assert item(current().content, CONDITION)["statement"] == {
        "en": NEW_STATEMENT,
        "fr": "Le superviseur est ouvert.",
    }


@pytest.fixture
def french(settings):
    settings.LANGUAGES = [("en", "English"), ("fr", "Français")]


def test_edit_in_french_stores_the_french_text_and_keeps_the_english(
    world, playbook, client_for, french
):
    save_version(None, with_french_statement(), "French added")
    client = client_for(world.admin)
    form = client.get(edit_url(), HTTP_ACCEPT_LANGUAGE="fr").context["form"]
    assert form.initial["text"] == "Le superviseur est ouvert."

    client.post(
        edit_url(),
        form_data(text="Le superviseur veut un fellow.", version=2),
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert item(current().content, CONDITION)["statement"] == {
        "en": STATEMENT,
        "fr": "Le superviseur veut un fellow.",
    }


def test_untouched_fallback_text_is_not_stored_as_a_translation(
    world, playbook, client_for, french
):
    """In French, a text with no French version shows the English; saving keeps it English."""
    client = client_for(world.admin)
    form = client.get(edit_url(), HTTP_ACCEPT_LANGUAGE="fr").context["form"]
    assert form.initial["text"] == STATEMENT

    client.post(edit_url(), form_data(weight=4), HTTP_ACCEPT_LANGUAGE="fr")

    assert differences(playbook.content, current().content) == [
        Change(CONDITION, "conditions", "changed", (("weight", 5, 4),))
    ]


@pytest.mark.parametrize(
    ("item_id", "kind", "field"),
    [
        ("fellowship.challenge.preparation", "challenges", "statement"),
        ("fellowship.mitigate.mou", "mitigations", "text"),
    ],
)
def test_edit_of_a_challenge_or_mitigation_changes_its_text(
    item_id, kind, field, editor, playbook, client_for
):
    response = client_for(editor).post(
        edit_url(item_id), {"text": "Plainer words.", "note": "Plainer", "version": 1}
    )
    assert response.status_code == 302
    assert differences(playbook.content, current().content) == [
        Change(
            item_id,
            kind,
            "changed",
            ((field, item(shipped(), item_id)[field], {"en": "Plainer words."}),),
        )
    ]


def test_post_with_no_change_makes_no_version(editor, playbook, client_for):
    response = client_for(editor).post(edit_url(), form_data(), follow=True)
    assert PlaybookVersion.objects.count() == 1
    assert "Nothing changed, so no new version was made." in response.content.decode()


def test_forged_met_at_off_the_scale_is_refused_with_a_form_error(editor, playbook, client_for):
    response = client_for(editor).post(edit_url(), form_data(met_at=9, text=NEW_STATEMENT))
    assert response.status_code == 200
    assert "met_at" in response.context["form"].errors
    assert "9 is not one of the available choices" in response.content.decode()
    assert PlaybookVersion.objects.count() == 1


def test_forged_weight_off_the_range_is_refused_with_a_form_error(editor, playbook, client_for):
    response = client_for(editor).post(edit_url(), form_data(weight=9))
    assert response.status_code == 200
    assert "weight" in response.context["form"].errors
    assert PlaybookVersion.objects.count() == 1


@pytest.mark.parametrize(
    "item_id",
    ["fellowship.no_such_condition", "fellowship.goal.efficiency", "willingness.fellow_openness"],
)
def test_unknown_or_uneditable_item_is_404(item_id, editor, playbook, client_for):
    client = client_for(editor)
    assert client.get(edit_url(item_id)).status_code == 404
    assert client.post(edit_url(item_id), {"text": "x", "note": "x"}).status_code == 404
    assert PlaybookVersion.objects.count() == 1


def test_a_save_on_top_of_a_newer_version_is_refused(world, client_for, playbook):
    client = client_for(world.admin)
    client.post(edit_url(), form_data(weight=1))  # someone else saves version 2
    response = client.post(edit_url(), form_data(weight=2))  # opened on version 1
    assert response.status_code == 200
    assert "Someone saved a newer version" in response.content.decode()
    assert PlaybookVersion.objects.count() == 2


def test_the_service_refuses_an_edit_based_on_a_version_that_is_no_longer_current(world, playbook):
    from civicbridge.playbook import services
    from civicbridge.playbook.document import InvalidPlaybook

    services.edit_item(world.admin, playbook, CONDITION, "en", {"weight": 1})
    with pytest.raises(InvalidPlaybook, match="while you were editing version 1"):
        services.edit_item(world.admin, playbook, CONDITION, "en", {"weight": 2})
    assert item(current().content, CONDITION)["weight"] == 1


def test_the_playbook_editor_command_gives_and_takes_the_role(world, playbook, client_for):
    from django.core.management import call_command

    url = edit_url()
    assert client_for(world.civic_lead).get(url).status_code == 403
    call_command("playbook_editor", "lead@example.org", stdout=StringIO())
    world.civic_lead.refresh_from_db()
    assert (
        client_for(type(world.civic_lead).objects.get(pk=world.civic_lead.pk)).get(url).status_code
        == 200
    )
    call_command("playbook_editor", "lead@example.org", "--remove", stdout=StringIO())
    assert (
        client_for(type(world.civic_lead).objects.get(pk=world.civic_lead.pk)).get(url).status_code
        == 403
    )


def test_a_condition_only_the_collaboration_satisfies_is_edited_by_its_statement_alone(
    editor, playbook, client_for
):
    """A signed MOU is not asked in an assessment: it has no scale or weight to edit."""
    gate = "fellowship.mou_signed_before_start"
    client = client_for(editor)
    form = client.get(edit_url(gate)).content.decode()
    assert 'name="text"' in form and 'name="met_at"' not in form and 'name="weight"' not in form
    response = client.post(
        edit_url(gate),
        {"text": "Both sides sign the MOU first.", "version": 1, "note": "Shorter"},
    )
    assert response.status_code == 302
    changed = item(current().content, gate)
    assert changed["statement"]["en"] == "Both sides sign the MOU first."
    assert "question" not in changed and "weight" not in changed
