from datetime import timedelta

import factory
from django.utils import timezone

from civicbridge.collaborations.choices import Model, Stage
from civicbridge.collaborations.models import Collaboration
from civicbridge.partners.choices import OrganisationKind
from civicbridge.partners.tests.factories import OrganisationFactory


class CollaborationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collaboration

    model = Model.FELLOWSHIP
    title = factory.Sequence(lambda n: f"Collaboration {n}")
    civic_organisation = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.CIVIC)
    institution = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.GOVERNMENT)
    start_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(days=180))
    stage = Stage.PROPOSED
