"""Pay plausibility in admin: implausible pay is refused with the bound it breaks, and a band
far out of line with its role's others is saved once the editor has ticked that they
checked it, on the role's page and on the band's own."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from roles.models import Role
from salaries.models import SalaryBand
from tests.admin_forms import FormValues, admin_form

pytestmark = pytest.mark.django_db

CONFIRM = "I have checked this figure"


@pytest.fixture
def backend(catalogue):
    """The shipped Backend Developer: bands of ₹3–8, 5–15, 10–25 and 25+ lakh."""
    return Role.objects.get(slug="backend-developer")


def role_url(role):
    return reverse("admin:roles_role_change", args=[role.pk])


def band_url(band):
    return reverse("admin:salaries_salaryband_change", args=[band.pk])


def top_band(role):
    return role.salary_bands.get(experience_min_years=10)


def form_on(response):
    """The form of a refused page as a browser would submit it again: what was typed."""
    parser = FormValues()
    parser.feed(response.content.decode())
    data = {}
    for name, value in parser.values:
        if name not in ("csrfmiddlewaretoken", "_save") and "__prefix__" not in name:
            data.setdefault(name, []).append(value)
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()}


def checkbox(page, name):
    return re.search(rf'<input type="checkbox" name="{re.escape(name)}"[^>]*>', page)


def test_no_confirmation_box_shows_while_every_band_is_in_line(editor_client, backend):
    page = editor_client.get(role_url(backend)).content.decode()
    assert not checkbox(page, "salary_bands-0-pay_checked")
    assert 'class="column-pay_checked hidden"' in page  # the column's header too
    band_page = editor_client.get(band_url(top_band(backend))).content.decode()
    assert not checkbox(band_page, "pay_checked")


def test_role_page_asks_to_confirm_a_band_far_out_of_line_then_saves_it(editor_client, backend):
    url = role_url(backend)
    data = admin_form(editor_client, url)
    assert data["salary_bands-3-minimum"] == "2500000"
    data["salary_bands-3-minimum"] = "50000000"  # ₹5 crore: a slipped pair of zeros?

    refused = editor_client.post(url, data)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert (
        "The 10 years or more band, ₹5,00,00,000+, is far out of line: its midpoint, ₹5,00,00,000, "
        "is 50 times higher than the median of this role&#x27;s other INR per year bands, "
        "₹10,00,000."
    ) in page
    box = checkbox(page, "salary_bands-3-pay_checked")
    assert box and " checked" not in box.group()  # unticked
    assert "column-pay_checked hidden" not in page  # its column now shows, with a header
    assert f">{CONFIRM}" in page
    # The rows in line get an empty cell, not a box of their own.
    assert not checkbox(page, "salary_bands-0-pay_checked")
    assert top_band(backend).minimum == 2_500_000  # nothing saved

    again = form_on(refused)
    assert again["salary_bands-3-minimum"] == "50000000"  # what the editor typed is kept
    again["salary_bands-3-pay_checked"] = "on"
    saved = editor_client.post(url, again)
    assert saved.status_code == 302, saved.context["errors"]
    assert top_band(backend).minimum == 50_000_000
    message = LogEntry.objects.filter(object_id=str(backend.pk)).latest("pk").get_change_message()
    assert "Minimum" in message and CONFIRM not in message

    # Accepted once: saving the page again asks nothing more.
    assert editor_client.post(url, admin_form(editor_client, url)).status_code == 302


def test_role_page_compares_the_bands_as_submitted_together(editor_client, backend):
    url = role_url(backend)
    data = admin_form(editor_client, url)
    # The whole ladder ten times higher: each band is in line with the others as typed,
    # though far out of line with the saved ones.
    for index in range(4):
        for field in ("minimum", "maximum"):
            if data[f"salary_bands-{index}-{field}"]:
                data[f"salary_bands-{index}-{field}"] += "0"
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert top_band(backend).minimum == 25_000_000

    # A new row (anywhere in India) far below the rest is asked about, and only it.
    data = admin_form(editor_client, url)
    new_row = f"salary_bands-{data['salary_bands-TOTAL_FORMS']}"
    data.update(
        {
            "salary_bands-TOTAL_FORMS": str(int(data["salary_bands-TOTAL_FORMS"]) + 1),
            f"{new_row}-experience_min_years": "0",
            f"{new_row}-experience_max_years": "2",
            f"{new_row}-minimum": "100000",
            f"{new_row}-maximum": "200000",
            f"{new_row}-currency": "INR",
            f"{new_row}-period": "year",
            f"{new_row}-source": data["salary_bands-0-source"],
            f"{new_row}-year": "2024",
        }
    )
    refused = editor_client.post(url, data)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert (
        "The 0 to under 2 years band, ₹1,00,000 – ₹2,00,000, is far out of line: its midpoint, "
        "₹1,50,000, is 92 times lower than the median"
    ) in page
    assert checkbox(page, f"{new_row}-pay_checked")
    assert page.count(CONFIRM) == 2  # the header and the one error message
    assert backend.salary_bands.count() == 4


def test_band_page_asks_to_confirm_pay_far_out_of_line_with_the_saved_bands(editor_client, backend):
    band = backend.salary_bands.get(experience_min_years=0)
    url = band_url(band)
    data = admin_form(editor_client, url)
    data.update(minimum="10000", maximum="20000")  # ₹10–20 thousand a year

    refused = editor_client.post(url, data)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "The 0 to under 2 years band, ₹10,000 – ₹20,000, is far out of line" in page
    assert (
        "its midpoint, ₹15,000, is 117 times lower than the median of this role&#x27;s other "
        "INR per year bands, ₹17,50,000."
    ) in page
    assert checkbox(page, "pay_checked")
    band.refresh_from_db()
    assert (band.minimum, band.maximum) == (300_000, 800_000)

    again = form_on(refused)
    assert (again["minimum"], again["maximum"]) == ("10000", "20000")
    again["pay_checked"] = "on"
    assert editor_client.post(url, again).status_code == 302
    band.refresh_from_db()
    assert (band.minimum, band.maximum) == (10_000, 20_000)

    # A change to something else is not asked about again.
    data = admin_form(editor_client, url)
    data["year"] = "2024"
    assert editor_client.post(url, data).status_code == 302


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "minimum",
            "1",
            "The minimum, ₹1, is below the lowest plausible pay in INR per year: ₹10,000.",
        ),
        (
            "maximum",
            "999999999999",
            "The maximum, ₹9,99,99,99,99,999, is above the highest plausible pay in INR per "
            "year: ₹10,00,00,000.",
        ),
    ],
)
def test_implausible_pay_is_refused_on_both_pages_naming_the_bound(
    editor_client, backend, field, value, message
):
    band = top_band(backend)
    role_page = role_url(backend)
    data = admin_form(editor_client, role_page)
    data[f"salary_bands-3-{field}"] = value
    response = editor_client.post(role_page, data)
    assert response.status_code == 200
    assert message in response.content.decode()

    data = admin_form(editor_client, band_url(band))
    data[field] = value
    response = editor_client.post(band_url(band), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert SalaryBand.objects.get(pk=band.pk).minimum == 2_500_000


def test_role_page_refuses_a_range_that_leaves_the_saved_median_outside(editor_client, backend):
    """The role page's rows leave a source's statistics to the band's own page; a new range
    that would leave the stored median outside it is refused with a message, not a 500."""
    band = top_band(backend)
    band.median = 3_000_000
    band.save()
    url = role_url(backend)
    data = admin_form(editor_client, url)
    data["salary_bands-3-minimum"] = "3500000"

    refused = editor_client.post(url, data)
    assert refused.status_code == 200
    assert (
        "The median saved with this band, ₹30,00,000, would fall outside the range "
        "₹35,00,000+. Change it on the band&#x27;s own page, then the range here."
    ) in refused.content.decode()
    band.refresh_from_db()
    assert (band.minimum, band.median) == (2_500_000, 3_000_000)

    data["salary_bands-3-minimum"] = "2800000"  # still below the median: saved
    assert editor_client.post(url, data).status_code == 302
    band.refresh_from_db()
    assert (band.minimum, band.median) == (2_800_000, 3_000_000)
