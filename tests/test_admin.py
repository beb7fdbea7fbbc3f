import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from catalogue.apps import CATALOGUE_APPS
from roles.models import Role

pytestmark = pytest.mark.django_db


def catalogue_model_admins():
    return [model for model in admin.site._registry if model._meta.app_label in CATALOGUE_APPS]


def test_editors_group_has_exactly_the_catalogue_permissions():
    granted = set(Group.objects.get(name="Editors").permissions.all())
    catalogue = set(Permission.objects.filter(content_type__app_label__in=CATALOGUE_APPS))
    # And, to read only, the record of ESCO imports.
    assert granted == catalogue | {Permission.objects.get(codename="view_importrun")}


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for model in catalogue_model_admins():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_editor_opens_every_catalogue_list_add_change_and_history_page(
    editor_client, catalogue, esco_miniature
):
    # The miniature ESCO gives skill groups, which the shipped catalogue has none of.
    for model in catalogue_model_admins():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert editor_client.get(reverse(f"{prefix}_changelist")).status_code == 200, model
        assert editor_client.get(reverse(f"{prefix}_add")).status_code == 200, model
        assert editor_client.get(reverse(f"{prefix}_recoverlist")).status_code == 200, model
        instance = model.objects.first()
        assert editor_client.get(reverse(f"{prefix}_change", args=[instance.pk])).status_code == 200
        assert (
            editor_client.get(reverse(f"{prefix}_history", args=[instance.pk])).status_code == 200
        )


def test_role_page_in_admin_carries_its_inlines_and_view_on_site(editor_client, catalogue):
    role = Role.objects.get(slug="backend-developer")
    page = editor_client.get(reverse("admin:roles_role_change", args=[role.pk])).content.decode()
    for inline in [
        "responsibilities",
        "role_skills",
        "faqs",
        "collaborations",
        "salary_bands",
        "salary_figures",
        "higher_paying_locations",
    ]:
        assert f'id="{inline}-group"' in page, inline
    assert "View on site" in page


def test_editor_cannot_manage_users_or_groups(editor_client):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_search_and_autocomplete_find_skills(editor_client, catalogue):
    response = editor_client.get(reverse("admin:skills_skill_changelist"), {"q": "mongo"})
    assert "MongoDB" in response.content.decode()
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "skills", "model_name": "roleskill", "field_name": "skill", "term": "jav"},
    )
    names = {result["text"] for result in response.json()["results"]}
    assert {"Java", "JavaScript"} <= names
    assert "MongoDB" not in names
