"""Two versions of a role compared in admin (catalogue.version_diffs, CatalogueAdmin's
compare view): fields and rows that changed, long texts word by word, a link to restore
either side, refused to those who may not see the role, a clear 404 for ids that are not
this role's versions, and a fixed number of queries however many rows the role has."""

import pytest
import reversion
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils.http import urlencode

from catalogue.history import versions_of
from catalogue.version_diffs import Words, compare_versions, word_changes
from roles.models import Responsibility
from skills.models import RoleSkill, Skill
from tests.factories import (
    ResponsibilityFactory,
    RoleFactory,
    RoleSkillFactory,
    SkillFactory,
)
from tests.html_checker import html_problems, needs_java

pytestmark = pytest.mark.django_db

OVERVIEW = "Builds the services behind a product. Keeps them fast and safe."
REWRITTEN = "Builds the services behind a product. Keeps them reliable and safe."


def saved_version(role, *rows):
    """Save ``role`` (and ``rows``) in a revision of their own, as admin does: its version."""
    with reversion.create_revision():
        for row in rows:
            row.save()
        role.save()
    return versions_of(role).order_by("-pk").first()


@pytest.fixture
def two_versions(db):
    """A role, then the same role with a sentence of its overview rewritten, a
    responsibility gone, a skill added and a skill's importance changed."""
    role = RoleFactory(title="Backend Developer", overview=OVERVIEW)
    kept = ResponsibilityFactory(role=role, text="Designs APIs.")
    ResponsibilityFactory(role=role, text="Writes migrations.")
    changed_skill = RoleSkillFactory(
        role=role, skill=SkillFactory(name="Python"), importance="required"
    )
    before = saved_version(role)
    Responsibility.objects.filter(role=role).exclude(pk=kept.pk).delete()
    RoleSkillFactory(role=role, skill=SkillFactory(name="Rocketry"))
    changed_skill.importance = "preferred"
    role.overview = REWRITTEN
    after = saved_version(role, changed_skill)
    return role, before, after


def compare_url(role, **query):
    url = reverse("admin:roles_role_compare", args=[role.pk])
    return f"{url}?{urlencode(query)}" if query else url


# The comparison ------------------------------------------------------------------------------


def test_word_changes_mark_the_words_removed_and_added():
    assert word_changes("Keeps them fast and safe.", "Keeps them reliable and safe.") == [
        (Words.KEPT, "Keeps them "),
        (Words.REMOVED, "fast"),
        (Words.ADDED, "reliable"),
        (Words.KEPT, " and safe."),
    ]


def test_fields_and_rows_that_changed_are_listed_and_the_rest_counted(two_versions):
    role, before, after = two_versions
    diff = compare_versions(role, before, after)

    assert [change.label for change in diff.fields] == ["Overview"]
    overview = diff.fields[0]
    assert (overview.before, overview.after) == (OVERVIEW, REWRITTEN)
    assert (Words.REMOVED, "fast") in overview.words
    assert (Words.ADDED, "reliable") in overview.words
    assert diff.unchanged_fields > 10

    sections = {section.title: section for section in diff.sections}
    assert set(sections) == {"Responsibilities", "Skills"}
    assert sections["Responsibilities"].removed == ["Writes migrations."]
    assert sections["Responsibilities"].unchanged == 1
    skills = sections["Skills"]
    assert skills.added == ["Rocketry"]
    assert [row.label for row in skills.changed] == ["Python"]
    importance = skills.changed[0].changes[0]
    assert (importance.label, importance.before, importance.after) == (
        "Importance",
        "Required",
        "Preferred",
    )
    assert "FAQs" in diff.unchanged_sections


def test_compared_the_other_way_round_rows_added_are_removed(two_versions):
    role, before, after = two_versions
    sections = {
        section.title: section for section in compare_versions(role, after, before).sections
    }
    assert sections["Skills"].removed == ["Rocketry"]
    assert sections["Responsibilities"].added == ["Writes migrations."]


# The page ------------------------------------------------------------------------------------


def test_the_page_marks_the_changed_words_and_offers_to_restore_each_side(
    editor_client, two_versions
):
    role, before, after = two_versions
    page = editor_client.get(compare_url(role, **{"from": before.pk, "to": after.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<del>fast</del><ins>reliable</ins>" in html
    assert "<ins>Rocketry</ins>" in html
    assert "<del>Writes migrations.</del>" in html
    for version in (before, after):
        restore = reverse("admin:roles_role_revision", args=[role.pk, version.pk])
        assert f'href="{restore}"' in html
    assert html.count("Restore this version") == 2
    assert "unchanged fields not shown" in html
    assert "style=" not in html.split('id="content-main"')[1]


def test_side_by_side_shows_each_version_in_its_own_column(editor_client, two_versions):
    role, before, after = two_versions
    html = editor_client.get(
        compare_url(role, **{"from": before.pk, "to": after.pk, "layout": "side"})
    ).content.decode()
    assert (
        '<td class="version-before">Builds the services behind a product. Keeps them '
        "<del>fast</del> and safe.</td>" in html
    )
    assert (
        '<td class="version-after">Builds the services behind a product. Keeps them '
        "<ins>reliable</ins> and safe.</td>" in html
    )


def test_text_an_editor_typed_is_escaped_around_the_marks(editor_client, two_versions):
    role, before, _ = two_versions
    role.overview = OVERVIEW.replace("fast", "<script>alert(1)</script>")
    after = saved_version(role)
    html = editor_client.get(
        compare_url(role, **{"from": before.pk, "to": after.pk})
    ).content.decode()
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in html
    assert "<script>alert" not in html


def test_history_offers_two_versions_to_compare(editor_client, two_versions):
    role, before, after = two_versions
    html = editor_client.get(reverse("admin:roles_role_history", args=[role.pk])).content.decode()
    assert f'action="{compare_url(role)}"' in html
    assert f'name="from" value="{before.pk}"' in html
    assert f'name="to" value="{after.pk}"' in html
    assert 'type="submit" value="Compare"' in html


# Who may see it, and ids that are no versions of this role ----------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, two_versions):
    role, before, after = two_versions
    response = client.get(compare_url(role, **{"from": before.pk, "to": after.pk}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_without_view_permission_are_refused(client, django_user_model, two_versions):
    role, before, after = two_versions
    user = django_user_model.objects.create_user("staff", password="a long password", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_skill"))
    client.force_login(user)
    response = client.get(compare_url(role, **{"from": before.pk, "to": after.pk}))
    assert response.status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"from": "x", "to": "y"},
        {"from": "1.5", "to": "2"},
        {"from": "\x00", "to": "2"},
        {"from": "999999999", "to": "999999998"},
        {"from": str(2**70), "to": "1"},
    ],
)
def test_ids_that_are_not_versions_are_a_404(editor_client, two_versions, query):
    role, _, after = two_versions
    query.setdefault("to", after.pk)
    response = editor_client.get(reverse("admin:roles_role_compare", args=[role.pk]), query)
    assert response.status_code == 404


def test_another_roles_version_is_a_404(editor_client, two_versions):
    role, before, _ = two_versions
    other = saved_version(RoleFactory())
    response = editor_client.get(compare_url(role, **{"from": before.pk, "to": other.pk}))
    assert response.status_code == 404


def test_a_role_that_does_not_exist_is_a_404(editor_client, two_versions):
    _, before, after = two_versions
    url = reverse("admin:roles_role_compare", args=[999999])
    assert editor_client.get(url, {"from": before.pk, "to": after.pk}).status_code == 404


# A fixed number of queries -------------------------------------------------------------------

QUERY_BUDGET = 12  # the same for 3 rows: session, user, permissions, role, versions, rows, skills


def test_a_role_with_hundreds_of_changed_rows_costs_no_more_queries(
    editor_client, django_assert_max_num_queries
):
    role = RoleFactory()
    before = saved_version(role)
    skills = SkillFactory.create_batch(300)
    RoleSkill.objects.bulk_create(RoleSkill(role=role, skill=skill) for skill in skills)
    role.overview = "Rewritten."
    after = saved_version(role)
    url = compare_url(role, **{"from": before.pk, "to": after.pk})
    with django_assert_max_num_queries(QUERY_BUDGET):
        html = editor_client.get(url).content.decode()
    assert html.count("<li><ins>") == 300


@needs_java
def test_history_and_both_layouts_are_valid_html(editor_client, two_versions, tmp_path):
    role, before, after = two_versions
    pages = {
        "history": reverse("admin:roles_role_history", args=[role.pk]),
        "inline": compare_url(role, **{"from": before.pk, "to": after.pk}),
        "side": compare_url(role, **{"from": before.pk, "to": after.pk, "layout": "side"}),
    }
    for name, url in pages.items():
        (tmp_path / f"{name}.html").write_bytes(editor_client.get(url).content)
    problems = html_problems(tmp_path)
    assert problems == [], "\n".join(problems)


def test_a_record_deleted_since_is_named_as_deleted(two_versions):
    role, before, after = two_versions
    skill_id = Skill.objects.get(name="Rocketry").pk
    RoleSkill.objects.filter(skill=skill_id).delete()
    Skill.objects.filter(pk=skill_id).delete()
    sections = {
        section.title: section for section in compare_versions(role, before, after).sections
    }
    assert sections["Skills"].added[0].endswith("(deleted)")


def test_records_without_rows_compare_their_fields(editor_client):
    skill = SkillFactory(name="Pyhton")
    before = saved_version(skill)
    skill.name = "Python"
    after = saved_version(skill)
    url = reverse("admin:skills_skill_compare", args=[skill.pk])
    html = editor_client.get(url, {"from": before.pk, "to": after.pk}).content.decode()
    assert "<del>Pyhton</del> → <ins>Python</ins>" in html
