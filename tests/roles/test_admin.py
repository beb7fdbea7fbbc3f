"""The role's admin page: what it refuses to publish."""

import pytest

from roles.models import Role
from tests.admin_forms import admin_form
from tests.factories import RoleFactory
from tests.test_history import admin_url

pytestmark = pytest.mark.django_db


def test_a_stub_cannot_be_published_and_the_reviewer_is_told_what_it_lacks(reviewer_client):
    role = RoleFactory(status=Role.Status.DRAFT, overview="")
    url = admin_url(role, "change")
    data = admin_form(reviewer_client, url) | {"status": Role.Status.PUBLISHED}

    response = reviewer_client.post(url, data)

    assert response.status_code == 200
    assert (
        "To publish this role, its page needs an overview and responsibilities or skills."
        in response.content.decode()
    )
    assert Role.objects.get(pk=role.pk).status == Role.Status.DRAFT


def test_a_role_is_published_with_the_content_added_in_the_same_save(reviewer_client):
    role = RoleFactory(status=Role.Status.DRAFT, overview="")
    url = admin_url(role, "change")
    data = admin_form(reviewer_client, url) | {
        "status": Role.Status.PUBLISHED,
        "overview": "Builds and runs the services behind an app.",
        "responsibilities-TOTAL_FORMS": "1",
        "responsibilities-0-position": "1",
        "responsibilities-0-text": "Design the service's data model.",
    }

    response = reviewer_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    assert Role.objects.get(pk=role.pk).status == Role.Status.PUBLISHED
