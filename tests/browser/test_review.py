"""The review workflow in the real admin, in Chromium (issue 15): an editor submits a role
for review and has no way to publish it; a reviewer finds it on the dashboard and publishes
it; the public page then shows it; no admin page touched reports a CSP violation."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from roles.models import ReviewEvent, Role

pytestmark = pytest.mark.browser

PASSWORD = "a long password for the review"


def assert_clean(page):
    assert page.evaluate("window.cspViolations") == []
    assert page.console_problems == []


def signed_in(page, site, username):
    page.goto(f"{site}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Catalogue content")).to_be_visible()
    assert_clean(page)
    return page


def member_of(group, django_user_model, username):
    user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def test_an_editor_submits_for_review_and_a_reviewer_publishes(
    site, watched_page, new_watched_page, page, django_user_model
):
    member_of("Editors", django_user_model, "ed")
    member_of("Reviewers", django_user_model, "rita")
    role = Role.objects.get(slug="backend-developer")
    Role.objects.filter(pk=role.pk).update(status=Role.Status.DRAFT)
    change_page = f"{site}/admin/roles/role/{role.pk}/change/"
    public_page = f"{site}{role.get_absolute_url()}"
    visitor = page

    # The editor: a button to submit, none to publish, and no "Published" to choose.
    editor = signed_in(watched_page, site, "ed")
    editor.goto(change_page)
    expect(editor.get_by_role("button", name="Save and submit for review")).to_be_visible()
    expect(editor.get_by_role("button", name="Save and publish")).to_have_count(0)
    status = editor.get_by_label("Status:")
    assert status.locator("option").all_inner_texts() == ["Draft", "In review"]
    editor.get_by_label("Comment for the review").fill("Please check the new overview.")
    editor.get_by_role("button", name="Save and submit for review").click()
    expect(editor.locator(".messagelist")).to_contain_text("submitted for review")
    assert_clean(editor)
    # Back on its page, still nothing that publishes.
    editor.goto(change_page)
    expect(editor.get_by_role("button", name="Save and publish")).to_have_count(0)
    expect(editor.get_by_role("button", name="Save and submit for review")).to_have_count(0)
    assert_clean(editor)
    assert visitor.goto(public_page).status == 404  # in review is not public

    # The reviewer: the dashboard lists it, its link opens it, and one click publishes it.
    reviewer = signed_in(new_watched_page(), site, "rita")
    waiting = reviewer.locator(
        "section", has=reviewer.get_by_role("heading", name="Waiting for review")
    )
    expect(waiting.get_by_role("heading")).to_contain_text("Waiting for review: 1")
    waiting.get_by_role("link", name="Backend Developer").click()
    expect(reviewer.get_by_role("heading", name="Change role")).to_be_visible()
    expect(reviewer.locator(".field-review_history")).to_contain_text(
        "Please check the new overview."
    )
    reviewer.get_by_role("button", name="Save and publish").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("published")
    assert_clean(reviewer)

    assert Role.objects.get(pk=role.pk).status == Role.Status.PUBLISHED
    assert list(
        ReviewEvent.objects.filter(role=role).order_by("at").values_list("action", "by__username")
    ) == [("submitted", "ed"), ("published", "rita")]
    assert visitor.goto(public_page).status == 200
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Backend Developer")
