"""The site at scale: with a generated demo catalogue around the shipped one, every public page
runs the same queries as on the shipped catalogue alone, and the filters that reach the big
tables (role skills, salary bands) and full-text search can be served by indexes."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.http import QueryDict
from django.urls import reverse

from catalogue.demo import generate_demo_data
from catalogue.selectors import roles_for_listing
from jobsite.text_search import matching
from roles.filters import RoleFilterSet
from roles.models import Role
from salaries.filters import SalaryBandFilterSet
from salaries.models import SalaryBand
from skills.models import RoleSkill, Skill
from tests.catalogue.test_search import SEARCH_QUERY_BUDGET
from tests.roles.test_list import EXPORT_QUERY_BUDGET as ROLES_EXPORT_QUERY_BUDGET
from tests.roles.test_views import DETAIL_QUERY_BUDGET as ROLE_QUERY_BUDGET
from tests.roles.test_views import HOME_QUERY_BUDGET
from tests.roles.test_views import LIST_QUERY_BUDGET as ROLES_QUERY_BUDGET
from tests.salaries.test_views import EXPLORER_QUERY_BUDGET, EXPORT_QUERY_BUDGET
from tests.skills.test_views import DETAIL_QUERY_BUDGET as SKILL_QUERY_BUDGET
from tests.skills.test_views import LIST_QUERY_BUDGET as SKILLS_QUERY_BUDGET

pytestmark = pytest.mark.django_db

DEMO_ROLES = 200  # ~6,000 role skills and ~1,600 salary bands: 30x the shipped catalogue
BACKEND = "backend-developer"
ROLE_PAGE = reverse("roles:detail", kwargs={"slug": BACKEND})
SKILL_PAGE = reverse("skills:detail", kwargs={"slug": "python"})
EXPLORER = reverse("salaries:explorer")
EXPORT = reverse("salaries:export")

PAGES = [
    (reverse("catalogue:home"), HOME_QUERY_BUDGET),
    (reverse("roles:list"), ROLES_QUERY_BUDGET),
    # Past the end on the shipped catalogue (the nearest page is shown); a real page later.
    (reverse("roles:list") + "?page=5", ROLES_QUERY_BUDGET),
    (reverse("roles:list") + "?skill=python&skill=java", ROLES_QUERY_BUDGET),
    (reverse("roles:list") + "?sort=-salary", ROLES_QUERY_BUDGET),
    (reverse("roles:list") + "?q=developer", ROLES_QUERY_BUDGET),
    (reverse("roles:list") + "?has_pay=yes&sort=-top-salary&page=3", ROLES_QUERY_BUDGET),
    (reverse("roles:export") + "?has_pay=yes&sort=-top-salary", ROLES_EXPORT_QUERY_BUDGET),
    (reverse("catalogue:search") + "?q=backend+developer", SEARCH_QUERY_BUDGET),
    (ROLE_PAGE + "?experience=3", ROLE_QUERY_BUDGET),
    (reverse("skills:list"), SKILLS_QUERY_BUDGET),
    (SKILL_PAGE, SKILL_QUERY_BUDGET),
    (f"{EXPLORER}?experience=3", EXPLORER_QUERY_BUDGET),
    (f"{EXPLORER}?role={BACKEND}&experience=3", EXPLORER_QUERY_BUDGET),
    (f"{EXPORT}?role={BACKEND}", EXPORT_QUERY_BUDGET),
]


@pytest.fixture
def cold_page_queries(page_queries):
    """Queries to render a page, never served from the page cache."""

    def count(url):
        cache.clear()
        return page_queries(url)

    return count


def test_every_page_keeps_its_query_budget_with_a_demo_catalogue(cold_page_queries, catalogue):
    shipped = {url: cold_page_queries(url) for url, _ in PAGES}
    generate_demo_data(roles=DEMO_ROLES, seed=1)
    at_scale = {url: cold_page_queries(url) for url, _ in PAGES}
    assert at_scale == shipped
    for url, budget in PAGES:
        assert shipped[url] <= budget, (url, shipped[url], budget)


def test_demo_pages_cost_what_the_shipped_pages_cost(cold_page_queries, catalogue):
    """The same pages for demo content (a role with ~30 skills and up to 12 bands, the skill
    most roles need) run the same queries as for the shipped backend developer."""
    generate_demo_data(roles=DEMO_ROLES, seed=1)
    role = Role.objects.filter(is_demo=True).order_by("slug").first().slug
    popular, other = (
        Skill.objects.filter(is_demo=True)
        .annotate(uses=Count("role_skills"))
        .order_by("-uses", "slug")
        .values_list("slug", flat=True)[:2]
    )
    pairs = [
        (ROLE_PAGE + "?experience=3", reverse("roles:detail", args=[role]) + "?experience=3"),
        (SKILL_PAGE, reverse("skills:detail", args=[popular])),
        (
            reverse("roles:list") + "?skill=python&skill=java",
            reverse("roles:list") + f"?skill={popular}&skill={other}",
        ),
        (f"{EXPLORER}?role={BACKEND}&experience=3", f"{EXPLORER}?role={role}&experience=3"),
        (f"{EXPORT}?role={BACKEND}", f"{EXPORT}?role={role}"),
    ]
    for shipped_url, demo_url in pairs:
        assert cold_page_queries(demo_url) == cold_page_queries(shipped_url), demo_url


# Indexes -------------------------------------------------------------------------------------
# With a few hundred roles the planner rightly prefers reading small tables whole, so each
# plan is made with sequential scans switched off: a plan that still scans a big table
# sequentially, or reads one of its indexes end to end without a condition, has no index
# that can serve the query.

BIG_TABLES = ("skills_roleskill", "salaries_salaryband")
# An index scan with a condition: "Index Scan using <index> on ...", "Bitmap Index Scan on
# <index>", ... followed by its "Index Cond:" line.
CONDITIONAL_INDEX_SCAN = re.compile(
    r"(?:Index (?:Only )?Scan(?: Backward)? using|Bitmap Index Scan on) (\w+)[^\n]*\n\s*Index Cond:"
)


def plan_without_seqscans(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # until the test's transaction ends
    return queryset.explain()


def indexes_searched(plan: str, table: str) -> set[str]:
    """The indexes of ``table`` that ``plan`` looks values up in."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    indexes = {name for name, info in constraints.items() if info["index"]}
    return set(CONDITIONAL_INDEX_SCAN.findall(plan)) & indexes


def assert_served_by_index(plan: str, table: str, index: str | None = None):
    for big_table in BIG_TABLES:
        assert not re.search(rf"Seq Scan on {big_table}\b", plan), plan
    searched = indexes_searched(plan, table)
    assert searched if index is None else index in searched, plan


@pytest.fixture
def demo_catalogue(catalogue):
    generate_demo_data(roles=DEMO_ROLES, seed=1)


def test_roles_filtered_by_skills_use_the_role_skill_index(demo_catalogue):
    popular = (
        Skill.objects.filter(is_demo=True).annotate(uses=Count("role_skills")).order_by("-uses")
    )
    slugs = list(popular.values_list("slug", flat=True)[:2])
    data = QueryDict(mutable=True)
    data.setlist("skill", slugs)
    roles = RoleFilterSet(data, queryset=roles_for_listing()).qs
    assert roles.exists()
    plan = plan_without_seqscans(roles)
    assert_served_by_index(plan, "skills_roleskill")


def test_the_salary_explorers_role_filter_uses_a_salary_band_index(demo_catalogue):
    role = Role.objects.filter(is_demo=True).order_by("slug").first()
    bands = SalaryBandFilterSet(
        {"role": role.slug, "experience": "3"}, queryset=SalaryBand.objects.for_explorer()
    ).qs
    assert bands.exists()
    plan = plan_without_seqscans(bands)
    assert_served_by_index(plan, "salaries_salaryband")


def test_a_skill_page_finds_its_roles_by_index(demo_catalogue):
    skill = (
        Skill.objects.filter(is_demo=True).annotate(uses=Count("role_skills")).order_by("-uses")[0]
    )
    # As catalogue.selectors.role_links_for_skill_page() loads them.
    links = RoleSkill.objects.filter(skill__in=[skill], role__status=Role.Status.PUBLISHED)
    plan = plan_without_seqscans(links)
    assert_served_by_index(plan, "skills_roleskill")


def test_search_can_use_the_gin_indexes_over_the_stored_vectors(demo_catalogue):
    # Without the published filter and the default ordering, which at this size the planner
    # would rather serve from the status or title index, filtering every row: here the GIN
    # index is the only one that can find the matches.
    roles = matching(Role.objects.order_by(), "reliability engine")
    skills = matching(Skill.objects.order_by(), "runtime")
    assert roles.filter(is_demo=True).exists() and skills.filter(is_demo=True).exists()
    assert_served_by_index(plan_without_seqscans(roles), "roles_role", "role_search_vector_idx")
    assert_served_by_index(plan_without_seqscans(skills), "skills_skill", "skill_search_vector_idx")


def test_a_page_of_the_skills_list_is_read_in_order_from_an_index(demo_catalogue):
    # The order is an expression (SkillKind's order, then the name): only an index on that
    # very expression spares sorting every skill to show the first hundred.
    plan = plan_without_seqscans(Skill.objects.in_kind_order()[:100])
    assert "Index Scan using skill_kind_order_name_idx on skills_skill" in plan, plan
    assert "Sort" not in plan, plan


def test_a_role_typed_by_its_title_in_any_case_is_found_by_index(demo_catalogue):
    # As salaries.forms.RolePickerField looks a typed role up, and the featured ones.
    typed = Role.objects.filter(title__iexact="BACKEND DEVELOPER")
    assert_served_by_index(plan_without_seqscans(typed), "roles_role", "role_upper_title_idx")
    featured = Role.objects.published().filter(featured=True).order_by("title")[:50]
    assert "role_featured_idx" in plan_without_seqscans(featured)
