"""The editors' dashboard on the admin index: what needs attention, each list linked to the
admin list of all of it, in a fixed number of queries (issue 15)."""

import datetime
import re

import pytest
from django.utils import timezone

from catalogue.attention import roles_with
from catalogue.models import ImportRun
from roles.models import Role
from tests.factories import (
    ResponsibilityFactory,
    RoleFactory,
    RoleSkillFactory,
    SalaryBandFactory,
    SalaryFigureFactory,
)
from tests.test_history import admin_url

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def complete_role(**fields):
    """A published role whose page lacks nothing, reviewed this month."""
    role = RoleFactory(reviewed_on=TODAY, **fields)
    ResponsibilityFactory(role=role)
    RoleSkillFactory(role=role)
    SalaryBandFactory(role=role, year=TODAY.year)
    return role


def attention_list(page: str, title: str) -> str:
    """The dashboard's section headed ``title``: its heading, records and link."""
    match = re.search(rf"<h3[^>]*>{re.escape(title)}: .*?</section>", page, re.S)
    assert match, f"no list {title!r} on the dashboard"
    return match.group(0)


def test_the_dashboard_lists_a_stale_band_and_its_link_opens_it(editor_client):
    complete_role()
    stale = SalaryBandFactory(role=complete_role(), year=TODAY.year - 3)

    page = editor_client.get("/admin/").content.decode()

    section = attention_list(page, "Salary bands older than two years")
    assert section.startswith('<h3 id="attention-2">Salary bands older than two years: 1</h3>')
    assert f'<a href="{admin_url(stale, "change")}">{stale}</a>, {stale.year}' in section
    assert editor_client.get(admin_url(stale, "change")).status_code == 200
    assert "None." in attention_list(page, "Salary figures older than two years")


def test_each_list_names_its_roles_and_links_to_all_of_them(editor_client):
    complete_role()
    RoleFactory(title="Bare role", reviewed_on=None)
    RoleFactory(title="Draft role", status=Role.Status.DRAFT)  # drafts are not listed
    many = [RoleFactory(reviewed_on=TODAY - datetime.timedelta(days=400)) for _ in range(6)]

    page = editor_client.get("/admin/").content.decode()

    review = attention_list(page, "Due for review")
    assert review.startswith('<h3 id="attention-4">Due for review: 7</h3>')
    # Never reviewed first, then the longest since; five shown, and a link to all seven.
    assert review.index("Bare role") < review.index(min(role.title for role in many))
    assert "Draft role" not in page
    assert review.count("<li>") == 5
    assert '<a href="/admin/roles/role/?attention=review">All 7</a>' in review
    for title in ("Published without responsibilities", "Published without skills"):
        assert "Bare role" in attention_list(page, title)

    listed = editor_client.get("/admin/roles/role/?attention=review").content.decode()
    assert "7 results" in listed
    assert "Bare role" in listed and "Draft role" not in listed


def test_roles_waiting_for_review_come_first_longest_waiting_first(editor_client):
    complete_role(title="Published and done")
    waiting = [RoleFactory(title=f"Waiting {n}", status=Role.Status.IN_REVIEW) for n in range(7)]
    RoleFactory(title="Still a draft", status=Role.Status.DRAFT)
    # The last submitted waits least.
    Role.objects.filter(pk=waiting[0].pk).update(updated_at=timezone.now())

    page = editor_client.get("/admin/").content.decode()

    section = attention_list(page, "Waiting for review")
    assert section.startswith('<h3 id="attention-1">Waiting for review: 7</h3>')
    assert section.count("<li>") == 5
    assert f'<a href="{admin_url(waiting[1], "change")}">Waiting 1</a>' in section
    assert "Waiting 0" not in section and "Still a draft" not in section
    assert '<a href="/admin/roles/role/?attention=in-review">All 7</a>' in section
    listed = editor_client.get("/admin/roles/role/?attention=in-review").content.decode()
    assert "7 results" in listed and "Still a draft" not in listed


def test_roles_without_pay_count_bands_and_figures(editor_client):
    complete_role()
    with_figure = RoleFactory(title="Paid by a figure")
    SalaryFigureFactory(role=with_figure, year=TODAY.year)
    RoleFactory(title="Unpaid")

    assert [role.title for role in roles_with("no-pay")] == ["Unpaid"]


def test_roles_a_later_esco_import_changed_are_listed(editor_client):
    before = timezone.now() - datetime.timedelta(days=30)
    changed = RoleFactory(title="Changed by ESCO", esco_uri="http://data.europa.eu/esco/o/1")
    untouched = RoleFactory(title="Left as it was", esco_uri="http://data.europa.eu/esco/o/2")
    started = timezone.now() - datetime.timedelta(minutes=5)
    Role.objects.filter(pk__in=[changed.pk, untouched.pk]).update(created_at=before)
    Role.objects.filter(pk=untouched.pk).update(updated_at=before)
    Role.objects.filter(pk=changed.pk).update(updated_at=started + datetime.timedelta(minutes=1))
    ImportRun.objects.create(
        esco_version="v1.2.0",
        source="/esco",
        new_role_status="draft",
        run_by="editor",
        started_at=started,
        finished_at=started + datetime.timedelta(minutes=2),
    )

    page = editor_client.get("/admin/").content.decode()

    section = attention_list(page, "Changed by the last ESCO import")
    assert "Changed by ESCO" in section and "Left as it was" not in section


def test_the_dashboard_runs_the_same_queries_whatever_the_catalogue_size(
    editor_client, page_queries
):
    complete_role()
    RoleFactory()
    SalaryBandFactory(year=TODAY.year - 3)
    few = page_queries("/admin/", as_client=editor_client)
    # The session, the user and their permissions, the recent-actions box, and one query per
    # list (the last import's run being one more).
    assert few <= 13
    for _ in range(20):
        role = RoleFactory()
        SalaryBandFactory(role=role, year=TODAY.year - 5)
        SalaryFigureFactory(role=role, year=TODAY.year - 5)
        RoleFactory(status=Role.Status.IN_REVIEW)
    assert page_queries("/admin/", as_client=editor_client) == few


def test_who_may_not_change_roles_sees_no_dashboard(client, django_user_model):
    staff = django_user_model.objects.create_user("visitor", password="x", is_staff=True)
    client.force_login(staff)
    assert "Needs attention" not in client.get("/admin/").content.decode()
