"""The skill filter (skills.forms.SkillsField, as the roles list uses it): a skill named by
slug, by name in any case, or by any other name it goes by; a name several skills share, or
none, explained with the skills it may mean."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from skills.forms import SkillsField
from tests.factories import RoleFactory, RoleSkillFactory, SkillFactory

pytestmark = pytest.mark.django_db

ROLES_URL = reverse("roles:list")


@pytest.fixture
def cloud_roles(db):
    skills = {
        slug: SkillFactory(name=name, slug=slug, alternative_names=other_names)
        for slug, name, other_names in [
            ("aws", "Amazon Web Services (AWS)", "AWS"),
            ("nodejs", "Node.js", "Node\nNodeJS"),
            ("postgresql", "PostgreSQL", "Postgres\n  pgsql  "),
            ("mysql", "MySQL", "My SQL"),
            ("python", "Python", ""),
            # Two skills ESCO-style sharing another name.
            ("sass-language", "Sass", "SCSS\nstyle sheets"),
            ("less-language", "Less", "style sheets"),
        ]
    }
    backend = RoleFactory(title="Backend Developer")
    for slug in ["aws", "nodejs", "postgresql", "python"]:
        RoleSkillFactory(role=backend, skill=skills[slug])
    RoleSkillFactory(role=RoleFactory(title="Data Analyst"), skill=skills["mysql"])
    return skills


def cleaned(*typed):
    return [skill.slug for skill in SkillsField().clean(list(typed))]


def errors(*typed):
    with pytest.raises(ValidationError) as caught:
        SkillsField().clean(list(typed))
    return caught.value.messages


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("aws", "aws"),
        ("AWS", "aws"),
        ("Amazon Web Services (AWS)", "aws"),
        ("node", "nodejs"),
        ("Node", "nodejs"),
        ("nodejs", "nodejs"),
        ("NodeJS", "nodejs"),
        ("node.js", "nodejs"),
        ("postgres", "postgresql"),
        ("Postgres", "postgresql"),
        ("POSTGRESQL", "postgresql"),
        ("pgsql", "postgresql"),  # an other name with stray spaces around it
        ("scss", "sass-language"),
        ("PYTHON", "python"),
    ],
)
def test_a_skill_is_known_by_slug_name_or_other_name_in_any_case(cloud_roles, typed, slug):
    assert cleaned(typed) == [slug]


def test_the_roles_list_filters_by_other_names(client, cloud_roles):
    response = client.get(ROLES_URL, {"skill": ["node", "Postgres"]})
    html = response.content.decode()
    assert re.findall(r'<h3><a href="/roles/[^"]+/">([^<]+)</a></h3>', html) == [
        "Backend Developer"
    ]
    # The chosen skills come back by slug, named as the catalogue names them.
    assert '<input type="checkbox" name="skill" value="nodejs" checked> Node.js' in html
    assert '<input type="checkbox" name="skill" value="postgresql" checked> PostgreSQL' in html


def test_a_skill_named_twice_counts_once(cloud_roles):
    assert cleaned("node", "nodejs", "Node.js") == ["nodejs"]


def test_an_other_name_is_a_whole_line_not_part_of_one(cloud_roles):
    # "My SQL" is MySQL's other name; "sql" alone is no skill's name, and "style" only
    # begins one of the shared lines.
    assert errors("sql")[0].startswith("We know no skill called “sql”.")
    assert errors("style")[0].startswith("We know no skill called “style”.")


def test_a_name_several_skills_share_lists_them(client, cloud_roles):
    assert errors("style sheets") == [
        "“style sheets” is another name for several skills: “Less” or “Sass”. Type the one "
        "you mean by its name."
    ]
    html = client.get(ROLES_URL, {"skill": "Style Sheets"}).content.decode()
    assert "Please correct the filters" in html
    assert "another name for several skills: “Less” or “Sass”" in html


def test_an_unknown_skill_suggests_those_starting_so(client, cloud_roles):
    assert errors("post") == ["We know no skill called “post”. Did you mean “PostgreSQL”?"]
    assert errors("telepathy") == [
        "We know no skill called “telepathy”. Check the spelling, or browse all skills."
    ]
    html = client.get(ROLES_URL, {"skill": ["python", "no"]}).content.decode()
    assert "We know no skill called “no”. Did you mean “Node.js”?" in html


def test_odd_text_is_refused_without_a_500(client, cloud_roles):
    for typed in ["!!!", "C++ & | !", "'; DROP TABLE skills_skill; --", "(^|\\n).*"]:
        response = client.get(ROLES_URL, {"skill": typed})
        assert response.status_code == 200
        assert "We know no skill called" in response.content.decode()


def test_other_names_cost_one_query_more_however_many_skills(cloud_roles):
    def queries(*typed):
        with CaptureQueriesContext(connection) as captured:
            SkillsField().clean(list(typed))
        return len(captured)

    assert queries("python", "aws") == 1  # slugs and names: one query
    assert queries("node", "postgres", "scss") == 2  # then the other names, together
    SkillFactory.create_batch(50, alternative_names="Node-ish")
    assert queries("node", "postgres", "scss") == 2
