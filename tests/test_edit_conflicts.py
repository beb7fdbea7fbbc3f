"""Two editors never silently overwrite each other (catalogue.edit_conflicts): a save of a
form opened before someone else's change is refused, names who and when, shows what differs,
keeps what the editor typed, and a save after that, or of a fresh form, goes through."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client

from catalogue.admin import CatalogueAdmin
from roles.models import Role
from salaries.models import SalaryBand
from skills.models import SkillGroup
from tests.admin_forms import admin_form
from tests.test_history import admin_url

pytestmark = pytest.mark.django_db

REFUSED = "Not saved: "


@pytest.fixture
def other_editor(django_user_model):
    """A second editor, in a browser of her own."""
    user = django_user_model.objects.create_user(
        username="asha", first_name="Asha", last_name="Rao", password="x" * 20, is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(user)
    return client


def backend_developer():
    return Role.objects.get(slug="backend-developer")


def save(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]


def refused(response) -> str:
    assert response.status_code == 200
    page = response.content.decode()
    assert REFUSED in page
    return page


def test_the_second_of_two_editors_is_stopped_and_the_first_change_survives(
    editor_client, other_editor, catalogue
):
    url = admin_url(backend_developer(), "change")
    hers, mine = admin_form(other_editor, url), admin_form(editor_client, url)

    save(other_editor, url, hers | {"summary": "Her new summary."})
    response = editor_client.post(url, mine | {"overview": "My new overview."})

    page = refused(response)
    assert "Asha Rao changed this record at" in page
    assert "My new overview." in page  # what I typed is still in the form
    role = backend_developer()
    assert role.summary == "Her new summary."
    assert role.overview != "My new overview."
    # Her summary, which I had not touched, is now in the form; saving it again keeps both.
    form = response.context["adminform"].form
    assert form.data["summary"] == "Her new summary."
    assert "Their change to Summary is now in the form" in page
    save(editor_client, url, form.data.dict())
    role = backend_developer()
    assert (role.summary, role.overview) == ("Her new summary.", "My new overview.")


def test_both_changing_one_field_shows_both_values_and_keeps_mine_in_the_form(
    editor_client, other_editor, catalogue
):
    url = admin_url(backend_developer(), "change")
    hers, mine = admin_form(other_editor, url), admin_form(editor_client, url)
    save(other_editor, url, hers | {"summary": "Her summary."})

    page = refused(editor_client.post(url, mine | {"summary": "My summary."}))

    assert "You both changed Summary" in page
    assert "Her summary." in page and "My summary." in page
    assert backend_developer().summary == "Her summary."


def test_a_band_changed_on_its_own_page_makes_the_role_form_stale(
    editor_client, other_editor, catalogue
):
    role = backend_developer()
    band = role.salary_bands.order_by("experience_min_years").first()
    role_url, band_url = admin_url(role, "change"), admin_url(band, "change")
    mine = admin_form(editor_client, role_url)

    save(other_editor, band_url, admin_form(other_editor, band_url) | {"maximum": "987654"})
    page = refused(editor_client.post(role_url, mine | {"overview": "My new overview."}))

    assert "Asha Rao changed this record" in page
    assert f"Salary band: {SalaryBand.objects.get(pk=band.pk)}" in page
    assert SalaryBand.objects.get(pk=band.pk).maximum == 987654
    assert backend_developer().overview != "My new overview."


def test_a_row_added_by_someone_else_is_listed(editor_client, other_editor, catalogue):
    url = admin_url(backend_developer(), "change")
    hers, mine = admin_form(other_editor, url), admin_form(editor_client, url)
    row = f"faqs-{hers['faqs-TOTAL_FORMS']}"
    hers |= {
        "faqs-TOTAL_FORMS": str(int(hers["faqs-TOTAL_FORMS"]) + 1),
        f"{row}-position": "99",
        f"{row}-question": "Is it remote?",
        f"{row}-answer": "Often.",
    }
    save(other_editor, url, hers)

    page = refused(editor_client.post(url, mine | {"overview": "Mine."}))

    assert "Is it remote?" in page and "Added" in page


def test_a_stale_save_of_a_band_page_is_refused(editor_client, other_editor, catalogue):
    band = backend_developer().salary_bands.first()
    url = admin_url(band, "change")
    hers, mine = admin_form(other_editor, url), admin_form(editor_client, url)
    save(other_editor, url, hers | {"maximum": str(band.maximum + 1000)})

    refused(editor_client.post(url, mine | {"minimum": str(band.minimum - 1000)}))

    saved = SalaryBand.objects.get(pk=band.pk)
    assert (saved.minimum, saved.maximum) == (band.minimum, band.maximum + 1000)


def test_a_change_outside_admin_makes_the_form_stale_too(editor_client, catalogue):
    url = admin_url(backend_developer(), "change")
    mine = admin_form(editor_client, url)
    Role.objects.filter(slug="backend-developer").update(summary="Changed by a script.")

    page = refused(editor_client.post(url, mine | {"overview": "Mine."}))

    assert "someone outside admin" in page
    assert backend_developer().summary == "Changed by a script."


def test_a_fresh_form_saves_and_so_does_the_next_one(editor_client, catalogue):
    url = admin_url(backend_developer(), "change")
    save(editor_client, url, admin_form(editor_client, url) | {"summary": "First."})
    save(editor_client, url, admin_form(editor_client, url) | {"summary": "Second."})
    assert backend_developer().summary == "Second."


def test_a_tampered_snapshot_is_refused(editor_client, catalogue):
    url = admin_url(backend_developer(), "change")
    data = admin_form(editor_client, url) | {"summary": "Mine.", "edit_token": "forged"}
    response = editor_client.post(url, data)
    assert "This form was damaged in transit" in response.content.decode()
    assert backend_developer().summary != "Mine."


def catalogue_change_forms() -> list:
    """Every catalogue model with a change form."""
    forms = []
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, CatalogueAdmin):
            forms.append(pytest.param(model, id=model._meta.label))
    return forms


def editable_record_and_field(client, model):
    """A record of ``model`` and a text or number field its change form lets an editor edit
    (a record ESCO imported may show its name read-only)."""
    names = {f.name for f in model._meta.fields if f.get_internal_type() == "TextField"}
    names |= {"name", "title", "note", "text", "level", "maximum", "amount"}
    for record in model._default_manager.order_by("-pk")[:20]:
        data = admin_form(client, admin_url(record, "change"))
        editable = [name for name in data if name in names and data[name]]
        if editable:
            return record, editable[0]
    raise AssertionError(f"No {model._meta.verbose_name} with an editable text or number field")


def changed(value: str, whose: str) -> str:
    return str(int(value) + len(whose)) if value.isdigit() else f"{value} ({whose})".strip()


@pytest.mark.parametrize("model", catalogue_change_forms())
def test_every_catalogue_change_form_refuses_a_stale_save(
    model, editor_client, other_editor, catalogue, esco_miniature
):
    SkillGroup.objects.create(name="Working with clients", slug="working-with-clients")
    record, name = editable_record_and_field(editor_client, model)
    url = admin_url(record, "change")
    hers, mine = admin_form(other_editor, url), admin_form(editor_client, url)
    save(other_editor, url, hers | {name: changed(hers[name], "hers")})

    refused(editor_client.post(url, mine | {name: changed(mine[name], "mine")}))

    saved = model._default_manager.get(pk=record.pk)
    assert str(model._meta.get_field(name).value_from_object(saved)) == changed(hers[name], "hers")
