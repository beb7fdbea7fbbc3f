"""The skill pages and the skills list with ESCO's skills: what ESCO says of a skill, where it
places it, and a list that can be narrowed to one of its skill groups."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from catalogue.esco import ATTRIBUTION
from roles.models import Role, RoleFamily
from skills.models import RoleSkill, Skill, SkillGroup, SkillKind
from skills.views import NARROWER_SKILLS_SHOWN
from tests.catalogue.esco_miniature import (
    DIGITAL_BASICS_URI,
    DIGITAL_TOOLS_GROUP_URI,
    GIT_URI,
    ICT_APPLICATION_DEVELOPER_URI,
    ISCED_ICT_NARROW_URI,
    PROGRAMMING_GROUP_URI,
    PYTHON_URI,
    SOFTWARE_DEVELOPER_URI,
    SQL_URI,
    TEAMWORK_URI,
    VERSION_CONTROL_URI,
)
from tests.factories import SkillFactory
from tests.skills.test_views import DETAIL_QUERY_BUDGET, LIST_QUERY_BUDGET, skill_names

pytestmark = pytest.mark.django_db

SKILLS_URL = reverse("skills:list")
# The list's budget, and the group filtered by with its broader and narrower groups.
GROUP_LIST_QUERY_BUDGET = LIST_QUERY_BUDGET + 3


def esco(model, uri):
    return model.objects.get(esco_uri=uri)


def text_of(page):
    """The page's text with its whitespace run together, for phrases split over lines."""
    return " ".join(page.split())


def cold_page_queries(page_queries, url):
    """Queries to render ``url``, never served from the page cache (bulk writes send no
    signal)."""
    cache.clear()
    return page_queries(url)


# The skill page ------------------------------------------------------------------------------


def test_skill_page_says_what_esco_says_of_the_skill(client, esco_miniature):
    python = esco(Skill, PYTHON_URI)
    page = client.get(python.get_absolute_url()).content.decode()
    assert "<h1>Python (computer programming)</h1>" in page
    assert "<strong>Also called:</strong> Python</p>" in page
    assert "Writing, testing and running programs in the Python language" in page
    text = text_of(page)
    assert 'Type in ESCO</dt><dd>Knowledge <span class="help">something you know' in text
    assert 'Reuse level</dt><dd>Sector-specific <span class="help">used in the occupations' in text
    assert f'<a href="{PYTHON_URI}" rel="external">This skill in ESCO</a>' in page
    assert ATTRIBUTION in page and "ESCO version 1.1.1" in page
    assert 'class="notice"' not in page


def test_skill_page_links_its_skill_groups_and_broader_and_narrower_skills(client, esco_miniature):
    group = esco(SkillGroup, ISCED_ICT_NARROW_URI)
    version_control = esco(Skill, VERSION_CONTROL_URI)
    git = esco(Skill, GIT_URI)
    page = client.get(esco(Skill, PYTHON_URI).get_absolute_url()).content.decode()
    assert f'<a href="{group.get_absolute_url()}">{group.name}</a>' in page
    git_page = client.get(git.get_absolute_url()).content.decode()
    assert "Broader skill</dt>" in git_page
    assert f'<a href="{version_control.get_absolute_url()}">{version_control.name}</a>' in git_page
    version_control_page = client.get(version_control.get_absolute_url()).content.decode()
    assert "Narrower skill</dt>" in version_control_page
    assert f'<a href="{git.get_absolute_url()}">{git.name}</a>' in version_control_page


def test_skill_page_lists_the_occupations_that_need_it_essential_first(client, esco_miniature):
    essential_for = esco(Role, SOFTWARE_DEVELOPER_URI)
    optional_for = esco(Role, ICT_APPLICATION_DEVELOPER_URI)
    page = client.get(esco(Skill, PYTHON_URI).get_absolute_url()).content.decode()
    assert page.index(f">{essential_for.title}</a>") < page.index(f">{optional_for.title}</a>")
    essential_card = page[page.index(f">{essential_for.title}</a>") :]
    assert essential_card.index("badge-required") < essential_card.index("</li>")
    optional_card = page[page.index(f">{optional_for.title}</a>") :]
    assert optional_card.index("badge-preferred") < optional_card.index("</li>")
    assert "required means ESCO lists the skill as essential" in page


def test_a_skill_without_an_esco_type_or_reuse_level_leaves_them_out(client, esco_miniature):
    page = client.get(esco(Skill, DIGITAL_BASICS_URI).get_absolute_url()).content.decode()
    assert "Type in ESCO" not in page and "Reuse level" not in page
    assert "This skill in ESCO" in page


def test_a_skill_made_by_editors_has_no_esco_facts_or_attribution(client, db):
    skill = SkillFactory(name="Rust", description="A systems language.")
    page = client.get(skill.get_absolute_url()).content.decode()
    assert "Type in ESCO" not in page and "This skill in ESCO" not in page
    assert "Skill groups and related skills" not in page
    assert ATTRIBUTION not in page


def test_a_skill_esco_dropped_says_so(client, esco_miniature):
    python = esco(Skill, PYTHON_URI)
    Skill.objects.filter(pk=python.pk).update(esco_retired_in="1.2.0")
    page = client.get(python.get_absolute_url()).content.decode()
    assert '<p class="notice">ESCO 1.2.0 no longer holds this skill' in page


def test_a_long_list_of_other_names_is_folded(client, db):
    names = [f"name {number:02}" for number in range(12)]
    skill = SkillFactory(alternative_names="\n".join(names))
    page = client.get(skill.get_absolute_url()).content.decode()
    assert f"<strong>Also called:</strong> {', '.join(names[:8])}</p>" in page
    assert "<details><summary>4 more names</summary>" in page
    folded = page[page.index("4 more names") : page.index("</details>")]
    assert re.findall(r"<li>([^<]+)</li>", folded) == names[8:]


def test_narrower_skills_are_capped_and_counted(client, db):
    broad = SkillFactory(name="advise others")
    narrower = SkillFactory.create_batch(NARROWER_SKILLS_SHOWN + 5)
    broad.narrower_skills.set(narrower)
    page = client.get(broad.get_absolute_url()).content.decode()
    shown = f"the first {NARROWER_SKILLS_SHOWN} of {NARROWER_SKILLS_SHOWN + 5}, by name"
    assert shown in page
    first = sorted(skill.name for skill in narrower)[:NARROWER_SKILLS_SHOWN]
    section = page[page.index('class="skill-narrower"') :]
    section = section[: section.index("</dl>")]
    assert re.findall(r'<a href="/skills/[^"]+/">([^<]+)</a>', section) == first


def add_published_roles_needing(skill, count):
    """``count`` published roles that need ``skill``, half of them as essential, in bulk."""
    family, _ = RoleFamily.objects.get_or_create(name="Bulk family", slug="bulk-family")
    roles = Role.objects.bulk_create(
        Role(
            title=f"{skill.name} occupation {number:03}",
            slug=f"{skill.slug}-occupation-{number:03}",
            family=family,
            status=Role.Status.PUBLISHED,
            summary="An occupation.",
        )
        for number in range(count)
    )
    RoleSkill.objects.bulk_create(
        RoleSkill(
            role=role,
            skill=skill,
            importance=RoleSkill.Importance.REQUIRED if number % 2 else "preferred",
        )
        for number, role in enumerate(roles)
    )


def test_a_skill_350_occupations_need_costs_what_one_3_need_costs(page_queries, esco_miniature):
    python = esco(Skill, PYTHON_URI)
    add_published_roles_needing(esco(Skill, SQL_URI), 1)  # 3 in all, with the miniature's
    pages = [python.get_absolute_url(), esco(Skill, SQL_URI).get_absolute_url()]
    few = [cold_page_queries(page_queries, url) for url in pages]
    assert few == [DETAIL_QUERY_BUDGET, DETAIL_QUERY_BUDGET]

    add_published_roles_needing(python, 350)
    python.narrower_skills.set(SkillFactory.create_batch(NARROWER_SKILLS_SHOWN + 10))
    assert python.role_skills.count() > 350
    many = [cold_page_queries(page_queries, url) for url in (*pages, f"{pages[0]}?page=7")]
    assert many == [DETAIL_QUERY_BUDGET] * 3


# The skills list -----------------------------------------------------------------------------


def test_group_filter_lists_the_skills_of_the_group_under_its_name(client, esco_miniature):
    group = esco(SkillGroup, PROGRAMMING_GROUP_URI)
    response = client.get(group.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert sorted(skill_names(page)) == sorted(group.skills.values_list("name", flat=True))
    assert sorted(skill_names(page)) == [
        "create software prototypes",
        "design responsive web layouts",
        "trace and fix software faults",
    ]
    assert f'<h2 id="skill-group-heading">{group.name}</h2>' in page
    assert "Designing, writing and correcting programs (invented text)." in page
    assert "ESCO skill group S1.2" in page
    # The group stays chosen when the other filters change.
    assert f'<input type="hidden" name="group" value="{group.slug}"' in page
    assert f"<title>Skills in “{group.name}” · Jobsite</title>" in page
    assert ATTRIBUTION in page


def test_group_heading_links_the_groups_above_and_below(client, esco_miniature):
    digital_tools = esco(SkillGroup, DIGITAL_TOOLS_GROUP_URI)
    programming = esco(SkillGroup, PROGRAMMING_GROUP_URI)
    page = client.get(digital_tools.get_absolute_url()).content.decode()
    heading = page[page.index('class="skill-group"') : page.index('id="skill-results-heading"')]
    assert f'<a href="{programming.get_absolute_url()}">{programming.name}</a>' in heading
    assert "Part of" in heading and ">skills</a>" in heading


def test_group_and_kind_and_text_filters_combine(client, esco_miniature):
    group = esco(SkillGroup, PROGRAMMING_GROUP_URI)
    page = client.get(SKILLS_URL, {"group": group.slug, "q": "fix"}).content.decode()
    assert skill_names(page) == ["trace and fix software faults"]
    page = client.get(SKILLS_URL, {"group": group.slug, "kind": "knowledge"}).content.decode()
    assert skill_names(page) == []


def test_text_filter_matches_other_names(client, esco_miniature):
    page = client.get(SKILLS_URL, {"q": "Structured Query"}).content.decode()
    assert skill_names(page) == [esco(Skill, SQL_URI).name]
    page = client.get(SKILLS_URL, {"q": "team up"}).content.decode()
    assert skill_names(page) == [esco(Skill, TEAMWORK_URI).name]


def test_kind_filter_offers_and_applies_esco_kinds(client, esco_miniature):
    page = client.get(SKILLS_URL).content.decode()
    for kind in (SkillKind.KNOWLEDGE, SkillKind.COMPETENCE, SkillKind.TRANSVERSAL):
        assert f'<option value="{kind.value}">{kind.label}</option>' in page
    page = client.get(SKILLS_URL, {"kind": "knowledge"}).content.decode()
    assert skill_names(page) == list(
        Skill.objects.filter(kind="knowledge").order_by("name").values_list("name", flat=True)
    )
    assert esco(Skill, PYTHON_URI).name in skill_names(page)


@pytest.mark.parametrize("value", ["no-such-group", "no\x00group", "x" * 300, "S1.2"])
def test_an_unknown_group_is_a_form_error(client, esco_miniature, value):
    response = client.get(SKILLS_URL, {"group": value})
    page = response.content.decode()
    assert response.status_code == 200
    assert "We know no skill group" in page
    assert 'class="errorlist' in page
    assert "Please correct the filters" in page
    assert skill_names(page) == []
    # The bad value is not carried into the next search, nor a null byte into the page.
    assert 'name="group"' not in page
    assert "\x00" not in page


def test_group_list_query_count_does_not_grow_with_the_group(page_queries, esco_miniature):
    group = esco(SkillGroup, PROGRAMMING_GROUP_URI)
    urls = [group.get_absolute_url(), f"{group.get_absolute_url()}&page=2&q=a"]
    assert [cold_page_queries(page_queries, url) for url in urls] == [GROUP_LIST_QUERY_BUDGET] * 2
    group.skills.add(*SkillFactory.create_batch(150, description="A skill."))
    group.narrower.add(*(SkillGroup.objects.create(name=f"G{n}", slug=f"g{n}") for n in range(5)))
    assert [cold_page_queries(page_queries, url) for url in urls] == [GROUP_LIST_QUERY_BUDGET] * 2
    assert cold_page_queries(page_queries, SKILLS_URL) == LIST_QUERY_BUDGET


def test_a_group_with_no_skills_of_its_own_points_to_its_narrower_groups(client, esco_miniature):
    digital_tools = esco(SkillGroup, DIGITAL_TOOLS_GROUP_URI)
    top = digital_tools.broader.get()
    page = client.get(top.get_absolute_url()).content.decode()
    assert "0 skills" in page
    assert "No skill sits directly in this group: its narrower groups, above, hold them." in page
    assert f'<a href="{digital_tools.get_absolute_url()}">{digital_tools.name}</a>' in page
