"""What `load_demo` loads and prints: the accounts people can sign in with, and the counts
of real organisations the README states."""

import re
from functools import partial
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from civicbridge.partners.choices import OrganisationKind
from civicbridge.partners.civic_orgs import ID_PREFIX
from civicbridge.partners.management.commands.load_demo import PASSWORD
from civicbridge.partners.models import Organisation
from conftest import loaded_for_module

README = Path(__file__).resolve().parents[3] / "README.md"


@pytest.fixture(scope="module")
def printed(django_db_setup, django_db_blocker, tmp_path_factory):
    """What loading the demo printed."""
    output = StringIO()
    load = partial(call_command, "load_demo", stdout=output)
    with loaded_for_module(django_db_blocker, tmp_path_factory.mktemp("media"), load):
        yield output.getvalue()


def test_every_account_printed_signs_in_with_the_printed_password(printed, db):
    assert f"every password is {PASSWORD}" in printed
    listed = re.findall(r"\S+@\S+\.\w+", printed.split("sign in as", 1)[1])
    users = get_user_model().objects.all()
    can_sign_in = {u.email for u in users if u.is_active and u.check_password(PASSWORD)}
    assert sorted(listed) == sorted(can_sign_in)
    # The demo holds an account with no password (a judge); it is not offered.
    no_password = [u.email for u in users if not u.has_usable_password()]
    assert no_password and not set(no_password) & set(listed)


def readme_number(words: str) -> int:
    """The number the README's demo section puts before the words."""
    section = README.read_text().split("## The demo workspace", 1)[1].split("\n## ", 1)[0]
    found = re.findall(rf"(\d+)\s+{words.replace(' ', r'\s+')}", section)
    assert len(found) == 1, f"the README states {words!r} {len(found)} times"
    return int(found[0])


def test_the_readme_counts_the_real_organisations_the_directory_shows(printed, db):
    listed = Organisation.objects.of_kind(None)
    brigade_list = listed.filter(popolo_id__startswith=ID_PREFIX)
    assert readme_number("civic-technology organisations") == (
        brigade_list.filter(kind=OrganisationKind.CIVIC).count()
    )
    assert readme_number("government digital teams") == (
        brigade_list.filter(kind=OrganisationKind.GOVERNMENT).count()
    )
    assert readme_number("local councils") == (
        listed.filter(kind=OrganisationKind.GOVERNMENT, classification="legislature").count()
    )
    parties = Organisation.objects.filter(classification__iexact="party")
    assert readme_number("political parties") == parties.count()
    # Every party is filed as one, and the directory shows none unless asked.
    assert set(parties.values_list("kind", flat=True)) == {OrganisationKind.PARTY}
    assert not listed.filter(kind=OrganisationKind.PARTY).exists()
    assert Organisation.objects.of_kind(OrganisationKind.PARTY).count() == parties.count()
