"""The guidelines: public pages per model and for the whole playbook, Markdown and PDF."""

import re
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from civicbridge.playbook.models import PlaybookVersion
from civicbridge.playbook.services import save_version

from .helpers import MODELS, collapse, model, shipped

NO_PLAYBOOK = "No playbook has been loaded yet."


def names() -> dict[str, str]:
    return {m["id"]: m["name"]["en"] for m in shipped()["models"]}


# --- Web pages ----------------------------------------------------------------------------


def test_guidelines_page_introduces_the_playbook_and_links_every_model(playbook, client):
    response = client.get(reverse("playbook:guidelines"))
    assert response.status_code == 200
    content = response.content.decode()
    document = shipped()
    assert escape(document["title"]["en"]) in content
    assert "Playbook version 1," in content
    for model_id, name in names().items():
        assert (
            f'<a href="{reverse("playbook:model", args=[model_id])}">{escape(name)}</a>' in content
        )
    for factor in document["factors"]:
        assert escape(factor["name"]["en"]) in content


@pytest.mark.parametrize("model_id", MODELS)
def test_model_page_shows_its_conditions_with_their_source_sentences(model_id, playbook, client):
    response = client.get(reverse("playbook:model", args=[model_id]))
    assert response.status_code == 200
    content = response.content.decode()
    found = model(shipped(), model_id)
    assert f"Guidelines: {escape(found['name']['en'])}" in content
    for condition in found["conditions"]:
        assert escape(condition["statement"]["en"]) in content
        assert f"“{escape(condition['source']['en'])}”" in content
    for challenge in found["challenges"]:
        assert escape(challenge["statement"]["en"]) in content
    for mitigation in found["mitigations"]:
        assert escape(mitigation["text"]["en"]) in content


def test_model_page_offers_edit_links_to_editors_only(world, playbook, client_for):
    url = reverse("playbook:model", args=["fellowship"])
    edit = reverse("playbook:edit_item", args=["fellowship.trust"])
    assert edit in client_for(world.admin).get(url).content.decode()
    assert edit not in client_for(world.civic_lead).get(url).content.decode()
    assert edit not in client_for(None).get(url).content.decode()


def test_unknown_model_is_404(playbook, client):
    assert client.get(reverse("playbook:model", args=["lobbying"])).status_code == 404
    assert client.get(reverse("playbook:model_markdown", args=["lobbying"])).status_code == 404


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("playbook:guidelines", []),
        ("playbook:model", ["fellowship"]),
        ("playbook:markdown", []),
        ("playbook:model_pdf", ["fellowship"]),
    ],
)
def test_with_no_playbook_loaded_pages_are_404_and_say_why(name, args, db, client):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 404
    assert NO_PLAYBOOK in response.content.decode()


# --- Markdown -----------------------------------------------------------------------------


def test_markdown_download_of_the_playbook(playbook, client):
    response = client.get(reverse("playbook:markdown"))

    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="civic-bridge-guidelines-all-v1.md"'
    )
    text = response.content.decode()
    lines = text.splitlines()
    document = shipped()
    assert lines[0] == f"# {document['title']['en']}"
    assert re.search(r"^Playbook version 1, \d{1,2} \w+ \d{4}\.$", text, re.M)
    assert "## Contents" in lines
    for found in document["models"]:
        assert f"## {found['name']['en']}" in lines
        assert f"> {found['source']['en']}" in lines
        for condition in found["conditions"]:
            assert f"> {condition['source']['en']}" in lines
        for challenge in found["challenges"]:
            assert f"  > {challenge['source']['en']}" in lines
    assert "&#x27;" not in text
    assert "&quot;" not in text  # Markdown, not escaped HTML


def test_markdown_download_of_one_model(playbook, client):
    response = client.get(reverse("playbook:model_markdown", args=["event"]))
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="civic-bridge-guidelines-event-v1.md"'
    )
    lines = response.content.decode().splitlines()
    headings = [line for line in lines if line.startswith("## ") and line != "## Contents"]
    assert lines[0] == f"# Guidelines: {names()['event']}"
    assert headings == [f"## {names()['event']}"]


# --- PDF ----------------------------------------------------------------------------------


def short_playbook() -> dict:
    """Every model with one condition and what refers to it only: a PDF that renders fast."""
    document = shipped()
    for found in document["models"]:
        kept = found["conditions"][0]["id"]
        found["conditions"] = found["conditions"][:1]
        found["challenges"] = [c for c in found["challenges"] if c["threatens"] == [kept]]
        found["mitigations"] = [m for m in found["mitigations"] if m["conditions"] == [kept]]
    return document


def test_pdf_download_has_title_version_stamp_and_contents_of_every_model(db, client):
    save_version(None, short_playbook(), "Short, for a fast PDF")

    response = client.get(reverse("playbook:pdf"))

    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == 'inline; filename="civic-bridge-guidelines-all-v1.pdf"'
    )
    pages = PdfReader(BytesIO(response.content)).pages
    cover, contents = (collapse(page.extract_text()) for page in pages[:2])
    assert collapse(shipped()["title"]["en"]) in cover
    assert "Playbook version 1" in cover
    assert contents.startswith("Contents")
    for name in names().values():
        assert re.search(rf"{re.escape(name)} \.+ ?\d+", contents), name  # with its page
    body = collapse(" ".join(page.extract_text() for page in pages[2:]))
    for name in names().values():
        assert name in body


def test_pdf_of_a_version_whose_content_returns_to_an_earlier_one_carries_its_own_stamp(db, client):
    """Version 3 has version 1's content: a PDF kept for version 1 must not stand in for it."""
    short = short_playbook()
    save_version(None, short, "Short")
    client.get(reverse("playbook:pdf"))
    changed = short_playbook()
    changed["title"] = {"en": "Another title"}
    save_version(None, changed, "Another title")
    save_version(None, short, "Back to the short one")

    response = client.get(reverse("playbook:pdf"))

    cover = collapse(PdfReader(BytesIO(response.content)).pages[0].extract_text())
    assert "Playbook version 3" in cover


# --- Query counts -------------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    client.get(url)  # warm the caches that last beyond one request (content types)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def add_versions(user, how_many: int) -> None:
    """Versions made by `user` (who has a person record), stored as they are: no validation."""
    document = shipped()
    PlaybookVersion.objects.bulk_create(
        PlaybookVersion(
            number=n, content=document, content_hash=f"{n}", created_by=user, note=f"Edit {n}"
        )
        for n in range(2, 2 + how_many)
    )


@pytest.mark.parametrize(
    ("name", "shows_the_tenth"),
    [
        ("playbook:guidelines", "Playbook version 10,"),
        ("playbook:versions", 'href="/playbook/versions/10/"'),
    ],
)
@pytest.mark.parametrize("persona", ["anonymous", "admin"])
def test_page_runs_the_same_queries_for_10_versions_as_for_1(
    name, shows_the_tenth, persona, world, playbook, client_for, django_assert_num_queries
):
    client = client_for(getattr(world, persona))
    url = reverse(name)
    few = count_queries(client, url)
    add_versions(world.civic_lead, 9)
    with django_assert_num_queries(few):
        response = client.get(url)
    assert shows_the_tenth in response.content.decode()


@pytest.mark.parametrize("model_id", MODELS)
def test_model_page_shows_how_the_context_weighs_on_it_with_reasons_and_quotes(
    model_id, playbook, client
):
    content = client.get(reverse("playbook:model", args=[model_id])).content.decode()
    found = model(shipped(), model_id)
    assert found["context"]
    assert "How the context weighs on this model" in content
    for weight in found["context"]:
        assert escape(weight["reason"]["en"]) in content
        assert f"“{escape(weight['source']['en'])}”" in content


def test_fellowship_page_names_the_sources_the_report_points_to(playbook, client):
    content = client.get(reverse("playbook:model", args=["fellowship"])).content.decode()
    assert "Further reading the report points to" in content
    assert "Lessons learnt from Code for Australia" in content
    assert escape("The fellowship model, as presented by Sheba Najmi of Code for Pakistan") in (
        content
    )
    gate = "Only the collaboration itself can do this"
    assert gate in content  # the signed MOU, never asked in an assessment
