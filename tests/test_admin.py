import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from catalogue.apps import CATALOGUE_APPS
from roles.models import Role

pytestmark = pytest.mark.django_db

READ_ONLY = ["importrun", "reviewevent"]


def catalogue_model_admins():
    return [model for model in admin.site._registry if model._meta.app_label in CATALOGUE_APPS]


def test_editors_group_has_exactly_the_catalogue_permissions_but_publishing():
    granted = set(Group.objects.get(name="Editors").permissions.all())
    catalogue = set(Permission.objects.filter(content_type__app_label__in=CATALOGUE_APPS))
    # Review steps are written by the workflow, never by hand: editors only read them.
    review_steps = set(Permission.objects.filter(content_type__model="reviewevent"))
    publish = Permission.objects.get(codename="publish_role")
    # And, to read only, the record of ESCO imports and the review steps.
    read_only = {Permission.objects.get(codename=f"view_{model}") for model in READ_ONLY}
    assert granted == (catalogue - review_steps - {publish}) | read_only


def test_reviewers_group_has_the_editors_permissions_and_publishing():
    editors = set(Group.objects.get(name="Editors").permissions.all())
    reviewers = set(Group.objects.get(name="Reviewers").permissions.all())
    assert reviewers == editors | {Permission.objects.get(codename="publish_role")}


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


# Null characters ------------------------------------------------------------------------
# PostgreSQL text cannot hold one: each of these, sent to the database, answered 500.


@pytest.mark.parametrize(
    ("list_page", "params"),
    [
        ("roles_role", {"q": "\x00"}),
        ("roles_role", {"q": "python\x00"}),
        ("roles_role", {"status__exact": "\x00"}),
        ("roles_role", {"status__exact": "published", "family__id__exact": "1\x00"}),
        ("roles_source", {"publisher": "x\x00"}),
        ("skills_skill", {"kind__exact": "\x00"}),
        ("salaries_salaryband", {"currency__exact": "INR\x00"}),
        ("catalogue_importrun", {"esco_version": "\x00"}),
    ],
)
def test_a_null_character_in_a_list_search_or_filter_is_explained_not_a_500(
    editor_client, catalogue, list_page, params
):
    response = editor_client.get(reverse(f"admin:{list_page}_changelist"), params, follow=True)
    assert response.status_code == 200
    assert "cannot contain a null character" in response.content.decode()


def autocomplete_fields():
    """(app_label, model_name, field_name) of every autocomplete box in the catalogue admin,
    on its pages and in their inlines."""
    for model, model_admin in admin.site._registry.items():
        for owner in [model_admin, *model_admin.inlines]:
            owner_model = model if owner is model_admin else owner.model
            for field_name in owner.autocomplete_fields:
                yield owner_model._meta.app_label, owner_model._meta.model_name, field_name


@pytest.mark.parametrize("term", ["\x00", "python\x00"])
def test_a_null_character_typed_into_any_autocomplete_finds_nothing_not_a_500(
    editor_client, catalogue, term
):
    boxes = sorted(set(autocomplete_fields()))
    assert len(boxes) > 10
    for app_label, model_name, field_name in boxes:
        response = editor_client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": app_label,
                "model_name": model_name,
                "field_name": field_name,
                "term": term,
            },
        )
        assert response.status_code == 200, (model_name, field_name)
        if not term.strip("\x00"):
            assert response.json()["results"] == [], (model_name, field_name)


@pytest.mark.parametrize(
    "field",
    [
        "summary",
        "overview",
        "family",  # an autocomplete box
        "responsibilities-0-text",
        "collaborations-0-note",
        "collaborations-0-collaborator",
        "role_skills-0-skill",
        "salary_bands-0-location",
        "higher_paying_locations-0-source",
    ],
)
def test_a_null_character_in_a_role_form_is_a_form_error_and_saves_nothing(
    editor_client, catalogue, field
):
    from tests.admin_forms import admin_form

    role = Role.objects.get(slug="backend-developer")
    url = reverse("admin:roles_role_change", args=[role.pk])
    data = admin_form(editor_client, url)
    assert field in data
    data["summary"] = "A new summary, which must not be saved."
    data[field] = "x\x00" if field != "summary" else "A new\x00 summary"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    role.refresh_from_db()
    assert role.summary != data["summary"] and "must not be saved" not in role.summary
