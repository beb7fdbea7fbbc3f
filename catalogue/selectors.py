"""Reads that span the content apps, shaped for the page that shows them: each brings what
the page's template uses in a fixed number of queries, whatever the catalogue's size."""

from django.db import models

from roles.models import Collaboration, Role, Source
from salaries.models import HigherPayingLocation, SalaryBand, SalaryFigure, pay_summary
from skills.models import RoleSkill, Skill, top_skills

from .changes import last_public_change
from .parts import prefetch_parts


def roles_for_listing() -> models.QuerySet[Role]:
    """Published roles as cards: family, pay span (salaries.models.pay_summary) and top
    skills, by title."""
    return (
        Role.objects.published()
        .select_related("family")
        # Search vectors run to kilobytes a row and no card shows them.
        .defer("search_vector")
        .annotate(**pay_summary())
        .prefetch_related(top_skills())
        .order_by("title")
    )


def roles_for_detail_page() -> models.QuerySet[Role]:
    """Roles with everything their page shows: the rows they own, with their skills split
    into ``technical_skills`` and ``soft_skills`` (skills.models.skill_sections groups them
    by kind for the page), their pay span, their broader occupation, the roles they work
    with (their collaborations with published roles only: visitors see nothing of a draft,
    not even its title) and, as ``published_narrower``, the published occupations that
    narrow them.

    A fixed number of queries, however many skills a role has (ESCO gives some 340): one for
    the roles with their family and broader occupation, one per prefetch."""
    # Search vectors run to kilobytes a row and no page shows them.
    role_skills = RoleSkill.objects.select_related("skill").defer("skill__search_vector")
    narrower = Role.objects.published().only("title", "slug", "broader").order_by("title")
    collaborations = (
        Collaboration.objects.filter(collaborator__status=Role.Status.PUBLISHED)
        .select_related("collaborator")
        .defer("collaborator__search_vector")
    )
    return (
        Role.objects.select_related("family", "broader")
        .defer("search_vector", "broader__search_vector")
        .annotate(**pay_summary(), last_public_change=last_public_change())
        .prefetch_related(
            # Source.citation names the source one is cited in.
            models.Prefetch("sources", Source.objects.select_related("cited_in")),
            models.Prefetch("narrower", narrower, to_attr="published_narrower"),
            *prefetch_parts(
                role_skills=[
                    models.Prefetch("role_skills", role_skills.technical(), "technical_skills"),
                    models.Prefetch("role_skills", role_skills.soft(), "soft_skills"),
                ],
                collaborations=[models.Prefetch("collaborations", collaborations)],
                # Each figure names its source, and the one that source is cited in.
                salary_bands=[models.Prefetch("salary_bands", SalaryBand.objects.for_role_page())],
                salary_figures=[
                    models.Prefetch(
                        "salary_figures",
                        SalaryFigure.objects.select_related("location", "source__cited_in"),
                    )
                ],
                higher_paying_locations=[
                    models.Prefetch(
                        "higher_paying_locations",
                        HigherPayingLocation.objects.select_related("location", "source__cited_in"),
                    )
                ],
            ),
        )
    )


def role_links_for_skill_page(skill: Skill) -> models.QuerySet[RoleSkill]:
    """``skill``'s links to published roles, required first then by title, each role with
    its family and pay span: a skill page's list, a page at a time. The roles are fetched
    for the links on the page only."""
    roles = Role.objects.select_related("family").defer("search_vector").annotate(**pay_summary())
    return (
        skill.role_skills.filter(role__status=Role.Status.PUBLISHED)
        .order_by(RoleSkill.required_first(), "role__title")
        .prefetch_related(models.Prefetch("role", queryset=roles))
    )
