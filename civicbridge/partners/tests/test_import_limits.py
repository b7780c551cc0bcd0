"""A Popolo file is refused at the first import limit it crosses, and nothing is saved."""

import json

import pytest

from civicbridge.partners.imports import ImportFailed, import_file
from civicbridge.partners.models import Organisation, Person


@pytest.mark.django_db
def test_more_persons_than_the_limit_are_refused_and_nothing_saved(settings):
    settings.IMPORT_MAX_RECORDS = 2
    persons = [{"id": f"p{i}", "name": f"Person {i}"} for i in range(3)]
    content = json.dumps({"organizations": [{"id": "o", "name": "O"}], "persons": persons})
    with pytest.raises(ImportFailed) as refused:
        import_file("popolo", content.encode())
    assert refused.value.errors == ["The file has more than 2 persons."]
    assert not Person.objects.exists() and not Organisation.objects.exists()


@pytest.mark.django_db
def test_deep_nesting_is_refused_before_it_is_built():
    with pytest.raises(ImportFailed) as refused:
        import_file("civic_orgs", b"[" * 100_000 + b"]" * 100_000)
    assert refused.value.errors == ["The file is nested deeper than 32 levels."]
