import pytest

from .trainingdata import programme as make_programme
from .trainingdata import with_curriculum


@pytest.fixture
def programme(world, playbook):
    return make_programme(world)


@pytest.fixture
def taught(world, programme):
    """The programme with its curriculum: (basics, practice, objectives)."""
    return with_curriculum(world, programme)
