"""The defences of a form sent without an account, shared by every room."""

from datetime import timedelta

import pytest
import time_machine
from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from civicbridge.core.forms import Form
from civicbridge.core.public_forms import (
    PublicFormMixin,
    check_form_timing,
    form_started,
    within_allowance,
)


class NoteForm(PublicFormMixin, Form):
    started_salt = "tests.note"
    note = forms.CharField()


def _from(address: str):
    return RequestFactory().post("/", REMOTE_ADDR=address)


def test_each_form_counts_its_own_allowance_per_address():
    for _ in range(2):
        assert within_allowance(_from("192.0.2.1"), "notes", 2)
    assert not within_allowance(_from("192.0.2.1"), "notes", 2)
    assert within_allowance(_from("192.0.2.2"), "notes", 2)  # another address
    assert within_allowance(_from("192.0.2.1"), "letters", 2)  # another form


def test_the_moment_is_refused_too_soon_or_a_day_later():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        started = form_started("tests.note")
        with pytest.raises(ValidationError, match="within seconds"):
            check_form_timing(started, "tests.note")
        traveller.shift(timedelta(seconds=5))
        check_form_timing(started, "tests.note")
        with pytest.raises(ValidationError, match="damaged"):
            check_form_timing(started, "another form")
        traveller.shift(timedelta(days=1, seconds=1))
        with pytest.raises(ValidationError, match="more than a day"):
            check_form_timing(started, "tests.note")


def test_the_mixin_adds_the_trap_and_the_clock_to_any_form():
    shown = NoteForm()
    assert {"website", "started"} <= set(shown.fields)
    assert shown.fields["website"].widget.attrs["tabindex"] == "-1"
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        started = form_started("tests.note")
        traveller.shift(timedelta(seconds=5))
        assert NoteForm({"note": "Hello", "started": started, "website": ""}).is_valid()
        trapped = NoteForm({"note": "Hello", "started": started, "website": "x"})
        assert not trapped.is_valid() and "Leave this field empty" in str(trapped.errors)
