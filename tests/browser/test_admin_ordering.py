"""Editors put a role's rows in order on its admin page by dragging them or with the keyboard
(static/js/admin-ordering.js), the public page follows, and none of it breaks the Content
Security Policy."""

import pytest
from playwright.sync_api import expect

from roles.models import Role

pytestmark = pytest.mark.browser

PASSWORD = "a long editor password"


def assert_no_violation(page):
    assert page.evaluate("window.cspViolations") == []
    assert page.console_problems == []


@pytest.fixture
def editor_page(watched_page, site, django_user_model):
    from django.contrib.auth.models import Group

    editor = django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    page = watched_page
    page.goto(f"{site}/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Catalogue content")).to_be_visible()
    assert_no_violation(page)
    return page


@pytest.fixture
def role():
    return Role.objects.get(slug="backend-developer")


def questions(role):
    return list(role.faqs.values_list("question", flat=True))


def shown_questions(page):
    """The FAQs in the order the admin page shows them."""
    labels = page.locator("#faqs-group .inline-related.has_original .inline_label")
    return labels.evaluate_all("(labels) => labels.map((label) => label.textContent.trim())")


def public_questions(page, site, role):
    page.goto(f"{site}{role.get_absolute_url()}")
    return page.locator("#faqs summary").all_inner_texts()


def save(page):
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")


def test_an_editor_drags_a_faq_to_a_new_place_and_the_public_page_follows(editor_page, site, role):
    page = editor_page
    first, second, third, *rest = questions(role)
    page.goto(f"{site}/admin/roles/role/{role.pk}/change/")
    page.get_by_role("heading", name="FAQs", exact=True).click()
    faqs = page.locator("#faqs-group")
    # The places are shown by where the rows are: no position numbers.
    visible_positions = "(fields) => fields.filter((field) => field.checkVisibility()).length"
    assert faqs.locator(".field-position").evaluate_all(visible_positions) == 0
    expect(faqs.get_by_text("Drag a row by its ⠿ handle")).to_be_visible()

    # The third question, dropped on the top half of the first: it goes before it.
    faqs.get_by_role("button", name=f"Move {third}", exact=True).drag_to(
        faqs.locator(".inline-related.has_original").first, target_position={"x": 20, "y": 5}
    )
    assert shown_questions(page) == [third, first, second, *rest]
    expect(page.get_by_role("status")).to_have_text(f"{third}: now 1 of {3 + len(rest)}.")
    assert_no_violation(page)

    save(page)
    assert_no_violation(page)
    assert questions(role) == [third, first, second, *rest]
    assert public_questions(page, site, role) == [third, first, second, *rest]
    assert_no_violation(page)


def test_an_editor_moves_a_faq_with_the_keyboard_alone(editor_page, site, role):
    page = editor_page
    first, second, third, *rest = questions(role)
    page.goto(f"{site}/admin/roles/role/{role.pk}/change/")
    # focus() stands for the Tab presses that reach each control.
    page.locator("#faqs-group summary").focus()
    page.keyboard.press("Enter")  # opens the section
    handle = page.get_by_role("button", name=f"Move {first}", exact=True)
    handle.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(handle).to_be_focused()  # still on the moved row, to move it further
    expect(page.get_by_role("status")).to_have_text(f"{first}: now 3 of {3 + len(rest)}.")
    page.keyboard.press("ArrowUp")
    assert shown_questions(page) == [second, first, third, *rest]
    assert_no_violation(page)

    page.get_by_role("button", name="Save", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    assert questions(role) == [second, first, third, *rest]
    assert public_questions(page, site, role) == [second, first, third, *rest]
    assert_no_violation(page)


def test_the_buttons_move_a_row_one_place_up_or_down(editor_page, site, role):
    """For touch screens, and screen readers in browse mode, which keep the arrow keys."""
    page = editor_page
    first, second, third, *rest = questions(role)
    page.goto(f"{site}/admin/roles/role/{role.pk}/change/")
    page.get_by_role("heading", name="FAQs", exact=True).click()
    down = page.get_by_role("button", name=f"Move {first} down")
    down.click()
    down.click()
    expect(down).to_be_focused()
    page.get_by_role("button", name=f"Move {first} up").click()
    assert shown_questions(page) == [second, first, third, *rest]
    page.get_by_role("button", name=f"Move {second} up").click()  # already first: stays
    expect(page.get_by_role("status")).to_have_text(f"{second}: now 1 of {3 + len(rest)}.")

    save(page)
    assert questions(role) == [second, first, third, *rest]
    assert_no_violation(page)


def test_rows_added_and_removed_in_a_table_keep_the_order_shown(editor_page, site, role):
    """A responsibility added, moved to the top, and another added and removed: Django then
    renumbers every row's fields, and the saved rows must keep theirs."""
    page = editor_page
    before = list(role.responsibilities.values_list("text", flat=True))
    page.goto(f"{site}/admin/roles/role/{role.pk}/change/")
    page.get_by_role("heading", name="Responsibilities", exact=True).click()
    group = page.locator("#responsibilities-group")
    expect(group.locator("th.column-position")).to_be_hidden()
    new_rows = group.locator("tr.form-row:not(.has_original):not(.empty-form)")

    group.get_by_role("button", name="Add another Responsibility").click()
    new_rows.last.locator("textarea").fill("Review other developers' code.")
    group.get_by_role("button", name="Add another Responsibility").click()
    new_rows.last.locator("textarea").fill("A row the editor thinks better of.")
    new_rows.first.get_by_role("button", name="Move new row", exact=True).focus()
    page.keyboard.press("Home")
    new_rows.last.get_by_role("button", name="Remove").click()
    # And one left where it was added, with no place given: it goes last.
    group.get_by_role("button", name="Add another Responsibility").click()
    new_rows.last.locator("textarea").fill("Mentor junior developers.")
    assert_no_violation(page)

    save(page)
    assert list(role.responsibilities.values_list("text", flat=True)) == [
        "Review other developers' code.",
        *before,
        "Mentor junior developers.",
    ]
    assert_no_violation(page)


def test_a_form_sent_back_with_an_error_shows_the_rows_in_the_order_the_editor_left(
    editor_page, site, role
):
    page = editor_page
    first, second, *rest = questions(role)
    page.goto(f"{site}/admin/roles/role/{role.pk}/change/")
    page.get_by_role("heading", name="FAQs", exact=True).click()
    page.get_by_role("button", name=f"Move {first}", exact=True).focus()
    page.keyboard.press("End")
    page.get_by_label("Title:", exact=True).fill("")  # an error the form sends back

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errornote")).to_be_visible()
    assert shown_questions(page) == [second, *rest, first]
    assert_no_violation(page)
