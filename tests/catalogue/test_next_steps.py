"""A role page's next steps (catalogue.comparing.next_steps): the published roles whose
skills overlap most with the role's, what each needs besides, ESCO's broader and narrower
occupations marked, and one query however many skills and roles there are."""

import re

import pytest

from catalogue.comparing import next_steps
from roles.models import Role
from skills.models import SkillKind
from tests.factories import RoleFactory, RoleSkillFactory, SkillFactory

pytestmark = pytest.mark.django_db


def needs(role, *skills, importance="required"):
    for skill in skills:
        RoleSkillFactory(role=role, skill=skill, importance=importance)


@pytest.fixture
def developer(db):
    """A developer with five skills; a close role (four of them, one more), a sprawling one
    (all five and forty more), one sharing a single skill, one sharing none, and a draft
    sharing everything."""
    skills = [SkillFactory(name=name) for name in ("Python", "SQL", "Git", "Linux", "Testing")]
    developer = RoleFactory(title="Developer", slug="developer")
    needs(developer, *skills)
    close = RoleFactory(title="Close Role", slug="close")
    needs(close, *skills[:4], SkillFactory(name="Docker"))
    needs(close, SkillFactory(name="Agile"), importance="preferred")
    sprawling = RoleFactory(title="Sprawling Role", slug="sprawling")
    needs(sprawling, *skills, *SkillFactory.create_batch(40))
    distant = RoleFactory(title="Distant Role", slug="distant")
    needs(distant, skills[0], SkillFactory(name="Welding"))
    needs(RoleFactory(title="Unrelated Role"), SkillFactory(name="Baking"))
    draft = RoleFactory(title="Draft Role", status=Role.Status.DRAFT)
    needs(draft, *skills)
    return developer


def titles(steps):
    return [step.title for step in steps]


def test_the_closest_roles_come_first_not_those_with_most_skills(developer):
    steps = next_steps(developer)
    # Close shares 4 of the 7 skills the two need; Sprawling 5 of 45; Distant 1 of 6.
    assert titles(steps) == ["Close Role", "Distant Role", "Sprawling Role"]
    close = steps[0]
    assert (close.shared_skills, close.skills_added) == (4, 2)


def test_each_step_names_a_few_skills_it_adds_required_first(developer):
    [close, distant, sprawling] = next_steps(developer)
    assert close.skills_added_shown == [
        {"name": "Docker", "slug": close.skills_added_shown[0]["slug"], "importance": "required"},
        {"name": "Agile", "slug": close.skills_added_shown[1]["slug"], "importance": "preferred"},
    ]
    assert close.more_skills_added == 0
    assert len(sprawling.skills_added_shown) == 3
    assert (sprawling.skills_added, sprawling.more_skills_added) == (40, 37)
    assert sprawling.compare_url == "/compare/?role=developer&role=sprawling"


def test_drafts_and_roles_sharing_nothing_are_left_out(developer):
    assert {"Draft Role", "Unrelated Role", "Developer"}.isdisjoint(titles(next_steps(developer)))


def test_roles_already_compared_are_left_out_and_kept_in_the_compare_link(developer):
    close = Role.objects.get(slug="close")
    steps = next_steps(developer, compared=[close])
    assert titles(steps) == ["Distant Role", "Sprawling Role"]
    assert steps[0].compare_url == "/compare/?role=developer&role=close&role=distant"


def test_broader_and_narrower_occupations_are_marked_and_first_among_equals(developer):
    python = developer.role_skills.get(skill__name="Python").skill
    broader = RoleFactory(title="Z Broader")
    narrower = RoleFactory(title="Y Narrower", broader=developer)
    same = RoleFactory(title="A Unrelated Twin")
    for role in (broader, narrower, same):
        needs(role, python, SkillFactory())
    developer.broader = broader
    developer.save()
    steps = next_steps(developer)
    # The four share one skill in six; among them ESCO's neighbours first, then by title.
    assert titles(steps)[1:5] == ["Y Narrower", "Z Broader", "A Unrelated Twin", "Distant Role"]
    marks = {step.title: (step.is_broader, step.is_narrower) for step in steps}
    assert marks["Z Broader"] == (True, False)
    assert marks["Y Narrower"] == (False, True)
    assert marks["A Unrelated Twin"] == (False, False)


def test_one_query_with_esco_shapes(developer, django_assert_num_queries):
    """340 skills for the role, a skill 350 roles need, as in ESCO's largest shapes."""
    with django_assert_num_queries(1):
        next_steps(developer)
    kinds = [SkillKind.KNOWLEDGE, SkillKind.COMPETENCE, SkillKind.TRANSVERSAL]
    for index in range(334):  # and teamwork, below: 340
        RoleSkillFactory(role=developer, skill=SkillFactory(kind=kinds[index % 3]))
    teamwork = SkillFactory(name="cooperate within a team", kind=SkillKind.TRANSVERSAL)
    for role in RoleFactory.create_batch(349):
        needs(role, teamwork)
    needs(developer, teamwork)
    with django_assert_num_queries(1):
        steps = next_steps(developer)
    assert len(steps) == 6


# On the role page -------------------------------------------------------------------------


def test_the_role_page_lists_next_steps_with_links_to_compare(client, developer):
    html = client.get(developer.get_absolute_url()).content.decode()
    assert '<li><a href="#next-steps">Next steps</a></li>' in html
    section = re.search(r'<section id="next-steps".*?</section>', html, re.S)[0]
    assert re.findall(r'<h3><a href="/roles/[^"]+/">([^<]+)</a>', section) == [
        "Close Role",
        "Distant Role",
        "Sprawling Role",
    ]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", section))
    assert "4 skills in common. Also needs Docker Required, Agile." in text
    assert "and 37 more." in text
    assert (
        '<a href="/compare/?role=developer&amp;role=close">Compare Developer with Close Role</a>'
        in section
    )


def test_a_role_sharing_no_skills_says_so_and_still_offers_to_compare(client, db):
    loner = RoleFactory(slug="loner")
    needs(loner, SkillFactory())
    section = re.search(
        r'<section id="next-steps".*?</section>',
        client.get(loner.get_absolute_url()).content.decode(),
        re.S,
    )[0]
    assert "No other published role shares skills with this one yet." in section
    assert 'href="/compare/?role=loner">Compare with another role</a>' in section
