"""The API's views: thin, each a DRF generic view over the queryset or selector its page uses,
filtered by the page's own FilterSet (through DjangoFilterBackend), so the site and the API
cannot drift apart. Published content only: drafts appear nowhere, not even by title."""

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView, RetrieveAPIView, get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from catalogue.forms import SearchForm
from catalogue.search import SearchResults, forgiving_search
from catalogue.selectors import (
    role_links_for_skill_page,
    roles_for_detail_page,
    roles_for_listing,
)
from jobsite.cache import page_depends_on, role_tag
from jobsite.text_search import MAX_QUERY_LENGTH
from roles.filters import RoleFilterSet
from roles.models import RoleFamily
from salaries.filters import SalaryBandApiFilterSet
from salaries.forms import MAX_YEARS_OF_EXPERIENCE
from salaries.models import SalaryBand
from skills.filters import SkillApiFilterSet
from skills.models import Skill
from skills.views import NARROWER_SKILLS_SHOWN

from . import serializers as api_serializers

# The roles a skill's answer lists; roles_url has every one of them, a page at a time.
SKILL_ROLES_SHOWN = 50

# The endpoints the index lists, by route name: each also has a page in the docs.
ENDPOINTS = {
    "roles": "api:roles",
    "skills": "api:skills",
    "salary_bands": "api:salary-bands",
    "families": "api:families",
    "search": "api:search",
    "schema": "api:schema",
    "docs": "api:docs",
}


class ApiIndexView(APIView):
    @extend_schema(
        summary="The API's endpoints",
        responses=inline_serializer(
            "Index",
            {name: serializers.URLField() for name in ENDPOINTS},
        ),
    )
    def get(self, request):
        return Response(
            {name: request.build_absolute_uri(reverse(route)) for name, route in ENDPOINTS.items()}
        )


class CatalogueListView(ListAPIView):
    """A list a page at a time. Subclasses say which records on a page came from ESCO
    (``attributed_records``), for the page's attribution."""

    def attributed_records(self, rows) -> list:
        return rows


@extend_schema(
    summary="Published roles",
    description="The roles list's filters, as on /roles/ and with its validation.",
    parameters=[
        OpenApiParameter(
            "family",
            str,
            description="A family's or ISCO-08 group's slug: its roles and "
            "those of the groups below it.",
        ),
        OpenApiParameter(
            "isco",
            str,
            pattern=r"^[0-9]{1,4}$",
            description="An ISCO-08 group's code, "
            "1 to 4 digits: its roles and those of the groups below it.",
        ),
        OpenApiParameter(
            "skill",
            {"type": "array", "items": {"type": "string"}},
            explode=True,
            description="Skills by slug or name; repeat for several: roles needing them all.",
        ),
    ],
)
class RoleListView(CatalogueListView):
    serializer_class = api_serializers.RoleSerializer
    filterset_class = RoleFilterSet

    def get_queryset(self):
        # Filters and the salary sort work on the cards' read (its pay annotations)...
        return roles_for_listing()

    def get_row_queryset(self):
        # ...and the rows are built for the page's roles only (CataloguePagination).
        return roles_for_listing()

    def attributed_records(self, roles):
        skills = [link.skill for role in roles for link in role.top_skills]
        return [*roles, *(role.family for role in roles), *skills]


@extend_schema(summary="A published role, with everything its page shows")
class RoleDetailView(RetrieveAPIView):
    serializer_class = api_serializers.RoleDetailSerializer
    lookup_field = "slug"
    filter_backends = []

    def get_queryset(self):
        return roles_for_detail_page().published()

    def get_object(self):
        role = super().get_object()
        page_depends_on(self.request, role_tag(role.pk))
        return role


@extend_schema(
    summary="Skills",
    description="The skills list's filters (as on /skills/): kind, q (name, other names or "
    "description contains), group (an ESCO skill group's slug), and type (ESCO's skill type).",
    parameters=[OpenApiParameter("group", str, description="An ESCO skill group's slug.")],
)
class SkillListView(CatalogueListView):
    serializer_class = api_serializers.SkillSerializer
    filterset_class = SkillApiFilterSet
    queryset = Skill.objects.in_kind_order()

    def get_row_queryset(self):
        # Role counts for the page's skills only (the GROUP BY would count every skill's).
        return Skill.objects.for_listing()


@extend_schema(summary="A skill, where ESCO places it, and the published roles that need it")
class SkillDetailView(RetrieveAPIView):
    serializer_class = api_serializers.SkillDetailSerializer
    filter_backends = []

    def get_object(self):
        skills = Skill.objects.for_detail_page(narrower_shown=NARROWER_SKILLS_SHOWN)
        skill = get_object_or_404(skills, slug=self.kwargs["slug"])
        links = role_links_for_skill_page(skill)
        skill.role_links_shown = list(links[:SKILL_ROLES_SHOWN])
        skill.role_count = links.count()
        page_depends_on(self.request, *(role_tag(link.role_id) for link in skill.role_links_shown))
        return skill


@extend_schema(
    summary="Salary bands of published roles",
    description="The salary explorer's filters (as on /salaries/, with the same validation): "
    "role (slug or title), experience (years: marks the bands that hold it, in "
    "matches_experience), location (slug), and currency and period. Each band names its "
    "source.",
    parameters=[
        OpenApiParameter("role", str, description="A role's slug or title."),
        OpenApiParameter(
            "experience",
            {"type": "number", "minimum": 0, "maximum": int(MAX_YEARS_OF_EXPERIENCE)},
            description="Years of experience, e.g. 2.5: marks the bands that hold it.",
        ),
    ],
)
class SalaryBandListView(CatalogueListView):
    serializer_class = api_serializers.ExplorerBandSerializer
    filterset_class = SalaryBandApiFilterSet
    queryset = SalaryBand.objects.for_explorer()

    def attributed_records(self, bands):
        return []  # pay figures are ours and our sources', never ESCO's


@extend_schema(
    summary="Role families and ISCO-08 groups with published roles",
    description="Editors' families and ISCO-08's groups with a published role at or below "
    "them, by code then name; a role list of one is at roles_url.",
)
class FamilyListView(CatalogueListView):
    serializer_class = api_serializers.FamilySerializer
    filter_backends = []

    def get_queryset(self):
        return (
            RoleFamily.objects.with_published_roles()
            .with_own_published_role_counts()
            .select_related("parent")
            .order_by("code", "name")
        )


@extend_schema(
    summary="Search roles and skills",
    description="The search page's search: the best published roles and skills for q, "
    "forgiving typos (a correction is searched when the words find nothing; as_typed=true "
    "searches them as typed).",
    parameters=[
        OpenApiParameter(
            "q",
            {"type": "string", "maxLength": MAX_QUERY_LENGTH},
            description="Words to search for; without any, nothing is searched.",
        ),
        OpenApiParameter("as_typed", bool, description="Never correct the words."),
    ],
    responses=api_serializers.SearchResultsSerializer,
)
class SearchView(APIView):
    def get(self, request):
        form = SearchForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        query = form.cleaned_data["q"]
        # As on the search page, no words search nothing (and are no error).
        results = (
            forgiving_search(query, as_typed=form.cleaned_data["as_typed"])
            if query
            else SearchResults()
        )
        return Response(
            api_serializers.SearchResultsSerializer(results, context={"request": request}).data
        )
