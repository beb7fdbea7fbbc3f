"""Rows in an editor-chosen order on a role's admin page (catalogue.admin.OrderedInline): the
positions are hidden fields that the page's script fills in the order shown; what the server
does with what it is sent. The dragging itself is tested in tests/browser/test_admin_ordering.py."""

import pytest
from django.contrib import admin

from roles.admin import RoleAdmin
from roles.models import Role
from tests.admin_forms import admin_form
from tests.factories import FrequentlyAskedQuestionFactory, RoleFactory
from tests.test_history import admin_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def role():
    role = RoleFactory(status=Role.Status.DRAFT)  # published, it would need responsibilities
    for position, question in enumerate(["First?", "Second?", "Third?"], start=1):
        FrequentlyAskedQuestionFactory(role=role, question=question, position=position)
    return role


def questions(role):
    return list(role.faqs.values_list("question", flat=True))


def test_every_ordered_inline_hides_its_positions_and_loads_the_ordering_script(
    editor_client, role
):
    content = editor_client.get(admin_url(role, "change")).content.decode()

    for prefix in ["responsibilities", "role_skills", "faqs", "collaborations"]:
        assert f'type="hidden" name="{prefix}-__prefix__-position"' in content, prefix
    assert 'type="hidden" name="higher_paying_locations-__prefix__-position"' in content
    assert 'type="hidden" name="faqs-0-position" value="1"' in content
    assert "/static/js/admin-ordering.js" in content
    assert "/static/css/admin-ordering.css" in content
    # Django's own CSS hides the tables' column of them.
    assert 'class="column-position hidden">Position' in content


def test_the_order_sent_is_the_order_saved_and_history_records_it(editor_client, role):
    url = admin_url(role, "change")
    # As the script leaves the form after the third question was moved to the top.
    data = admin_form(editor_client, url) | {
        "faqs-0-position": "2",
        "faqs-1-position": "3",
        "faqs-2-position": "1",
    }

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    assert questions(role) == ["Third?", "First?", "Second?"]
    history = editor_client.get(admin_url(role, "history")).content.decode()
    assert "Changed Position for FAQ" in history
    public = editor_client.get(role.get_absolute_url()).content.decode()
    assert public.index("Third?") < public.index("First?") < public.index("Second?")


def test_a_new_row_without_a_place_goes_last(editor_client, role):
    url = admin_url(role, "change")
    data = admin_form(editor_client, url) | {
        "faqs-TOTAL_FORMS": "4",
        "faqs-3-position": "",  # as rendered, when no script moved it
        "faqs-3-question": "Added?",
        "faqs-3-answer": "Yes.",
    }

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    assert questions(role) == ["First?", "Second?", "Third?", "Added?"]
    assert role.faqs.get(question="Added?").position == 4


def test_a_new_row_that_was_only_moved_is_not_saved(editor_client, role):
    url = admin_url(role, "change")
    data = admin_form(editor_client, url) | {
        "faqs-TOTAL_FORMS": "4",
        "faqs-3-position": "1",  # moved to the top, nothing typed into it
        "faqs-3-question": "",
        "faqs-3-answer": "",
    }

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    assert questions(role) == ["First?", "Second?", "Third?"]


def test_a_row_marked_for_deletion_leaves_the_others_in_their_order(editor_client, role):
    url = admin_url(role, "change")
    data = admin_form(editor_client, url) | {"faqs-1-DELETE": "on"}

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    assert questions(role) == ["First?", "Third?"]


@pytest.mark.parametrize("position", ["up", "-1", "99999"])
def test_a_position_that_is_no_place_gets_a_clear_answer(editor_client, role, position):
    url = admin_url(role, "change")
    data = admin_form(editor_client, url) | {"faqs-0-position": position}

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "This row’s place in the list was not understood." in response.content.decode()
    assert questions(role) == ["First?", "Second?", "Third?"]


def test_a_reorder_made_meanwhile_by_someone_else_is_an_edit_conflict(editor_client, role):
    url = admin_url(role, "change")
    data = admin_form(editor_client, url) | {"faqs-0-position": "4"}
    role.faqs.filter(question="Third?").update(position=0)  # another editor's save

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "after you opened this page" in response.content.decode()
    assert questions(role) == ["Third?", "First?", "Second?"]


def test_each_ordered_inline_of_a_role_orders_by_position():
    ordered = [
        inline
        for inline in RoleAdmin.inlines
        if "position" in [field.name for field in inline.model._meta.fields]
    ]
    assert len(ordered) == 5
    for inline in ordered:
        assert "js/admin-ordering.js" in str(inline(Role, admin.site).media), inline
