"""A person on the stakeholder map, and a proposed change of party."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.core.forms import Form
from civicbridge.partners.models import Department, Membership, Organisation, Person

from ..choices import PartySide, StakeholderRole
from ..models import Collaboration


class LabelledChoiceField(forms.ModelChoiceField):
    """A choice of rows labelled from a ready-made mapping (no query per option)."""

    def __init__(self, *args, labels: dict[int, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.labels = labels or {}

    def label_from_instance(self, obj) -> str:
        return self.labels.get(obj.pk, str(obj))


class StakeholderForm(Form):
    person = LabelledChoiceField(
        queryset=Person.objects.none(),
        label=_("Person"),
        help_text=_(
            "Current members of either side. Someone missing? Add their membership on the "
            "organisation's page first."
        ),
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label=_("Side"),
        empty_label=_("The side of their membership"),
        help_text=_("Only needed for someone who belongs to both sides."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=StakeholderRole.choices)
    department = LabelledChoiceField(
        queryset=Department.objects.none(),
        required=False,
        label=_("Department"),
        empty_label=_("The department of their membership"),
    )

    def __init__(self, *args, collaboration: Collaboration, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        parties = collaboration.party_ids
        sides: dict[int, list[str]] = {}
        for person_id, organisation_name in (
            Membership.objects.current()
            .filter(organisation_id__in=parties)
            .order_by("organisation__name")
            .values_list("person_id", "organisation__name")
        ):
            names = sides.setdefault(person_id, [])
            if organisation_name not in names:
                names.append(organisation_name)
        person_field: LabelledChoiceField = self.fields["person"]  # type: ignore[assignment]
        person_field.queryset = Person.objects.filter(pk__in=sides).order_by("name", "id")
        person_field.labels = _person_labels(sides)
        organisation_field: forms.ModelChoiceField = self.fields["organisation"]  # type: ignore[assignment]
        organisation_field.queryset = Organisation.objects.filter(pk__in=parties)
        departments = Department.objects.filter(organisation_id__in=parties).select_related(
            "organisation"
        )
        department_field: LabelledChoiceField = self.fields["department"]  # type: ignore[assignment]
        department_field.queryset = departments.order_by("organisation__name", "name")
        department_field.labels = {
            department.pk: f"{department.organisation.name} — {department.name}"
            for department in departments
        }


def _person_labels(sides: dict[int, list[str]]) -> dict[int, str]:
    names = dict(Person.objects.filter(pk__in=sides).values_list("pk", "name"))
    return {pk: f"{names[pk]} — {', '.join(orgs)}" for pk, orgs in sides.items() if pk in names}


class PartyChangeForm(Form):
    """Propose that another organisation takes one party's place (a merger, a successor)."""

    side = forms.ChoiceField(
        label=_("Which party is replaced"), choices=PartySide.choices, widget=forms.RadioSelect
    )
    successor = forms.ModelChoiceField(
        label=_("The organisation that takes its place"),
        queryset=Organisation.objects.order_by("name", "id"),
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example, the department merged into another. Both sides read this."),
    )

    def __init__(self, *args, collaboration, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = Organisation.objects.exclude(  # type: ignore[attr-defined]
            pk__in=collaboration.party_ids
        ).order_by("name", "id")
