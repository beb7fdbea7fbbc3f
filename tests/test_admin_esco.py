"""Admin with ESCO's catalogue: the record of imports, read-only for everyone; ESCO's
bookkeeping shown but not edited; and change pages that stay small and cheap for an
occupation with 340 skills among 14,000."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.models import ImportRun
from roles.models import Role
from skills.models import RoleSkill, Skill, SkillGroup
from tests.catalogue.esco_miniature import (
    PROGRAMMING_GROUP_URI,
    PYTHON_URI,
    SOFTWARE_DEVELOPER_URI,
    WEB_LAYOUTS_URI,
)
from tests.factories import RoleFactory, SkillFactory

pytestmark = pytest.mark.django_db

# The session, the user, their permissions (two), the role, each of its seven inlines' rows,
# the skills its skill rows point at, its family, its sources (two: choices and selected),
# its review steps (with who took them).
ROLE_CHANGE_QUERY_BUDGET = 17
# The session, the user, their permissions (two), the skill, its links to roles, those roles,
# its groups and its broader skills (shown read-only).
SKILL_CHANGE_QUERY_BUDGET = 9


def esco(model, uri):
    return model.objects.get(esco_uri=uri)


def admin_queries(client, url):
    """The page at ``url`` and the number of queries it ran (savepoints left out), once
    Django's caches (content types, permissions) are warm: a first visit fills them."""
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode(), sum("SAVEPOINT" not in q["sql"] for q in queries)


# The record of imports -----------------------------------------------------------------------


def test_editors_see_the_list_of_import_runs(editor_client, esco_miniature):
    run = esco_miniature.run
    page = editor_client.get(reverse("admin:catalogue_importrun_changelist")).content.decode()
    assert "1 import run" in page
    assert run.run_by in page and "1.1.1" in page
    # The summary adds up what every kind of record went through.
    created = sum(counts["created"] for counts in run.counts.values())
    assert f"{created:,} created" in page


def test_an_import_run_shows_its_counts_left_alone_and_checksums(editor_client, esco_miniature):
    run = esco_miniature.run
    page = editor_client.get(
        reverse("admin:catalogue_importrun_change", args=[run.pk])
    ).content.decode()
    for filename, checksum in run.checksums.items():
        assert f"<th scope='row'>{filename}</th><td><code>{checksum}</code></td>" in page
    assert "<th scope='row'>Skills</th>" in page
    assert f"<td>{run.counts['skills']['created']:,}</td>" in page
    assert "no editor had changed what this import would have changed" in page
    # Read, not changed: no form to save.
    assert 'name="_save"' not in page


@pytest.mark.parametrize("as_client", ["editor_client", "admin_client"])
def test_no_one_adds_changes_or_deletes_an_import_run(request, esco_miniature, as_client):
    client = request.getfixturevalue(as_client)
    run = esco_miniature.run
    assert client.get(reverse("admin:catalogue_importrun_add")).status_code == 403
    change = reverse("admin:catalogue_importrun_change", args=[run.pk])
    assert client.post(change, {"esco_version": "9.9.9", "run_by": "me"}).status_code == 403
    delete = reverse("admin:catalogue_importrun_delete", args=[run.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:catalogue_importrun_changelist")
    response = client.post(changelist, {"action": "delete_selected", "_selected_action": [run.pk]})
    assert response.status_code in (200, 302)
    run.refresh_from_db()
    assert run.esco_version == "1.1.1"
    assert ImportRun.objects.count() == 1
    assert "Add import run" not in client.get(changelist).content.decode()


# ESCO's bookkeeping ------------------------------------------------------------------------


def test_skill_change_page_shows_esco_bookkeeping_read_only(editor_client, esco_miniature):
    python = esco(Skill, PYTHON_URI)
    page = editor_client.get(reverse("admin:skills_skill_change", args=[python.pk])).content
    page = page.decode()
    assert 'name="esco_uri"' in page  # editors may correct the concept it stands for
    for name in ("esco_version", "esco_retired_in", "esco_type", "reuse_level", "groups"):
        assert f'name="{name}"' not in page, name
    assert "Sector-specific" in page and "1.1.1" in page
    assert "information and communication technologies, narrow field (mini)" in page


def test_an_editors_skill_chooses_groups_and_broader_skills_by_autocomplete(editor_client, db):
    skill = SkillFactory()
    page = editor_client.get(reverse("admin:skills_skill_change", args=[skill.pk])).content
    page = page.decode()
    for name in ("groups", "broader_skills"):
        select = re.search(rf'<select name="{name}"[^>]*>', page).group(0)
        assert "admin-autocomplete" in select, name


def test_role_change_page_shows_esco_code_and_broader_read_only(editor_client, esco_miniature):
    role = esco(Role, SOFTWARE_DEVELOPER_URI)
    page = editor_client.get(reverse("admin:roles_role_change", args=[role.pk])).content
    page = page.decode()
    assert "2512.4" in page and 'name="esco_code"' not in page
    assert 'name="esco_uri"' in page
    editors_role = RoleFactory()
    page = editor_client.get(reverse("admin:roles_role_change", args=[editors_role.pk])).content
    select = re.search(r'<select name="broader"[^>]*>', page.decode()).group(0)
    assert "admin-autocomplete" in select


def test_skills_and_roles_can_be_listed_by_where_they_come_from(editor_client, esco_miniature):
    SkillFactory(name="Editors’ own skill")
    url = reverse("admin:skills_skill_changelist")
    from_esco = editor_client.get(url, {"from_esco": "yes"}).content.decode()
    by_editors = editor_client.get(url, {"from_esco": "no"}).content.decode()
    assert "Python (computer programming)" in from_esco and "Editors’ own skill" not in from_esco
    assert "Editors’ own skill" in by_editors and "Python (computer programming)" not in by_editors
    for lookup in ({"esco_type__exact": "knowledge"}, {"reuse_level__exact": "transversal"}):
        assert editor_client.get(url, lookup).status_code == 200
    roles = editor_client.get(reverse("admin:roles_role_changelist"), {"from_esco": "yes"})
    assert "software developer" in roles.content.decode()


def test_skill_groups_are_read_only_where_esco_holds_them(editor_client, esco_miniature):
    group = esco(SkillGroup, PROGRAMMING_GROUP_URI)
    page = editor_client.get(reverse("admin:skills_skillgroup_change", args=[group.pk])).content
    page = page.decode()
    assert 'name="name"' not in page and 'name="broader"' not in page
    assert "programming and building software" in page
    found = editor_client.get(reverse("admin:skills_skillgroup_changelist"), {"q": "S1.2"})
    assert "programming and building software" in found.content.decode()


def test_a_skill_group_links_to_its_skills_in_admin(editor_client, esco_miniature):
    group = esco(SkillGroup, PROGRAMMING_GROUP_URI)
    page = editor_client.get(reverse("admin:skills_skillgroup_changelist")).content.decode()
    link = re.search(rf'<a href="([^"]+groups__id__exact={group.pk})">3</a>', page).group(1)
    skills = editor_client.get(link.replace("&amp;", "&"))
    assert skills.status_code == 200
    assert "create software prototypes" in skills.content.decode()
    assert "Python (computer programming)" not in skills.content.decode()


def test_skills_esco_dropped_can_be_listed(editor_client, esco_miniature):
    Skill.objects.filter(esco_uri=PYTHON_URI).update(esco_retired_in="1.2.0")
    url = reverse("admin:skills_skill_changelist")
    page = editor_client.get(url, {"from_esco": "retired"}).content.decode()
    assert "Python (computer programming)" in page and "SQL (database queries)" not in page


def test_role_families_list_their_isco_code_and_level(editor_client, esco_miniature):
    page = editor_client.get(reverse("admin:roles_rolefamily_changelist"), {"q": "2512"})
    page = page.content.decode()
    assert "Software developers" in page and "Unit group" in page


# Big occupations ----------------------------------------------------------------------------


def give_role_skills(role, count):
    skills = Skill.objects.bulk_create(
        Skill(name=f"Bulk skill {number:03}", slug=f"bulk-skill-{number:03}", kind="competence")
        for number in range(count)
    )
    RoleSkill.objects.bulk_create(
        RoleSkill(role=role, skill=skill, position=number) for number, skill in enumerate(skills)
    )


def test_role_change_page_uses_autocomplete_for_skills(editor_client, esco_miniature):
    role = esco(Role, SOFTWARE_DEVELOPER_URI)
    page = editor_client.get(reverse("admin:roles_role_change", args=[role.pk])).content.decode()
    selects = re.findall(r'<select name="role_skills-\d+-skill"[^>]*>', page)
    assert len(selects) == role.role_skills.count()
    assert all("admin-autocomplete" in select for select in selects)
    # Each row offers its own skill only: no list of every skill.
    assert esco(Skill, WEB_LAYOUTS_URI).name not in page
    python = esco(Skill, PYTHON_URI)
    assert page.count(f'<option value="{python.pk}" selected>{python.name}</option>') == 1


def test_a_role_with_340_skills_costs_what_one_with_8_costs(editor_client, esco_miniature):
    role = esco(Role, SOFTWARE_DEVELOPER_URI)
    url = reverse("admin:roles_role_change", args=[role.pk])
    _, few = admin_queries(editor_client, url)
    give_role_skills(role, 340 - role.role_skills.count())
    page, many = admin_queries(editor_client, url)
    assert role.role_skills.count() == 340
    assert len(re.findall(r'<select name="role_skills-\d+-skill"', page)) == 340
    assert few == many == ROLE_CHANGE_QUERY_BUDGET


def test_a_skill_350_roles_need_costs_what_one_2_need_costs(editor_client, esco_miniature):
    python = esco(Skill, PYTHON_URI)
    url = reverse("admin:skills_skill_change", args=[python.pk])
    _, few = admin_queries(editor_client, url)
    roles = Role.objects.bulk_create(
        Role(
            title=f"Occupation {number:03}",
            slug=f"occupation-{number:03}",
            family=python.role_skills.first().role.family,
            summary="An occupation.",
        )
        for number in range(348)
    )
    RoleSkill.objects.bulk_create(RoleSkill(role=role, skill=python) for role in roles)
    page, many = admin_queries(editor_client, url)
    assert len(re.findall(r'<select name="role_skills-\d+-role"', page)) == 350
    assert few == many == SKILL_CHANGE_QUERY_BUDGET
