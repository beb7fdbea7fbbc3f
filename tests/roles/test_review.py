"""The review workflow (roles.review, issue 15): editors submit, reviewers publish or send
back with a comment, every step kept; enforced on the server, whatever the form sends."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from roles.models import ReviewEvent, Role
from roles.review import step_for
from tests.admin_forms import admin_form
from tests.factories import ResponsibilityFactory, RoleFactory
from tests.test_history import admin_url

pytestmark = pytest.mark.django_db

Status, Action = Role.Status, ReviewEvent.Action
CHANGE_LIST = reverse("admin:roles_role_changelist")


def ready_role(status=Status.DRAFT, **fields):
    """A role whose page is complete enough to publish."""
    role = RoleFactory(status=status, **fields)
    ResponsibilityFactory(role=role)
    return role


def steps(role):
    return list(role.review_events.order_by("at").values_list("action", "by__username", "comment"))


def status_of(role):
    return Role.objects.get(pk=role.pk).status


# Who may do what, as the rules say ---------------------------------------------------------


def test_editors_submit_drafts_and_reviewers_decide(editor, reviewer, admin_user):
    assert step_for(user=editor, before=Status.DRAFT, after=Status.IN_REVIEW) == Action.SUBMITTED
    for before, after in [
        (Status.DRAFT, Status.PUBLISHED),
        (Status.IN_REVIEW, Status.PUBLISHED),
        (Status.PUBLISHED, Status.ARCHIVED),
        (Status.PUBLISHED, Status.DRAFT),
        (Status.IN_REVIEW, Status.DRAFT),
        (Status.PUBLISHED, Status.IN_REVIEW),
    ]:
        with pytest.raises(PermissionDenied):
            step_for(user=editor, before=before, after=after, comment="Looks fine")
    for user in (reviewer, admin_user):
        assert step_for(user=user, before=Status.IN_REVIEW, after=Status.PUBLISHED) == (
            Action.PUBLISHED
        )
        assert step_for(user=user, before=Status.PUBLISHED, after=Status.ARCHIVED) == (
            Action.ARCHIVED
        )
        assert (
            step_for(user=user, before=Status.IN_REVIEW, after=Status.DRAFT, comment="Why")
            == Action.SENT_BACK
        )


def test_sending_back_needs_a_comment_and_the_database_holds_it_too(reviewer):
    with pytest.raises(ValidationError):
        step_for(user=reviewer, before=Status.IN_REVIEW, after=Status.DRAFT, comment="  ")
    with pytest.raises(IntegrityError):
        ReviewEvent.objects.create(role=RoleFactory(), action=Action.SENT_BACK, by=reviewer)


# The change form ---------------------------------------------------------------------------


def test_an_editor_submits_a_draft_for_review_with_the_button(editor_client, editor):
    role = ready_role()
    url = admin_url(role, "change")
    page = editor_client.get(url).content.decode()
    assert 'name="_submit_for_review"' in page
    assert 'name="_publish"' not in page and 'name="_send_back"' not in page
    # The status offers an editor the draft it is and "in review", nothing more.
    assert 'value="published"' not in page.split('id="id_status"')[1].split("</select>")[0]

    data = admin_form(editor_client, url) | {"_submit_for_review": "Save and submit for review"}
    data["review_comment"] = "New overview: please check the figures."
    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    assert status_of(role) == Status.IN_REVIEW
    assert steps(role) == [(Action.SUBMITTED, "editor", "New overview: please check the figures.")]


@pytest.mark.parametrize(
    "crafted",
    [
        {"status": Status.PUBLISHED},
        {"_publish": "Save and publish"},
        {"status": Status.ARCHIVED},
    ],
)
def test_an_editor_cannot_publish_or_archive_with_a_crafted_post(editor_client, crafted):
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED):
        role = ready_role(status=status)
        url = admin_url(role, "change")
        response = editor_client.post(url, admin_form(editor_client, url) | crafted)
        if status == crafted.get("status", Status.PUBLISHED):
            # Published already: saving it unchanged is an edit, not a step.
            assert response.status_code == 302
        else:
            assert response.status_code == 200, (status, crafted)
            assert "errornote" in response.content.decode()
        assert status_of(role) == status
        assert not role.review_events.exists()


def test_an_editor_cannot_take_a_published_role_off_the_site(editor_client):
    role = ready_role(status=Status.PUBLISHED)
    url = admin_url(role, "change")
    for status in (Status.DRAFT, Status.IN_REVIEW):
        response = editor_client.post(url, admin_form(editor_client, url) | {"status": status})
        assert response.status_code == 200
    assert status_of(role) == Status.PUBLISHED


def test_an_editor_cannot_publish_by_restoring_a_published_version(editor_client, reviewer_client):
    role = ready_role(status=Status.IN_REVIEW)
    url = admin_url(role, "change")
    # A reviewer publishes it (History keeps that version), then takes it back to draft.
    reviewer_client.post(url, admin_form(reviewer_client, url) | {"_publish": "Publish"})
    assert status_of(role) == Status.PUBLISHED
    data = admin_form(reviewer_client, url) | {"status": Status.DRAFT, "review_comment": "Redo"}
    assert reviewer_client.post(url, data).status_code == 302
    assert status_of(role) == Status.DRAFT

    from reversion.models import Version

    published = next(
        version
        for version in Version.objects.get_for_object(role)
        if version.field_dict["status"] == Status.PUBLISHED
    )
    revision_url = admin_url(role, "revision", published.pk)
    # The form offers an editor no "Published"; a crafted POST sends it anyway.
    data = admin_form(editor_client, revision_url) | {"status": Status.PUBLISHED}
    response = editor_client.post(revision_url, data)

    assert response.status_code == 200
    assert status_of(role) == Status.DRAFT


def test_a_reviewer_publishes_a_role_in_review_and_both_names_are_kept(
    editor_client, reviewer_client
):
    client = Client()  # a visitor
    role = ready_role()
    url = admin_url(role, "change")
    editor_client.post(url, admin_form(editor_client, url) | {"_submit_for_review": "Submit"})
    assert client.get(role.get_absolute_url()).status_code == 404  # in review is not public

    page = reviewer_client.get(url).content.decode()
    assert 'name="_publish"' in page and 'name="_send_back"' in page
    response = reviewer_client.post(url, admin_form(reviewer_client, url) | {"_publish": "Publish"})

    assert response.status_code == 302, response.context["errors"]
    assert status_of(role) == Status.PUBLISHED
    assert [(action, by) for action, by, _ in steps(role)] == [
        (Action.SUBMITTED, "editor"),
        (Action.PUBLISHED, "reviewer"),
    ]
    assert client.get(role.get_absolute_url()).status_code == 200
    # Who asked and who approved, on the role's page.
    page = reviewer_client.get(url).content.decode()
    assert "<td>Submitted for review</td><td>editor</td>" in page
    assert "<td>Published</td><td>reviewer</td>" in page


def test_a_reviewer_sends_back_with_a_comment_the_editor_then_reads(editor_client, reviewer_client):
    role = ready_role(status=Status.IN_REVIEW)
    url = admin_url(role, "change")
    data = admin_form(reviewer_client, url) | {"_send_back": "Send back"}

    refused = reviewer_client.post(url, data)
    assert refused.status_code == 200
    assert "Say why you send this role back" in refused.content.decode()
    assert status_of(role) == Status.IN_REVIEW

    data["review_comment"] = "The outlook cites no source."
    assert reviewer_client.post(url, data).status_code == 302
    assert status_of(role) == Status.DRAFT
    assert steps(role) == [(Action.SENT_BACK, "reviewer", "The outlook cites no source.")]

    page = editor_client.get(url).content.decode()
    assert "eviewer sent this role back on" in page
    assert "The outlook cites no source." in page


def test_a_comment_without_a_step_is_refused_not_lost(reviewer_client):
    role = ready_role(status=Status.PUBLISHED)
    url = admin_url(role, "change")
    data = admin_form(reviewer_client, url) | {"review_comment": "Checked"}
    response = reviewer_client.post(url, data)
    assert response.status_code == 200
    assert "A comment is kept with a step of the review" in response.content.decode()


def test_a_stub_is_still_refused_when_a_reviewer_publishes_with_the_button(reviewer_client):
    role = RoleFactory(status=Status.IN_REVIEW, overview="")
    url = admin_url(role, "change")
    response = reviewer_client.post(url, admin_form(reviewer_client, url) | {"_publish": "P"})
    assert response.status_code == 200
    assert status_of(role) == Status.IN_REVIEW


def test_the_step_is_kept_in_history_too(editor_client):
    role = ready_role()
    url = admin_url(role, "change")
    editor_client.post(url, admin_form(editor_client, url) | {"_submit_for_review": "Submit"})
    history = editor_client.get(admin_url(role, "history")).content.decode()
    assert "Changed Status." in history


def test_an_editor_cannot_delete_a_public_role_but_a_reviewer_can(editor_client, reviewer_client):
    public = ready_role(status=Status.PUBLISHED)
    draft = ready_role()
    for role in (public, draft):
        role.responsibilities.all().delete()  # nothing else stands in the way

    refused = editor_client.post(admin_url(public, "delete"), {"post": "yes"})
    assert refused.status_code == 403
    assert (
        "published or archived roles (ask a reviewer)"
        in editor_client.get(admin_url(public, "delete")).content.decode()
    )
    editor_client.post(
        CHANGE_LIST,
        {"action": "delete_selected", "_selected_action": [public.pk], "post": "yes"},
    )
    assert Role.objects.filter(pk=public.pk).exists()

    assert editor_client.post(admin_url(draft, "delete"), {"post": "yes"}).status_code == 302
    assert reviewer_client.post(admin_url(public, "delete"), {"post": "yes"}).status_code == 302
    assert not Role.objects.filter(pk__in=[public.pk, draft.pk]).exists()


# List actions ------------------------------------------------------------------------------


def action(client, name, roles):
    return client.post(
        CHANGE_LIST,
        {"action": name, "_selected_action": [role.pk for role in roles]},
        follow=True,
    )


def test_an_editor_is_offered_no_publishing_action_and_a_crafted_one_does_nothing(
    editor_client,
):
    role = ready_role(status=Status.IN_REVIEW)
    page = editor_client.get(CHANGE_LIST).content.decode()
    assert 'value="submit_for_review"' in page
    assert 'value="publish"' not in page and 'value="archive"' not in page

    for name in ("publish", "archive"):
        action(editor_client, name, [role])
    assert status_of(role) == Status.IN_REVIEW
    assert not role.review_events.exists()


def test_editors_submit_and_reviewers_publish_from_the_list(editor_client, reviewer_client, editor):
    ready, published = ready_role(), ready_role(status=Status.PUBLISHED)
    stub = RoleFactory(status=Status.DRAFT, overview="")

    response = action(editor_client, "submit_for_review", [ready, published, stub])
    assert "2 roles now in review." in response.content.decode()
    assert "Not in review:" in response.content.decode()
    assert (status_of(ready), status_of(published), status_of(stub)) == (
        Status.IN_REVIEW,
        Status.PUBLISHED,
        Status.IN_REVIEW,
    )

    response = action(reviewer_client, "publish", [ready, stub])
    page = response.content.decode()
    assert "1 role now published." in page
    assert f"“{stub.title}” needs an overview" in page
    assert status_of(ready) == Status.PUBLISHED and status_of(stub) == Status.IN_REVIEW
    assert steps(ready)[-1][:2] == (Action.PUBLISHED, "reviewer")

    action(reviewer_client, "archive", [ready])
    assert status_of(ready) == Status.ARCHIVED
    assert steps(ready)[-1][:2] == (Action.ARCHIVED, "reviewer")


# The groups ------------------------------------------------------------------------------


def test_a_reviewer_is_a_reviewer_by_group_alone(reviewer, editor):
    assert reviewer.has_perm("roles.publish_role") and reviewer.has_perm("roles.change_role")
    assert editor.has_perm("roles.change_role") and not editor.has_perm("roles.publish_role")
    assert not editor.has_perm("roles.change_reviewevent")
    assert editor.has_perm("roles.view_reviewevent")
    assert Group.objects.filter(name__in=["Editors", "Reviewers"]).count() == 2


def test_the_migration_makes_both_groups_with_exactly_their_permissions():
    """Roles' migration 0007, run on its own historical models as `migrate` runs it."""
    from importlib import import_module

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    expected = {
        group.name: set(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.all()
    }
    Group.objects.all().delete()
    historical = MigrationLoader(connection).project_state(("roles", "0007_review_workflow")).apps
    migration = import_module("roles.migrations.0007_review_workflow")

    with connection.schema_editor() as schema_editor:
        migration.make_editorial_groups(historical, schema_editor)

    made = {
        group.name: set(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.all()
    }
    assert made == expected
    assert "publish_role" in made["Reviewers"] and "publish_role" not in made["Editors"]
    assert "change_role" in made["Editors"] and "change_reviewevent" not in made["Reviewers"]


def test_an_esco_import_can_put_its_new_roles_in_review(tmp_path, editor_client):
    from catalogue.esco import import_esco
    from tests.catalogue.esco_miniature import write_miniature

    import_esco(write_miniature(tmp_path / "esco"), new_role_status=Status.IN_REVIEW)

    imported = Role.objects.exclude(esco_uri="")
    assert imported.exists()
    assert set(imported.values_list("status", flat=True)) == {Status.IN_REVIEW}
    assert not ReviewEvent.objects.exists()  # an import is not an editor
    page = editor_client.get("/admin/").content.decode()
    assert f"Waiting for review: {imported.count()}</h3>" in page
