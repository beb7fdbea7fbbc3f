"""Nothing lost: every catalogue change made in admin or by load_catalogue is in the history,
with who, when and what; editors restore earlier versions and deleted records from admin; and
deletes that would lose data are refused with a reason."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse
from reversion.models import Version

from catalogue.files import load_catalogue
from roles.models import Responsibility, Role
from salaries.models import Location, SalaryBand
from skills.models import RoleSkill, Skill
from tests.admin_forms import admin_form
from tests.factories import RoleFactory, RoleSkillFactory, SkillFactory

pytestmark = pytest.mark.django_db

# What a role's revision holds besides the role.
ROLE_ROWS = {
    "responsibility",
    "frequentlyaskedquestion",
    "roleskill",
    "collaboration",
    "salaryband",
    "salaryfigure",
    "higherpayinglocation",
}


def admin_url(obj, view, *args):
    """The admin page ``view`` (change, history, revision, delete…) of ``obj``."""
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[obj.pk, *args])


def delete_in_admin(client, obj):
    """Confirm the delete of ``obj`` on its admin page, as an editor would."""
    return client.post(admin_url(obj, "delete"), {"post": "yes"})


def save_change_form(client, url, **changes):
    data = admin_form(client, url)
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    return data


def edit_backend_developer(client):
    """As an editor: rewrite the overview, delete the first responsibility, add a skill."""
    role = Role.objects.get(slug="backend-developer")
    url = admin_url(role, "change")
    data = admin_form(client, url)
    new_row = f"role_skills-{data['role_skills-TOTAL_FORMS']}"
    data.update(
        {
            "overview": "Rewritten by an editor.",
            "responsibilities-0-DELETE": "on",
            "role_skills-TOTAL_FORMS": str(int(data["role_skills-TOTAL_FORMS"]) + 1),
            f"{new_row}-skill": SkillFactory(name="Rocketry").pk,
            f"{new_row}-importance": "preferred",
            f"{new_row}-position": "99",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    return role


def test_load_catalogue_records_what_it_created(catalogue):
    role = Role.objects.get(slug="backend-developer")
    version = Version.objects.get_for_object(role).get()
    assert version.revision.user is None
    assert version.revision.comment.startswith("load_catalogue")
    # The role's version holds all of its rows.
    in_revision = {v.content_type.model for v in version.revision.version_set.all()}
    assert {"responsibility", "roleskill", "salaryband", "frequentlyaskedquestion"} <= in_revision
    # One revision per record, so that restoring one restores nothing else.
    for record in [*Role.objects.all(), *Skill.objects.all(), *Location.objects.all()]:
        versions = Version.objects.get_for_object(record)
        assert versions.count() == 1, record
        roots = {v.content_type.model for v in versions.get().revision.version_set.all()}
        assert roots - ROLE_ROWS == {record._meta.model_name}, record
    # Running it again changes nothing, so it records nothing.
    load_catalogue()
    assert Version.objects.get_for_object(role).count() == 1


def test_an_admin_edit_is_recorded_with_who_when_and_what(editor_client, editor, catalogue):
    role = edit_backend_developer(editor_client)
    latest = Version.objects.get_for_object(role).first()
    assert latest.revision.user == editor
    comment = latest.revision.get_comment()
    assert "Overview" in comment
    assert "Deleted responsibility" in comment
    assert "Added role skill" in comment
    page = editor_client.get(admin_url(role, "history")).content.decode()
    assert comment.split(".")[0] in page
    assert editor.username in page
    assert "load_catalogue" in page  # the earlier version, to restore


def test_restoring_an_earlier_version_brings_back_the_whole_role(client, editor_client, catalogue):
    role = Role.objects.get(slug="backend-developer")
    original = Version.objects.get_for_object(role).get()
    responsibilities = list(role.responsibilities.values_list("text", flat=True))
    edit_backend_developer(editor_client)
    assert role.responsibilities.count() == len(responsibilities) - 1

    url = admin_url(role, "revision", original.pk)
    page = editor_client.get(url)
    assert "revert to this version" in page.content.decode()
    role.refresh_from_db()
    assert role.overview == "Rewritten by an editor."  # looking at a version changes nothing
    save_change_form(editor_client, url)

    role.refresh_from_db()
    assert role.overview.startswith("Backend developers look after the server side")
    assert list(role.responsibilities.values_list("text", flat=True)) == responsibilities
    assert not role.role_skills.filter(skill__name="Rocketry").exists()
    latest = Version.objects.get_for_object(role).first()
    assert latest.revision.get_comment().startswith("Reverted to previous version")
    # Visitors see the restored role on the next request, and search finds it again.
    client.logout()
    assert "Rewritten by an editor" not in client.get(role.get_absolute_url()).content.decode()
    found = client.get(reverse("catalogue:search"), {"q": "server side"}).content.decode()
    assert "Backend Developer" in found


def test_a_band_edited_on_its_own_page_shows_in_its_roles_history(editor_client, catalogue):
    band = SalaryBand.objects.get(role__slug="backend-developer", experience_min_years=0)
    url = admin_url(band, "change")
    save_change_form(editor_client, url, maximum=band.maximum + 1000)
    page = editor_client.get(admin_url(band.role, "history")).content.decode()
    assert f"Salary band “{band}”: Changed Maximum." in page


def test_deleting_a_skill_in_use_is_refused_with_the_reason(editor_client, catalogue):
    python = Skill.objects.get(slug="python")
    response = delete_in_admin(editor_client, python)
    assert Skill.objects.filter(pk=python.pk).exists()
    page = response.content.decode()
    assert "The skill “Python” can’t be deleted" in page
    assert "is a skill of 1 role (Backend Developer). Remove it from that role first" in page


def test_deleting_selected_skills_refuses_all_when_one_is_in_use(editor_client, catalogue):
    unused = SkillFactory(name="Unused skill")
    python = Skill.objects.get(slug="python")
    response = editor_client.post(
        reverse("admin:skills_skill_changelist"),
        {"action": "delete_selected", "_selected_action": [unused.pk, python.pk], "post": "yes"},
    )
    assert Skill.objects.filter(pk__in=[unused.pk, python.pk]).count() == 2
    page = response.content.decode()
    assert "Nothing was deleted" in page
    assert "“Python” is a skill of 1 role" in page


def test_deleting_a_role_with_salary_data_is_refused_with_the_reason(editor_client, catalogue):
    role = Role.objects.get(slug="backend-developer")
    response = delete_in_admin(editor_client, role)
    assert Role.objects.filter(pk=role.pk).exists()
    page = response.content.decode()
    assert "has salary data (4 salary bands and 2 salary figures)" in page
    assert "set its status to Archived or Draft instead" in page


def test_deleting_a_role_others_work_with_is_refused_with_the_reason(editor_client, catalogue):
    designer = Role.objects.get(slug="ui-ux-designer")
    response = delete_in_admin(editor_client, designer)
    assert Role.objects.filter(pk=designer.pk).exists()
    page = response.content.decode()
    assert "is listed as a role that Backend Developer works with. Remove it from that role" in page


def test_a_deleted_skill_is_recovered_from_admin(editor_client, editor, catalogue):
    # Made outside admin, so it has no history until it is deleted.
    skill = SkillFactory(name="Carrier pigeons", description="Messages by bird.")
    pk = skill.pk
    response = delete_in_admin(editor_client, skill)
    assert response.status_code == 302
    assert not Skill.objects.filter(pk=pk).exists()

    recover_list = editor_client.get(reverse("admin:skills_skill_recoverlist")).content.decode()
    assert "Carrier pigeons" in recover_list
    assert "Deleted skill “Carrier pigeons”." in recover_list
    assert editor.username in recover_list
    deleted = Version.objects.get_deleted(Skill).get()
    save_change_form(editor_client, reverse("admin:skills_skill_recover", args=[deleted.pk]))

    skill = Skill.objects.get(pk=pk)
    assert (skill.name, skill.description) == ("Carrier pigeons", "Messages by bird.")
    assert skill.search_vector is not None  # found by search again


def test_a_deleted_role_comes_back_with_its_rows(editor_client, catalogue):
    # A draft: a published role is a reviewer's to delete (roles.admin).
    role = RoleFactory(title="Lamplighter", status=Role.Status.DRAFT)
    Responsibility.objects.create(role=role, text="Lights the lamps.", position=1)
    RoleSkillFactory(role=role, skill=Skill.objects.get(slug="python"))
    response = delete_in_admin(editor_client, role)
    assert response.status_code == 302
    assert not Role.objects.filter(title="Lamplighter").exists()

    deleted = Version.objects.get_deleted(Role).get()
    save_change_form(editor_client, reverse("admin:roles_role_recover", args=[deleted.pk]))
    role = Role.objects.get(title="Lamplighter")
    assert list(role.responsibilities.values_list("text", flat=True)) == ["Lights the lamps."]
    assert list(role.role_skills.values_list("skill__slug", flat=True)) == ["python"]


def test_restoring_a_version_that_lists_a_since_deleted_skill_is_refused(editor_client, catalogue):
    role = Role.objects.get(slug="backend-developer")
    original = Version.objects.get_for_object(role).get()
    link = role.role_skills.get(skill__slug="ruby")
    ruby = link.skill
    link.delete()  # outside admin, then the skill itself through admin
    response = delete_in_admin(editor_client, ruby)
    assert response.status_code == 302

    url = admin_url(role, "revision", original.pk)
    response = editor_client.get(url, follow=True)
    assert "refers to a skill deleted since. Recover it first" in response.content.decode()
    # A form submitted anyway (say, from a tab opened before the skill was deleted).
    stale_form = admin_form(editor_client, admin_url(role, "change"))
    assert editor_client.post(url, stale_form).status_code in (200, 302)
    assert not RoleSkill.objects.filter(role=role, skill_id=ruby.pk).exists()
    assert Role.objects.get(pk=role.pk).overview == role.overview  # nothing restored


def test_a_save_that_changes_nothing_records_nothing(editor_client, catalogue):
    """Browsers send a textarea's line breaks as CRLF: the same text, so no change."""
    role = Role.objects.get(slug="backend-developer")
    url = admin_url(role, "change")
    versions = Version.objects.get_for_object(role).count()
    data = admin_form(editor_client, url)
    assert "\n" in data["overview"].strip() and "\r" not in data["overview"]
    as_sent = {
        name: value.replace("\n", "\r\n") if isinstance(value, str) else value
        for name, value in data.items()
    }

    response = editor_client.post(url, as_sent, follow=True)

    assert "Nothing was changed, so nothing was saved." in response.content.decode()
    assert Version.objects.get_for_object(role).count() == versions
    assert not LogEntry.objects.filter(object_id=str(role.pk), action_flag=CHANGE).exists()
    assert Role.objects.get(pk=role.pk).updated_at == role.updated_at


def test_text_saved_through_admin_keeps_plain_line_breaks(editor_client, catalogue):
    role = Role.objects.get(slug="backend-developer")
    url = admin_url(role, "change")
    data = admin_form(editor_client, url)
    save_change_form(
        editor_client,
        url,
        overview="First paragraph.\r\n\r\nSecond paragraph.",
        **{"faqs-0-answer": "One line.\r\nAnother line."},
    )
    role.refresh_from_db()
    assert role.overview == "First paragraph.\n\nSecond paragraph."
    assert role.faqs.get(pk=data["faqs-0-id"]).answer == "One line.\nAnother line."
    change = LogEntry.objects.get(object_id=str(role.pk), action_flag=CHANGE)
    assert "Overview" in change.get_change_message()
