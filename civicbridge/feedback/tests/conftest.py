import pytest

from civicbridge.collaborations.choices import Model, Stage
from tests.factories import CollaborationFactory


@pytest.fixture
def programme(world):
    """A public, running service delivery of the world's two sides."""
    return CollaborationFactory.create(
        model=Model.SERVICE_DELIVERY,
        title="Permits online",
        civic_organisation=world.civic,
        institution=world.institution,
        stage=Stage.ACTIVE,
        public=True,
    )
