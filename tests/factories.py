from decimal import Decimal

import factory

from roles.models import Role, RoleFamily, Source
from salaries.models import Location, SalaryBand
from skills.models import RoleSkill, Skill


class RoleFamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleFamily
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Family {n}")
    slug = factory.Sequence(lambda n: f"family-{n}")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Survey {n}")
    slug = factory.Sequence(lambda n: f"survey-{n}")
    publisher = "Test Publisher"
    year = 2024


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    title = factory.Sequence(lambda n: f"Role {n}")
    slug = factory.Sequence(lambda n: f"role-{n}")
    family = factory.SubFactory(RoleFamilyFactory)
    status = Role.Status.PUBLISHED
    summary = factory.LazyAttribute(lambda role: f"What a {role.title} does.")
    # Admin publishes a role only with an overview (roles.admin.RoleAdminForm).
    overview = "Who holds this role, and what the work involves day to day."


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.Sequence(lambda n: f"skill-{n}")
    kind = Skill.Kind.PROGRAMMING_LANGUAGE


class RoleSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleSkill

    role = factory.SubFactory(RoleFactory)
    skill = factory.SubFactory(SkillFactory)


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    name = factory.Sequence(lambda n: f"City {n}")
    slug = factory.Sequence(lambda n: f"city-{n}")
    country_code = "IN"


class SalaryBandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalaryBand

    role = factory.SubFactory(RoleFactory)
    experience_min_years = Decimal(0)
    experience_max_years = Decimal(2)
    minimum = 300_000
    maximum = 800_000
    source = factory.SubFactory(SourceFactory)
    year = 2023


class SalaryFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "salaries.SalaryFigure"

    role = factory.SubFactory(RoleFactory)
    measure = "average"
    amount = 640_000
    source = factory.SubFactory(SourceFactory)
    year = 2023


class ResponsibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "roles.Responsibility"

    role = factory.SubFactory(RoleFactory)
    text = factory.Sequence(lambda n: f"Responsibility {n}.")


class FrequentlyAskedQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "roles.FrequentlyAskedQuestion"

    role = factory.SubFactory(RoleFactory)
    question = factory.Sequence(lambda n: f"Question {n}?")
    answer = "An answer."


class CollaborationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "roles.Collaboration"

    role = factory.SubFactory(RoleFactory)
    collaborator = factory.SubFactory(RoleFactory)


class HigherPayingLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "salaries.HigherPayingLocation"

    role = factory.SubFactory(RoleFactory)
    location = factory.SubFactory(LocationFactory)
    source = factory.SubFactory(SourceFactory)
