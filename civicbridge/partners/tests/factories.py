import factory

from civicbridge.accounts.models import User
from civicbridge.partners.choices import Access, OrganisationKind
from civicbridge.partners.models import Department, Membership, Organisation, Person


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.CIVIC
    country = "Australia"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    organisation = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.GOVERNMENT)
    name = factory.Sequence(lambda n: f"Department {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "member"
    access = Access.NONE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    person = factory.SubFactory(PersonFactory)
    password = factory.django.Password("correct horse battery staple")
