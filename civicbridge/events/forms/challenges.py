"""A challenge as an institution poses it, and the organisers' review of it (E2)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.collaborations.forms.core import current_people
from civicbridge.core.forms import Form, ModelForm
from civicbridge.partners.models import Organisation

from ..models import Challenge


class ChallengeForm(ModelForm):
    class Meta:
        model = Challenge
        fields = [
            "title",
            "problem",
            "affected_users",
            "data_available",
            "constraints",
            "success_criteria",
            "owner",
            "owner_attends",
            "receiving_capacity",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in (
                "problem",
                "affected_users",
                "data_available",
                "constraints",
                "success_criteria",
                "receiving_capacity",
            )
        }
        help_texts = {
            "problem": _("The real problem, as the people who live with it would tell it."),
            "affected_users": _("Who lives with the problem: residents, staff, businesses…"),
            "data_available": _("Data the teams may use, where it is and under what licence."),
            "constraints": _("Law, systems, budget or policy any answer has to respect."),
            "success_criteria": _("How you will know an answer works."),
            "owner": _(
                "The official who owns the problem and answers the teams' questions. Needed "
                "before you submit it."
            ),
            "owner_attends": _("The owner is there for the teams. Needed before you submit it."),
            "receiving_capacity": _(
                "Who in the institution will take the results forward after the event, and the "
                "time, people or budget committed to it. Registration opens only once every "
                "published challenge says so."
            ),
        }

    def __init__(self, *args, institutions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            institutions = Organisation.objects.filter(pk=self.instance.institution_id)
        else:
            self.fields["institution"] = forms.ModelChoiceField(
                label=_("Institution"),
                queryset=institutions,
                help_text=_("The institution that poses the challenge; you act for it."),
            )
            self.order_fields(["institution"])
            if len(institutions) == 1:
                self.initial.setdefault("institution", institutions[0].pk)
        self.fields["owner"].queryset = current_people(*[o.pk for o in institutions])  # type: ignore[attr-defined]


class ReviewForm(Form):
    """Publish a submitted challenge, or decline it with a note for the institution."""

    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[
            ("publish", _("Publish it: participants see it on the public page")),
            ("decline", _("Decline it: the institution may change it and submit it again")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the institution"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed to decline: say what would make the challenge work."),
    )
