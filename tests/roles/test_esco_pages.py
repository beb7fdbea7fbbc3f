"""Role pages for ESCO occupations, read from the miniature ESCO (tests/catalogue/
esco_miniature.py) as `manage.py import_esco` imports it: what ESCO says of an occupation,
where it sits in ISCO-08 and among other occupations, and what a visitor gets once a newer
ESCO drops it. The pages' query budgets are in test_views.py."""

import json
import re

import pytest
from django.urls import reverse

from catalogue.esco import ATTRIBUTION, import_esco
from catalogue.files import load_catalogue
from roles.models import Role
from skills.models import SkillImportance, SkillKind, skill_sections
from tests.catalogue import esco_miniature as mini
from tests.catalogue.esco_miniature import dataset, write_miniature
from tests.factories import RoleFactory, RoleSkillFactory, SkillFactory
from tests.html_checker import html_problems, needs_java

pytestmark = pytest.mark.django_db

SOFTWARE_DEVELOPER = "/roles/software-developer/"
WEB_DEVELOPER = "/roles/web-developer/"


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def breadcrumbs(html):
    trail = re.search(r'<nav aria-label="Breadcrumb" class="breadcrumbs">(.*?)</nav>', html, re.S)
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li.*?</li>", trail[1])]


def section(html, anchor):
    """The HTML of the page's <section id=anchor>."""
    return re.search(rf'<section id="{anchor}".*?</section>', html, re.S)[0]


def h2_headings(html):
    return re.findall(r'<h2 id="[^"]+">([^<]+)</h2>', html)


def listed_skills(html):
    """(name, importance) of each skill in a section's list, in order."""
    return re.findall(r'<a href="/skills/[^"]+/">([^<]+)</a> <span class="badge[^"]*">(\w+)', html)


def linked_titles(html):
    return re.findall(r'<a href="/roles/[^"]+/">([^<]+)</a>', html)


# What ESCO says of an occupation ----------------------------------------------------------


def test_an_occupation_page_shows_its_other_titles_codes_and_esco_link(client, esco_miniature):
    html = page(client, SOFTWARE_DEVELOPER)
    assert (
        "<strong>Also called:</strong> programmer, software engineer, code author, "
        "software builder</p>"
    ) in html
    assert "<dt>ESCO code</dt><dd>2512.4</dd>" in html
    assert f'<a href="{mini.SOFTWARE_DEVELOPER_URI}" rel="external">' in html
    assert '<dt>Modified in ESCO</dt><dd><time datetime="2016-07-05">5 July 2016</time>' in html
    assert "<dt>ISCO-08 unit group</dt>" in html


def test_a_long_list_of_other_titles_is_folded(client, esco_miniature):
    titles = [f"title number {index}" for index in range(1, 13)]
    Role.objects.filter(slug="software-developer").update(alternative_titles="\n".join(titles))
    html = page(client, SOFTWARE_DEVELOPER)
    assert "Also called:</strong> title number 1, title number 2," in html
    folded = re.search(r"<details><summary>4 more titles</summary>(.*?)</details>", html)
    assert re.findall(r"<li>([^<]+)</li>", folded[1]) == titles[8:]


def test_the_breadcrumbs_follow_isco_08_down_to_the_occupation(client, esco_miniature):
    html = page(client, SOFTWARE_DEVELOPER)
    assert breadcrumbs(html) == [
        "Home",
        "Roles",
        "Professionals",
        "Information and communications technology professionals",
        "Software and applications developers and analysts",
        "Software developers",
        "software developer",
    ]
    assert '<a href="/families/software-developers-2512/"' in html


def test_essential_and_optional_skills_are_grouped_by_kind_required_first(client, esco_miniature):
    html = page(client, SOFTWARE_DEVELOPER)
    headings = h2_headings(html)
    assert headings[headings.index("Overview") + 1 : headings.index("Salary")] == [
        "Knowledge",
        "Skills and competences",
        "Transversal skills",
    ]
    assert listed_skills(section(html, "knowledge")) == [
        ("Python (computer programming)", "Required"),
        ("version control systems", "Required"),
        ("Git (version control)", "Preferred"),
        ("SQL (database queries)", "Preferred"),
    ]
    assert listed_skills(section(html, "skills-and-competences")) == [
        ("create software prototypes", "Required"),
        ("trace and fix software faults", "Required"),
        ("everyday digital tasks", "Preferred"),  # ESCO gives it no type
    ]
    assert listed_skills(section(html, "transversal-skills")) == [
        ("cooperate within a team", "Preferred")
    ]
    assert "ESCO's essential skills for this occupation are marked required" in html
    assert '<a href="#skills-and-competences">Skills and competences</a>' in html  # contents


def test_skill_sections_put_required_skills_first_within_each_kind(db):
    role = RoleFactory()
    role_skills = [
        RoleSkillFactory(role=role, skill=SkillFactory(name=name, kind=kind), importance=need)
        for name, kind, need in [
            ("Listening", SkillKind.SOFT_SKILL, SkillImportance.REQUIRED),
            ("Docker", SkillKind.TOOL, SkillImportance.PREFERRED),
            ("Python", SkillKind.PROGRAMMING_LANGUAGE, SkillImportance.REQUIRED),
            ("Teamwork", SkillKind.TRANSVERSAL, SkillImportance.PREFERRED),
            ("Ethics", SkillKind.KNOWLEDGE, SkillImportance.PREFERRED),
        ]
    ]
    sections = skill_sections(role_skills)
    assert [(heading, [row.skill.name for row in rows]) for heading, rows in sections] == [
        ("Technical skills", ["Python", "Docker"]),
        ("Knowledge", ["Ethics"]),
        ("Transversal skills", ["Teamwork"]),
        ("Soft skills", ["Listening"]),
    ]
    assert [section.anchor for section in sections][0] == "technical-skills"


def test_an_occupation_without_pay_says_so(client, esco_miniature):
    salary = section(page(client, SOFTWARE_DEVELOPER), "salary")
    assert "No pay figures yet" in salary


def test_esco_is_credited_at_the_end_and_among_the_sources(client, esco_miniature):
    html = page(client, SOFTWARE_DEVELOPER)
    article = html[html.index('<article class="role">') : html.index("</article>")]
    assert article.rstrip().endswith("</aside>")
    assert f"{ATTRIBUTION} ESCO version 1.1.1" in article.rsplit("<aside", 1)[1]
    assert "ESCO classification, version 1.1.1" in section(html, "sources")


# Where an occupation sits among others ----------------------------------------------------


def test_broader_narrower_and_unit_group_occupations_are_linked(client, esco_miniature):
    developer = page(client, SOFTWARE_DEVELOPER)
    assert linked_titles(section(developer, "occupations")) == ["web developer"]
    assert "Other occupations in this unit group</h2>" in developer
    assert linked_titles(section(developer, "same-family")) == ["web developer"]
    assert "Every occupation in 2512 Software developers</a>" in developer

    web = page(client, WEB_DEVELOPER)
    assert 'is a kind of <a href="/roles/software-developer/">software developer</a>' in web
    assert linked_titles(section(web, "same-family")) == ["software developer"]


def test_only_published_occupations_are_linked(client, esco_miniature):
    Role.objects.filter(slug="web-developer").update(status=Role.Status.DRAFT)
    developer = page(client, SOFTWARE_DEVELOPER)
    assert 'id="occupations"' not in developer
    assert 'id="same-family"' not in developer  # web developer was its only neighbour
    Role.objects.filter(slug="web-developer").update(status=Role.Status.PUBLISHED)
    Role.objects.filter(slug="software-developer").update(status=Role.Status.DRAFT)
    assert "is a kind of" not in page(client, WEB_DEVELOPER)


def test_a_hand_written_role_links_the_esco_occupation_it_narrows(client, esco_miniature):
    """The content loaded after an ESCO import, as `make run` does. Its backend developer
    names the real ESCO's software developer, which the miniature does not hold (the loader
    leaves that link empty), so the test links it to the miniature's."""
    load_catalogue()
    backend = Role.objects.get(slug="backend-developer")
    assert backend.broader is None
    backend.broader = Role.objects.get(esco_uri=mini.SOFTWARE_DEVELOPER_URI)
    backend.save()
    html = page(client, backend.get_absolute_url())
    assert 'is a kind of <a href="/roles/software-developer/">software developer</a>' in html
    # A hand-written role keeps its own sections and breadcrumbs, and credits no ESCO.
    assert {"Technical skills", "Soft skills", "Salary"} <= set(h2_headings(html))
    assert breadcrumbs(html) == ["Home", "Roles", "Backend Developer"]
    assert ATTRIBUTION not in html and "No pay figures yet" not in html
    assert "Backend Developer" in linked_titles(
        section(page(client, SOFTWARE_DEVELOPER), "occupations")
    )


# Structured data and Markdown -------------------------------------------------------------


def test_structured_data_names_the_other_titles_isco_group_and_esco_concept(client, esco_miniature):
    html = page(client, SOFTWARE_DEVELOPER)
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html)[1])
    assert data["alternateName"] == [
        "programmer",
        "software engineer",
        "code author",
        "software builder",
    ]
    assert data["occupationalCategory"] == [
        {
            "@type": "CategoryCode",
            "codeValue": "2512",
            "inCodeSet": {"@type": "CategoryCodeSet", "name": "ISCO-08"},
            "name": "Software developers",
        }
    ]
    assert data["sameAs"] == data["identifier"] == mini.SOFTWARE_DEVELOPER_URI
    assert "cooperate within a team" in data["skills"]
    assert "estimatedSalary" not in data


def test_markdown_holds_the_sections_other_titles_and_attribution(client, esco_miniature):
    text = client.get(reverse("roles:markdown", kwargs={"slug": "software-developer"}))
    text = text.content.decode()
    assert "Also called: programmer, software engineer, code author, software builder\n" in text
    assert "## Knowledge\n\n- **Python (computer programming)** (required)\n" in text
    assert "## Skills and competences\n" in text and "## Transversal skills\n" in text
    assert f"{ATTRIBUTION} ESCO version 1.1.1: {mini.SOFTWARE_DEVELOPER_URI}" in text


# Occupations a newer ESCO drops -----------------------------------------------------------


@pytest.fixture
def web_developer_retired(esco_miniature, tmp_path):
    """ESCO 1.2.0 without the web developer: the import archives its role."""
    occupations = [
        row for row in dataset("OCCUPATIONS") if row["conceptUri"] != mini.WEB_DEVELOPER_URI
    ]
    import_esco(write_miniature(tmp_path / "newer", OCCUPATIONS=occupations), version="1.2.0")
    role = Role.objects.get(slug="web-developer")
    assert role.status == Role.Status.ARCHIVED
    return role


def test_an_archived_role_is_gone_for_visitors(client, web_developer_retired):
    for url in [WEB_DEVELOPER, reverse("roles:markdown", kwargs={"slug": "web-developer"})]:
        response = client.get(url)
        assert response.status_code == 410, url
        html = response.content.decode()
        assert "Web developer is no longer in the catalogue</h1>" in html
        assert "dropped it in version 1.2.0" in html
        assert '<a href="/roles/software-developer/">software developer</a>' in html
        assert '<a href="/families/software-developers-2512/">Software developers</a>' in html
    # Its former broader occupation no longer lists it.
    assert "web developer" not in linked_titles(page(client, SOFTWARE_DEVELOPER))


def test_an_archived_role_links_its_family_when_it_has_no_broader_occupation(
    client, web_developer_retired
):
    Role.objects.filter(slug="web-developer").update(broader=None)
    html = client.get(WEB_DEVELOPER).content.decode()
    assert "Its broader occupation" not in html
    assert '<a href="/families/software-developers-2512/">Software developers</a>' in html


def test_editors_still_see_an_archived_role(editor_client, web_developer_retired):
    html = page(editor_client, WEB_DEVELOPER)
    assert "Archived: only editors can see this page. ESCO 1.2.0 no longer holds" in html


def test_drafts_stay_not_found_rather_than_gone(client, esco_miniature):
    Role.objects.filter(slug="web-developer").update(status=Role.Status.DRAFT)
    assert client.get(WEB_DEVELOPER).status_code == 404


# Markup -----------------------------------------------------------------------------------


@needs_java
def test_occupation_pages_are_valid_html(client, web_developer_retired, tmp_path):
    for name, url in [("occupation", SOFTWARE_DEVELOPER), ("gone", WEB_DEVELOPER)]:
        (tmp_path / f"{name}.html").write_bytes(client.get(url).content)
    problems = html_problems(tmp_path)
    assert problems == [], "\n".join(problems)
