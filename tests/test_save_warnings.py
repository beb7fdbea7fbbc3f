"""Warnings, not refusals, once an editor saves: figures older than two years, a role
published without pay (issue 15). The record is saved either way."""

import pytest
from django.contrib.messages import WARNING
from django.utils import timezone

from roles.models import Role
from salaries.models import SalaryBand
from tests.admin_forms import admin_form
from tests.factories import RoleFactory, RoleSkillFactory, SalaryBandFactory
from tests.test_history import admin_url

pytestmark = pytest.mark.django_db


def warnings_after(client, url, changes):
    response = client.post(url, admin_form(client, url) | changes, follow=True)
    assert response.redirect_chain, response.context["errors"]  # saved
    return [str(m) for m in response.context["messages"] if m.level == WARNING]


def test_a_band_of_an_old_year_is_saved_with_a_warning(editor_client):
    band = SalaryBandFactory(year=timezone.localdate().year - 1)
    old = timezone.localdate().year - 3

    warned = warnings_after(editor_client, admin_url(band, "change"), {"year": str(old)})

    assert warned == [
        f"{band.role}: 0 to under 2 years describes {old}, more than 2 years ago: its page "
        "flags it as older than two years. Add newer figures when a source has them."
    ]
    assert SalaryBand.objects.get(pk=band.pk).year == old


def test_a_recent_band_saves_without_a_warning(editor_client):
    band = SalaryBandFactory(year=timezone.localdate().year - 1)
    assert warnings_after(editor_client, admin_url(band, "change"), {"maximum": "900000"}) == []


def test_a_role_published_without_pay_is_saved_with_a_warning(reviewer_client):
    role = RoleFactory(status=Role.Status.DRAFT)
    url = admin_url(role, "change")
    changes = {
        "status": Role.Status.PUBLISHED,
        "responsibilities-TOTAL_FORMS": "1",
        "responsibilities-0-position": "1",
        "responsibilities-0-text": "Design the service's data model.",
    }

    warned = warnings_after(reviewer_client, url, changes)

    assert warned == [
        f"“{role.title}” is published without pay: its page shows no salary figures. Add a "
        "band or a figure when a source gives one."
    ]
    assert Role.objects.get(pk=role.pk).is_published


def test_a_role_with_pay_or_still_a_draft_saves_without_that_warning(editor_client):
    paid = SalaryBandFactory(year=timezone.localdate().year).role
    RoleSkillFactory(role=paid)  # a published page needs responsibilities or skills
    assert warnings_after(editor_client, admin_url(paid, "change"), {"summary": "New."}) == []
    draft = RoleFactory(status=Role.Status.DRAFT)
    assert warnings_after(editor_client, admin_url(draft, "change"), {"summary": "New."}) == []
