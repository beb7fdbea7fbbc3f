"""The job description as a download: Markdown (/roles/<slug>.md) and plain text
(/roles/<slug>.txt, what "Copy as plain text" copies) carry the whole page, FAQs, related
roles, cities and each figure's source; the plain text has no Markdown marks at all."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from roles.models import Role
from tests.catalogue import esco_miniature as mini
from tests.factories import (
    FrequentlyAskedQuestionFactory,
    RoleFactory,
    RoleSkillFactory,
    SalaryBandFactory,
    SkillFactory,
)

pytestmark = pytest.mark.django_db

# A role page's reads less the other roles of its family, which downloads leave out.
DOWNLOAD_QUERY_BUDGET = 12
# Marks that make text Markdown: headings, emphasis, bullets, tables, code, links, quotes
# and rules. "C#" or a hyphen inside a sentence is not one.
MARKDOWN_MARKS = re.compile(
    r"^\s{0,3}#|\*\*|__|^\s*[-*+]\s|\||`|\]\(|^\s*>|^\s*(?:-{3,}|={3,}|\*{3,})\s*$|^\s*\d+\.\s",
    re.MULTILINE,
)


def download(client, name, slug="backend-developer"):
    response = client.get(reverse(f"roles:{name}", kwargs={"slug": slug}))
    assert response.status_code == 200, response.status_code
    return response, response.content.decode()


@pytest.fixture
def shipped(catalogue):
    """The shipped catalogue with the backend developer's front-end colleague published, so
    that its "Related roles" has a role to name."""
    Role.objects.filter(slug="front-end-developer").update(status=Role.Status.PUBLISHED)
    return catalogue


@pytest.mark.parametrize("name", ["markdown", "text"])
def test_a_download_holds_the_whole_description(client, shipped, name):
    _, text = download(client, name)
    for words in [
        "Backend Developer",
        "Design and build the components that run on the server.",  # responsibilities
        "Backend programming",  # skills
        "(required): Proficiency in at least one server-side language",
        "Qualifications and education",
        # FAQs, question and answer.
        "Which languages are used for backend development?",
        "Important and capable backend languages include C#, PHP",
        # Related roles, with their note and an address that works once pasted elsewhere.
        "Front-end Developer",
        "http://testserver/roles/front-end-developer/",
        "The backend developer agrees goals with front-end developers",
        # Where pay is higher: each city, with the reason and its source.
        "Bangalore",
        "Mumbai",
        "Delhi",
        "Pays backend developers more, owing to its growing technology industry.",
        "Outlook",
        "Backend developers are in high demand in India's technology sector.",
        "Sources",
        "International Labour Organization",
        "From the Jobsite catalogue: http://testserver/roles/backend-developer/",
    ]:
        assert words in text, words
    assert "&amp;" not in text and "&#x27;" not in text  # plain text, not HTML-escaped
    # A draft collaborator stays unnamed, downloads included.
    assert "QA Analyst" not in text and "qa-analyst" not in text


def first_band_and_figure():
    """The backend developer's first band and its average: what the lines below show, with
    labels and citations read from the models (whose wording may change)."""
    role = Role.objects.get(slug="backend-developer")
    band = role.salary_bands.select_related("source").get(minimum=300_000)
    figure = role.salary_figures.select_related("source").get(measure="average")
    place = role.higher_paying_locations.select_related("source").get(location__slug="bangalore")
    return band, figure, place


@pytest.mark.parametrize("name", ["markdown", "text"])
def test_every_figure_names_its_source(client, shipped, name):
    _, text = download(client, name)
    band, figure, place = first_band_and_figure()
    band_lines = [line for line in text.splitlines() if "₹3,00,000 – ₹8,00,000" in line]
    assert len(band_lines) == 1
    assert band.experience_label in band_lines[0] and band.source.citation in band_lines[0]
    figure_lines = [line for line in text.splitlines() if "₹6,40,000" in line]
    assert len(figure_lines) == 1 and figure.source.citation in figure_lines[0]
    city_lines = [line for line in text.splitlines() if "Bangalore" in line and "Pays" in line]
    assert len(city_lines) == 1 and place.source.citation in city_lines[0]


def test_markdown_links_related_roles_and_tabulates_pay(client, shipped):
    response, text = download(client, "markdown")
    band, _, _ = first_band_and_figure()
    assert response["Content-Disposition"] == 'attachment; filename="backend-developer.md"'
    assert "## Frequently asked questions\n\n### What are a backend developer's main" in text
    assert "\n\n### Which languages are used for backend development?\n\nImportant" in text
    assert "- [Front-end Developer](http://testserver/roles/front-end-developer/): " in text
    row = f"| {band.experience_label} | ₹3,00,000 – ₹8,00,000 per year | India | "
    assert row + band.source.citation in text
    assert "### Where pay is higher\n\n- **Bangalore**: " in text


def test_plain_text_has_no_markdown_marks(client, shipped):
    response, text = download(client, "text")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="backend-developer.txt"'
    assert MARKDOWN_MARKS.findall(text) == []
    lines = text.splitlines()
    assert lines[0] == "Backend Developer"
    assert "Frequently asked questions" in lines and "Responsibilities" in lines
    band, _, _ = first_band_and_figure()
    pay = f"• {band.experience_label}: ₹3,00,000 – ₹8,00,000 per year, India. Source: "
    assert pay + band.source.citation + "." in lines
    assert "Q: Which languages are used for backend development?" in lines


def test_the_markdown_marks_check_catches_markdown(client, shipped):
    """The check above fails on the Markdown download: it would catch a mark let through."""
    _, text = download(client, "markdown")
    found = {mark.strip() for mark in MARKDOWN_MARKS.findall(text)}
    assert {"#", "**", "|", "](", "-"} <= found


def test_the_copy_button_copies_the_plain_text(client, shipped):
    html = client.get(reverse("roles:detail", kwargs={"slug": "backend-developer"})).content
    assert b'class="copy-text" hidden data-source="/roles/backend-developer.txt"' in html


def test_an_esco_occupation_download_links_broader_and_narrower_occupations(client, esco_miniature):
    _, markdown = download(client, "markdown", slug="web-developer")
    _, text = download(client, "text", slug="web-developer")
    broader = "http://testserver/roles/software-developer/"
    assert f"is a kind of [software developer]({broader})." in markdown
    assert f"is a kind of software developer ({broader})." in text
    _, markdown = download(client, "markdown", slug="software-developer")
    _, text = download(client, "text", slug="software-developer")
    assert "- [web developer](http://testserver/roles/web-developer/)" in markdown
    assert "• web developer (http://testserver/roles/web-developer/)" in text
    assert mini.SOFTWARE_DEVELOPER_URI in text
    assert MARKDOWN_MARKS.findall(text) == []


def test_drafts_and_unknown_roles_have_no_downloads(client, shipped):
    for slug in ["qa-analyst", "no-such-role"]:
        assert client.get(reverse("roles:text", kwargs={"slug": slug})).status_code == 404


@pytest.mark.parametrize("name", ["markdown", "text"])
def test_downloads_run_a_fixed_number_of_queries_with_esco_shaped_roles(
    page_queries, esco_miniature, name
):
    """An ESCO occupation with a broader one and narrower ones, then with 300 more skills,
    20 more narrower occupations, FAQs and bands: the same queries."""
    role = Role.objects.get(slug="software-developer")
    url = reverse(f"roles:{name}", kwargs={"slug": role.slug})
    few = page_queries(url)
    for _ in range(300):
        RoleSkillFactory(role=role, skill=SkillFactory(), importance="preferred")
    for index in range(20):
        RoleFactory(family=role.family, broader=role)
        FrequentlyAskedQuestionFactory(role=role)
        SalaryBandFactory(
            role=role,
            experience_min_years=Decimal(index),
            experience_max_years=Decimal(index + 1),
        )
    many = page_queries(url)
    assert few == many <= DOWNLOAD_QUERY_BUDGET
