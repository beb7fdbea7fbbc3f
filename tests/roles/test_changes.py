"""A role's public change log (/roles/<slug>/changes/, catalogue.changes): when the role
changed, which sections, and what the editor told readers, drawn from the history admin and
load_catalogue keep and from the record of ESCO imports. Nothing private: no editor is named
unless they signed the change."""

import html as html_module
import re
import shutil
from datetime import timedelta

import pytest
import reversion
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from catalogue.changes import NOT_SHOWN, SECTION_OF_FIELD, SECTION_OF_PART, SECTIONS
from catalogue.esco import import_esco
from catalogue.files import load_catalogue
from catalogue.files.format import DEFAULT_DIRECTORY
from catalogue.models import PublicChangeNote
from catalogue.parts import ROLE_PARTS
from roles.models import Role
from salaries.models import SalaryBand
from tests.admin_forms import admin_form
from tests.catalogue import esco_miniature as mini
from tests.factories import RoleFactory, RoleSkillFactory, SkillFactory

pytestmark = pytest.mark.django_db

BACKEND = "backend-developer"
# The role, the count and the page of changes,
# the versions they compare, and the digests of their rows.
CHANGES_QUERY_BUDGET = 5


def changes_url(slug=BACKEND, **query):
    url = reverse("roles:changes", kwargs={"slug": slug})
    return f"{url}?page={query['page']}" if query else url


def admin_change_url(record):
    meta = record._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])


def save_in_admin(client, record, **changes):
    """Open ``record``'s admin page, change what ``changes`` says, save; the response."""
    url = admin_change_url(record)
    data = admin_form(client, url) | {name: str(value) for name, value in changes.items()}
    return client.post(url, data)


def visitor_page(url):
    """The page as a visitor, logged in nowhere, gets it."""
    response = Client().get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def entries(html):
    """The change log's entries, as text."""
    items = re.findall(
        r"<li>\s*(.*?)\s*</li>",
        re.search(r'<ol class="change-log">(.*?)</ol>', html, re.S)[1],
        re.S,
    )
    return [
        html_module.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip())
        for item in items
    ]


@pytest.fixture
def asha(db, django_user_model):
    """An editor whose names and address would give her away."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        username="asha.kulkarni",
        email="asha.kulkarni@example.org",
        first_name="Asha",
        last_name="Kulkarni",
        password="a long editor password",
        is_staff=True,
    )
    user.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(user)
    return client


# What readers see ---------------------------------------------------------------------------


def test_a_signed_summary_shows_with_its_date_and_sections(asha, catalogue):
    role = Role.objects.get(slug=BACKEND)
    band = role.salary_bands.first()
    url = admin_change_url(role)
    data = admin_form(asha, url)
    # The band's own row: its id field, in the bands' inline (other rows' ids may be equal).
    band_row = next(
        name.removesuffix("-id")
        for name, value in data.items()
        if name.startswith("salary_bands-") and name.endswith("-id") and value == str(band.pk)
    )
    data |= {
        "overview": "Backend developers keep the server side of software running.",
        f"{band_row}-maximum": str(band.maximum + 10000),
        "summary_for_readers": "Clearer overview; the entry band's top figure corrected.",
        "sign_as": "Asha K., editor",
    }
    response = asha.post(url, data)
    assert response.status_code == 302, response.context["errors"]

    html = visitor_page(changes_url())
    newest, *older = entries(html)
    today = timezone.localdate()
    assert newest == (
        f"{today:%-d %B %Y} · Edited: Overview and Salary "
        "Clearer overview; the entry band's top figure corrected. Signed by Asha K., editor"
    )
    assert older == [f"{today:%-d %B %Y} · Added from the catalogue files"]
    assert f'<time datetime="{timezone.localtime(timezone.now()):%Y-%m-%d}' in html


def test_an_unsigned_change_names_no_one(asha, catalogue):
    role = Role.objects.get(slug=BACKEND)
    response = save_in_admin(
        asha, role, summary="A shorter summary.", summary_for_readers="Summary shortened."
    )
    assert response.status_code == 302

    for url in (changes_url(), role.get_absolute_url()):
        html = visitor_page(url)
        for private in ("asha", "Kulkarni", "example.org", "Changed Summary"):
            assert private.lower() not in html.lower(), (url, private)
    html = visitor_page(changes_url())
    assert "Edited: Summary Summary shortened." in entries(html)[0]
    assert "Signed" not in html


def test_the_role_page_shows_the_last_change_and_links_the_log(client, catalogue):
    role = Role.objects.get(slug=BACKEND)
    latest = Version.objects.get_for_object(role).first().revision.date_created
    html = client.get(role.get_absolute_url()).content.decode()
    assert (
        f'<dt>Last changed</dt><dd><time datetime="{timezone.localtime(latest):%Y-%m-%d}">'
    ) in html
    assert f'(<a href="{changes_url()}">change log</a>)' in html


def test_a_band_edited_on_its_own_page_shows_under_salary(asha, catalogue):
    band = SalaryBand.objects.filter(role__slug=BACKEND).first()
    response = save_in_admin(
        asha, band, maximum=band.maximum + 5000, summary_for_readers="Top of the band raised."
    )
    assert response.status_code == 302
    assert entries(visitor_page(changes_url()))[0].endswith(
        "Edited: Salary Top of the band raised."
    )


def test_each_part_and_shown_field_of_a_role_has_a_section():
    """A new field or kind of row cannot be left out of the log, or shown by mistake."""
    fields = {field.name for field in Role._meta.get_fields() if field.concrete}
    assert fields == set(SECTION_OF_FIELD) | set(NOT_SHOWN)
    assert set(SECTION_OF_PART) == {part.name for part in ROLE_PARTS}
    assert {*SECTION_OF_FIELD.values(), *SECTION_OF_PART.values()} <= set(SECTIONS)


# What is recorded --------------------------------------------------------------------------


def test_a_save_that_changes_nothing_adds_nothing(asha, catalogue):
    role = Role.objects.get(slug=BACKEND)
    before = entries(visitor_page(changes_url()))
    response = save_in_admin(asha, role, summary_for_readers="Nothing, really.", sign_as="Asha")
    assert response.status_code == 302
    assert entries(visitor_page(changes_url())) == before
    assert not PublicChangeNote.objects.exists()
    assert Version.objects.get_for_object(role).count() == 1


def test_a_null_character_in_the_summary_is_a_form_error(asha, catalogue):
    role = Role.objects.get(slug=BACKEND)
    response = save_in_admin(
        asha, role, overview="Changed.", summary_for_readers="Fixed\x00", sign_as="A\x00"
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Null characters are not allowed." in errors["summary_for_readers"][0]
    assert "Null characters are not allowed." in errors["sign_as"][0]
    role.refresh_from_db()
    assert role.overview != "Changed."
    assert not PublicChangeNote.objects.exists()


def test_a_summary_too_long_is_a_form_error(asha, catalogue):
    role = Role.objects.get(slug=BACKEND)
    response = save_in_admin(asha, role, overview="Changed.", summary_for_readers="x" * 301)
    assert response.status_code == 200
    assert "summary_for_readers" in response.context["adminform"].form.errors


def test_admin_history_shows_the_note_read_only(asha, catalogue):
    role = Role.objects.get(slug=BACKEND)
    save_in_admin(asha, role, overview="Changed.", summary_for_readers="Why it changed.")
    url = reverse("admin:roles_role_history", args=[role.pk])
    html = asha.get(url).content.decode()
    assert '<td class="public-change-note">Why it changed.</td>' in html


def test_a_stale_save_is_still_refused_and_keeps_no_note(asha, catalogue, django_user_model):
    """The note's fields are the form's, not the record's: the edit-conflict check works as
    before, and a refused save leaves no note behind."""
    from django.contrib.auth.models import Group

    role = Role.objects.get(slug=BACKEND)
    url = admin_change_url(role)
    other = Client()
    user = django_user_model.objects.create_user(username="other", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    other.force_login(user)
    mine, theirs = admin_form(asha, url), admin_form(other, url)
    theirs |= {"overview": "Theirs.", "summary_for_readers": "Their note."}
    assert other.post(url, theirs).status_code == 302
    response = asha.post(url, mine | {"summary": "Mine.", "summary_for_readers": "My note."})
    assert response.status_code == 200
    assert "Not saved" in response.content.decode()
    assert list(PublicChangeNote.objects.values_list("summary", flat=True)) == ["Their note."]


# Who sees it -------------------------------------------------------------------------------


def test_a_draft_has_no_change_log_for_visitors(asha, catalogue):
    Role.objects.filter(slug=BACKEND).update(status=Role.Status.DRAFT)
    assert Client().get(changes_url()).status_code == 404
    assert asha.get(changes_url()).status_code == 200  # editors preview it, as the role page


def test_an_archived_role_is_gone(catalogue):
    Role.objects.filter(slug=BACKEND).update(status=Role.Status.ARCHIVED)
    assert Client().get(changes_url()).status_code == 410


# Changes made outside admin ----------------------------------------------------------------


def test_changes_from_the_catalogue_files_show(catalogue, tmp_path):
    content = shutil.copytree(DEFAULT_DIRECTORY, tmp_path / "content")
    role_file = content / "roles" / f"{BACKEND}.yaml"
    text = role_file.read_text()
    role_file.write_text(
        text.replace("Backend developers look after", "Backend engineers look after")
    )
    load_catalogue(directory=content, update=True)
    newest, first = entries(visitor_page(changes_url()))
    assert newest.endswith("Updated from the catalogue files: Overview")
    assert first.endswith("Added from the catalogue files")


def test_esco_imports_show_with_their_version(esco_miniature, tmp_path):
    role = Role.objects.get(esco_uri=mini.SOFTWARE_DEVELOPER_URI)
    assert entries(visitor_page(changes_url(role.slug))) == [
        f"{timezone.localdate():%-d %B %Y} · Added from ESCO 1.1.1"
    ]
    newer = tmp_path / "newer"
    mini.write_miniature(newer)
    for path in newer.iterdir():
        path.rename(path.with_name(path.name.replace("v1.1.1", "v1.2.0")))
    import_esco(newer)
    import_esco(newer)  # a repeat: nothing new to say
    assert [entry.split(" · ")[1] for entry in entries(visitor_page(changes_url(role.slug)))] == [
        "Updated from ESCO 1.2.0",
        "Added from ESCO 1.1.1",
    ]


# However long the history --------------------------------------------------------------------


def record_versions(role, count):
    """``count`` changes to ``role``'s overview, each recorded as load_catalogue records one,
    an hour apart, after those it has."""
    start = Version.objects.get_for_object(role).count()
    for index in range(start, start + count):
        role.overview = f"Version {index}."
        role.save()
        with reversion.create_revision():
            reversion.set_comment("load_catalogue from content")
            reversion.set_date_created(timezone.now() + timedelta(hours=index))
            reversion.add_to_revision(role)


def test_the_log_runs_a_fixed_number_of_queries(page_queries, db):
    role = RoleFactory(status=Role.Status.PUBLISHED)
    for _ in range(3):
        RoleSkillFactory(role=role)
    record_versions(role, 2)
    few = page_queries(changes_url(role.slug))

    record_versions(role, 60)
    for _ in range(337):
        RoleSkillFactory(role=role, skill=SkillFactory())
    record_versions(role, 2)  # the newest, with 340 skills each
    first_page = page_queries(changes_url(role.slug))
    second_page = page_queries(changes_url(role.slug, page=2))
    assert few == first_page == second_page == CHANGES_QUERY_BUDGET

    html = visitor_page(changes_url(role.slug))
    assert len(entries(html)) == 50
    assert entries(html)[0].endswith("Updated from the catalogue files: Overview")
    assert entries(html)[1].endswith("Updated from the catalogue files: Overview and Skills")
    last = entries(visitor_page(changes_url(role.slug, page=2)))
    assert len(last) == 64 - 50
    assert last[-1].endswith("Added from the catalogue files")
    assert visitor_page(changes_url(role.slug, page="x")) == html  # a bad page: the first
