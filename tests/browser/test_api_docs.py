"""The API's docs page (Swagger UI from drf-spectacular-sidecar) works under the site's
Content Security Policy, which allows no inline script: it loads the schema and lists every
endpoint, and the browser reports no violation and no console error."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_csp import assert_clean

pytestmark = pytest.mark.browser


def test_the_docs_page_lists_the_endpoints_under_the_csp(watched_page, site):
    page = watched_page
    response = page.goto(f"{site}{reverse('api:docs')}")
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    expect(page.get_by_text("Jobsite API").first).to_be_visible()
    for path in ("/api/v1/roles/", "/api/v1/roles/{slug}/", "/api/v1/salary-bands/"):
        expect(page.locator(f'.opblock-summary-path[data-path="{path}"]')).to_be_visible()
    assert_clean(page)
