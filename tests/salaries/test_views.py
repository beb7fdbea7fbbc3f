import csv
import html
import io
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.search import refresh_role_search_vectors
from roles.models import Role
from salaries import views as salary_views
from salaries.filters import ROLE_TITLE_SUGGESTIONS, SIMILAR_ROLES
from salaries.models import Location
from tests.factories import (
    LocationFactory,
    RoleFactory,
    SalaryBandFactory,
    SalaryFigureFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

EXPLORER = reverse("salaries:explorer")
EXPORT = reverse("salaries:export")
BACKEND = "role=backend-developer"
# The role and location lookups, the role suggestions and the
# location list, the band count and page, the role's figures. (An unknown role: the
# revision, the lookup, similar roles, the suggestions and the location list.)
EXPLORER_QUERY_BUDGET = 7
# The role and location lookups, the bands (streamed: counted as they are read).
EXPORT_QUERY_BUDGET = 3
CSV_HEADER = [
    "role",
    "experience",
    "experience from",
    "experience to",
    "minimum",
    "maximum",
    "25th percentile",
    "median",
    "75th percentile",
    "sample size",
    "currency",
    "period",
    "location",
    "source",
    "year",
    "older than two years?",
    "matches experience?",
]
MATCHES = CSV_HEADER.index("matches experience?")
# The shipped bands: Tap Academy's table, which gives no median, percentiles or sample size.
SHIPPED_ROWS = [
    ["Backend Developer", *band, "", "", "", "", "INR", "year", "India", "Tap Academy, 2023"]
    + ["2023", "yes"]
    for band in [
        ["0 to under 2 years", "0", "2", "300000", "800000"],
        ["2 to under 5 years", "2", "5", "500000", "1500000"],
        ["5 to under 10 years", "5", "10", "1000000", "2500000"],
        ["10 years or more", "10", "", "2500000", ""],
    ]
]


class BandTable(HTMLParser):
    """The explorer's table as a reader sees it: role headings and band rows, in order."""

    def __init__(self):
        super().__init__()
        self.rows = []  # (role title, [cell texts], marked?)
        self.role = None
        self._in_table = False
        self._row = None
        self._cell = None
        self._role_row = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "salary-bands" in attrs.get("class", ""):
            self._in_table = True
        elif self._in_table and tag == "tr":
            self._row = {"cells": [], "marked": "is-match" in (attrs.get("class") or "")}
            self._role_row = "salary-role-row" in (attrs.get("class") or "")
        elif self._row is not None and tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = False
        elif self._row is not None and tag in ("th", "td"):
            self._row["cells"].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif self._row is not None and tag == "tr":
            if self._role_row:
                self.role = self._row["cells"][0]
            elif self._row["cells"] and self.role is not None:
                self.rows.append((self.role, self._row["cells"], self._row["marked"]))
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def band_rows(response):
    parser = BandTable()
    parser.feed(response.content.decode())
    return parser.rows


def marked_rows(response):
    return [cells[0] for _, cells, marked in band_rows(response) if marked]


def csv_text(response):
    """The whole CSV of a streamed export."""
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def csv_rows(response):
    return list(csv.reader(io.StringIO(csv_text(response))))


def page_text(response):
    """The page's text without tags, its spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# The explorer: marking the visitor's band


@pytest.mark.parametrize(
    ("experience", "band", "sentence"),
    [
        (
            "3",
            "2 to under 5 years",
            "With 3 years of experience, the 2 to under 5 years band pays "
            "₹5,00,000 – ₹15,00,000 per year in India (₹5 – 15 LPA).",
        ),
        (
            "12",
            "10 years or more",
            "With 12 years of experience, the 10 years or more band pays ₹25,00,000+ per year "
            "in India (₹25+ LPA).",
        ),
        (
            "2.5",
            "2 to under 5 years",
            "With 2.5 years of experience, the 2 to under 5 years band pays",
        ),
        ("0", "0 to under 2 years", "With 0 years of experience, the 0 to under 2 years band pays"),
        ("1", "0 to under 2 years", "With 1 year of experience, the 0 to under 2 years band pays"),
        (
            "2",
            "2 to under 5 years",
            "With 2 years of experience, the 2 to under 5 years band",
        ),  # from inclusive
        ("4.99", "2 to under 5 years", "the 2 to under 5 years band"),
        (
            "5",
            "5 to under 10 years",
            "With 5 years of experience, the 5 to under 10 years band",
        ),  # to exclusive
        ("10", "10 years or more", "the 10 years or more band"),
        ("60", "10 years or more", "the 10 years or more band"),
    ],
)
def test_experience_marks_the_band_that_holds_it_among_all_bands(
    client, catalogue, experience, band, sentence
):
    response = client.get(EXPLORER, {"role": "backend-developer", "experience": experience})
    assert response.status_code == 200
    rows = band_rows(response)
    # Every band of the role stays in the table; exactly one is marked.
    assert [cells[0].removesuffix(" Your band") for _, cells, _ in rows] == [
        "0 to under 2 years",
        "2 to under 5 years",
        "5 to under 10 years",
        "10 years or more",
    ]
    assert marked_rows(response) == [f"{band} Your band"]
    assert sentence in page_text(response)
    assert 'class="is-match" aria-current="true"' in response.content.decode()


def test_without_experience_nothing_is_marked(client, catalogue):
    response = client.get(EXPLORER, {"role": "backend-developer"})
    assert len(band_rows(response)) == 4
    assert marked_rows(response) == []
    assert "Your band" not in response.content.decode()


def test_a_band_of_several_places_is_marked_in_each(client, catalogue):
    role = Role.objects.get(slug="backend-developer")
    bangalore = Location.objects.get(slug="bangalore")
    SalaryBandFactory(
        role=role,
        location=bangalore,
        experience_min_years=Decimal(2),
        experience_max_years=Decimal(6),
        minimum=700_000,
        maximum=1_800_000,
    )
    response = client.get(EXPLORER, {"role": "backend-developer", "experience": "3"})
    # Anywhere first, then each country before its cities: the role page's order too.
    assert marked_rows(response) == ["2 to under 5 years Your band", "2 to under 6 years Your band"]
    text = page_text(response)
    assert "the 2 to under 6 years band pays ₹7,00,000 – ₹18,00,000 per year in Bangalore" in text
    assert "the 2 to under 5 years band pays ₹5,00,000 – ₹15,00,000 per year in India" in text


def test_an_experience_no_band_holds_says_so(client, db):
    role = RoleFactory(title="Data Analyst")
    SalaryBandFactory(role=role, experience_min_years=Decimal(1), experience_max_years=Decimal(3))
    response = client.get(EXPLORER, {"role": role.slug, "experience": "0.5"})
    assert response.status_code == 200
    assert "None of the bands below covers 0.5 years of experience." in page_text(response)
    assert marked_rows(response) == []


def test_location_keeps_only_that_places_bands(client, catalogue):
    role = Role.objects.get(slug="backend-developer")
    SalaryBandFactory(role=role, location=Location.objects.get(slug="mumbai"), minimum=400_000)
    everywhere = client.get(EXPLORER, {"role": "backend-developer"})
    assert len(band_rows(everywhere)) == 5
    india = client.get(EXPLORER, {"role": "backend-developer", "location": "india"})
    assert [cells[2] for _, cells, _ in band_rows(india)] == ["India"] * 4
    mumbai = client.get(EXPLORER, {"role": "backend-developer", "location": "mumbai"})
    assert [cells[0] for _, cells, _ in band_rows(mumbai)] == ["0 to under 2 years"]
    assert "₹4,00,000 – ₹8,00,000" in mumbai.content.decode()


def role_box(page):
    return re.search(r'<input type="text" name="role"[^>]*>', page).group()


def role_suggestions(page):
    datalist = re.search(r'<datalist id="role-titles">(.*?)</datalist>', page, re.S).group(1)
    return [html.unescape(title) for title in re.findall(r'<option value="([^"]*)">', datalist)]


def test_the_form_suggests_roles_with_bands_and_lists_places_with_bands(client, catalogue):
    page = client.get(EXPLORER).content.decode()
    # A text box with suggestions, not a <select> that would list every role.
    assert '<select name="role"' not in page
    assert 'list="role-titles"' in role_box(page)
    # Drafts and roles without bands are not suggested.
    assert role_suggestions(page) == ["Backend Developer"]
    location_select = re.search(r'<select name="location".*?</select>', page, re.S).group()
    # Cities named only as higher-paying places have no bands of their own.
    assert re.findall(r'<option value="([^"]*)"', location_select) == ["", "india"]
    for field in ("role", "experience", "location"):
        assert f'<label for="id_{field}">' in page
    assert 'method="get"' in page


def test_role_suggestions_stay_short_featured_first_then_alphabetical(client, catalogue):
    roles = [RoleFactory(title=f"Analyst {index:02}") for index in range(60)]
    for role in roles:
        SalaryBandFactory(role=role)
    Role.objects.filter(title__in=["Analyst 58", "Analyst 59"]).update(featured=True)
    Role.objects.filter(slug="backend-developer").update(featured=True)
    suggestions = role_suggestions(client.get(EXPLORER).content.decode())
    assert len(suggestions) == ROLE_TITLE_SUGGESTIONS == 50
    assert suggestions[:3] == ["Analyst 58", "Analyst 59", "Backend Developer"]
    assert suggestions[3:] == [f"Analyst {index:02}" for index in range(47)]


@pytest.mark.parametrize(
    "typed",
    [
        "backend-developer",  # the documented ?role=<slug>
        "Backend Developer",  # picked from the suggestions
        "backend developer",
        "  BACKEND DEVELOPER ",
    ],
)
def test_a_role_is_found_by_its_slug_or_its_title_in_any_case(client, catalogue, typed):
    response = client.get(EXPLORER, {"role": typed, "experience": "3"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Backend Developer salary by experience</h1>" in page
    assert len(band_rows(response)) == 4
    assert marked_rows(response) == ["2 to under 5 years Your band"]
    # The box shows the role's title, however it was asked for.
    assert 'value="Backend Developer"' in role_box(page)
    assert "Please check your search" not in page


def test_a_slug_wins_over_another_roles_title(client, db):
    by_slug = RoleFactory(title="Data Analyst", slug="data-analyst")
    by_title = RoleFactory(title="data-analyst", slug="odd-one")
    SalaryBandFactory(role=by_slug, minimum=111_000, maximum=None)
    SalaryBandFactory(role=by_title, minimum=222_000, maximum=None)
    page = client.get(EXPLORER, {"role": "data-analyst"}).content.decode()
    assert "₹1,11,000+" in page and "₹2,22,000+" not in page
    page = client.get(EXPLORER, {"role": "DATA-ANALYST"}).content.decode()
    assert "₹2,22,000+" in page and "₹1,11,000+" not in page


def did_you_mean(page):
    """The "Did you mean" links: (text, href) pairs."""
    found = re.search(r'<p class="did-you-mean">(.*?)</p>', page, re.S)
    if found is None:
        return []
    return [
        (text, html.unescape(href))
        for href, text in re.findall(r'<a href="([^"]*)">([^<]*)</a>', found.group(1))
    ]


def test_an_unknown_role_gets_an_error_and_similar_roles_to_choose(client, catalogue):
    response = client.get(EXPLORER, {"role": "backend dev", "experience": "3"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please check your search" in page
    assert "Role: We have no salary figures for that role." in page_text(response)
    assert band_rows(response) == []
    # Each link keeps the rest of the search.
    assert did_you_mean(page) == [
        ("Backend Developer", "?role=backend-developer&experience=3"),
    ]
    followed = client.get(EXPLORER + did_you_mean(page)[0][1])
    assert marked_rows(followed) == ["2 to under 5 years Your band"]


def test_similar_roles_are_at_most_five_best_first_and_only_roles_with_bands(client, catalogue):
    for title in ["Cloud Data Engineer", "Data Engineer II", "Data Platform Engineer"]:
        SalaryBandFactory(role=RoleFactory(title=title))
    for number in range(4):
        role = RoleFactory(title=f"Engineer {number}", summary="Builds data pipelines.")
        SalaryBandFactory(role=role)
    RoleFactory(title="Data Engineer III")  # no bands
    RoleFactory(title="Data Engineer IV", status=Role.Status.DRAFT)
    SalaryBandFactory(role=Role.objects.get(title="Data Engineer IV"))
    refresh_role_search_vectors()
    page = client.get(EXPLORER, {"role": "data wrangler"}).content.decode()
    assert did_you_mean(page) == []  # every word must match
    page = client.get(EXPLORER, {"role": "data engin"}).content.decode()
    titles = [text for text, _ in did_you_mean(page)]
    assert len(titles) == SIMILAR_ROLES == 5
    # Roles with every word in their title come first.
    assert titles[:3] == ["Cloud Data Engineer", "Data Engineer II", "Data Platform Engineer"]
    assert set(titles[3:]) < {f"Engineer {number}" for number in range(4)}


@pytest.mark.parametrize("typed", ["Quality Assurance Analyst", "qa-analyst", "!!!", "x" * 150])
def test_a_role_without_figures_or_words_gets_no_suggestions(client, catalogue, typed):
    page = client.get(EXPLORER, {"role": typed}).content.decode()
    assert "We have no salary figures for that role." in page
    assert "Did you mean" not in page


def test_without_a_role_every_published_roles_bands_show_grouped_by_role(client, catalogue):
    other = RoleFactory(title="Data Analyst", slug="data-analyst")
    SalaryBandFactory(role=other)
    draft = Role.objects.get(slug="qa-analyst")
    SalaryBandFactory(role=draft)
    response = client.get(EXPLORER, {"experience": "3"})
    rows = band_rows(response)
    assert [role for role, _, _ in rows] == ["Backend Developer"] * 4 + ["Data Analyst"]
    assert "Quality Assurance Analyst" not in response.content.decode()
    assert marked_rows(response) == ["2 to under 5 years Your band"]
    page = response.content.decode()
    assert '<a href="/roles/backend-developer/">Backend Developer</a>' in page
    assert '<a href="/roles/data-analyst/">Data Analyst</a>' in page
    assert "<svg" not in page  # the chart is for one role's bands


def test_many_bands_are_paginated_and_a_bad_page_number_is_not_an_error(client, db):
    role = RoleFactory()
    for start in range(55):
        SalaryBandFactory(
            role=role,
            experience_min_years=Decimal(start),
            experience_max_years=Decimal(start + 1),
        )
    first = client.get(EXPLORER)
    assert len(band_rows(first)) == 50
    assert "?page=2" in first.content.decode()
    second = client.get(EXPLORER, {"page": "2"})
    assert len(band_rows(second)) == 5
    for page in ("abc", "999", "-1"):
        assert client.get(EXPLORER, {"page": page}).status_code == 200
    # The CSV holds every row, not one page.
    assert len(csv_rows(client.get(EXPORT))) == 1 + 55


def test_role_figures_and_sources_are_shown(client, catalogue):
    text = page_text(client.get(EXPLORER, {"role": "backend-developer"}))
    assert "Average: ₹6,40,000 per year (₹6.4 LPA) in India" in text
    # The figures are Glassdoor's, known through Tap Academy's post; the bands Tap Academy's.
    assert (
        "( Glassdoor, as cited by Tap Academy, 2023 ; figures for 2023 , older than two years )"
        in text
    )
    assert "Tap Academy, 2023 ; figures for 2023 , older than two years" in text
    assert "₹5,00,000 – ₹15,00,000 per year (₹5 – 15 LPA)" in text


def test_page_has_its_title_description_breadcrumbs_and_stylesheet(client, catalogue):
    page = client.get(EXPLORER, {"role": "backend-developer", "experience": "3"}).content.decode()
    assert "<title>Backend Developer salary by experience · Jobsite</title>" in page
    assert '<meta name="description" content="What a Backend Developer is paid' in page
    assert (
        '<link rel="canonical" href="http://testserver/salaries/?role=backend-developer">' in page
    )
    assert (
        '<nav aria-label="Breadcrumb"' in page and '<li aria-current="page">Salaries</li>' in page
    )
    assert 'href="/static/css/salaries.css"' in page
    assert "<caption>" in page and '<th scope="col">' in page
    assert "style=" not in page and "<script" not in page


def test_download_link_keeps_the_query_string(client, catalogue):
    page = client.get(
        EXPLORER, {"role": "backend-developer", "experience": "3", "location": "india"}
    ).content.decode()
    assert (
        '<a href="/salaries/export.csv?role=backend-developer&amp;experience=3&amp;location=india"'
        in page
    )
    assert ">Download CSV</a>" in page
    assert '<a href="/salaries/export.csv" download>' in client.get(EXPLORER).content.decode()


# Bad input: a clear message in the form, a 200 page, no results


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"experience": "abc"}, "Enter your years of experience as a number, such as 3 or 2.5."),
        ({"experience": "-1"}, "Enter your years of experience as a number from 0 to 60."),
        ({"experience": "60.5"}, "Enter your years of experience as a number from 0 to 60."),
        ({"experience": "1e9"}, "Enter your years of experience as a number from 0 to 60."),
        ({"experience": "1e999999"}, "Enter your years of experience as a number from 0 to 60."),
        ({"experience": "NaN"}, "Enter your years of experience as a number, such as 3 or 2.5."),
        ({"experience": "sNaN"}, "Enter your years of experience as a number, such as 3 or 2.5."),
        ({"experience": "inf"}, "Enter your years of experience as a number, such as 3 or 2.5."),
        ({"experience": "-Infinity"}, "Enter your years of experience as a number, such as 3"),
        ({"experience": "2.555"}, "Use at most two decimal places, such as 2.5 or 2.75."),
        ({"experience": "1e-9"}, "Use at most two decimal places"),
        ({"experience": "3 years"}, "Enter your years of experience as a number, such as 3"),
        ({"experience": "9" * 5000}, "Enter your years of experience as a number from 0 to 60."),
        ({"role": "no-such-role"}, "We have no salary figures for that role."),
        ({"role": "qa-analyst"}, "We have no salary figures for that role."),  # a draft
        ({"role": "<script>"}, "We have no salary figures for that role."),
        ({"role": "b" * 5000}, "A role’s title is at most 150 characters; this has 5000."),
        ({"role": "back\x00end"}, "Null characters are not allowed."),
        ({"location": "atlantis"}, "We have no salary figures for that place."),
        ({"location": "mumbai"}, "We have no salary figures for that place."),  # has no bands
    ],
)
def test_bad_input_gets_a_message_in_the_form_not_an_error(client, catalogue, query, message):
    response = client.get(EXPLORER, {"role": "backend-developer", **query})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Please check your search" in page
    assert 'aria-invalid="true"' in page
    assert "Traceback" not in page
    assert band_rows(response) == []
    assert "Download CSV" not in page
    assert "<script>" not in page


def test_repeated_parameters_use_the_last_value(client, catalogue):
    response = client.get(f"{EXPLORER}?{BACKEND}&experience=abc&experience=12")
    assert response.status_code == 200
    assert marked_rows(response) == ["10 years or more Your band"]
    response = client.get(f"{EXPLORER}?role=nobody&{BACKEND}")
    assert len(band_rows(response)) == 4


def test_unknown_path_is_not_found(client, catalogue):
    assert client.get("/salaries/no-such-page/").status_code == 404
    assert client.get("/salaries/export.json").status_code == 404


# The CSV export


def test_csv_has_a_header_and_exactly_the_explorers_rows(client, catalogue):
    query = {"role": "backend-developer", "experience": "3"}
    response = client.get(EXPORT, query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"] == 'attachment; filename="salaries-backend-developer.csv"'
    )
    rows = csv_rows(response)
    assert rows[0] == CSV_HEADER
    matches = ["no", "yes", "no", "no"]
    assert rows[1:] == [[*row, match] for row, match in zip(SHIPPED_ROWS, matches, strict=True)]
    # The same bands, in the same order, marked the same way as on the page.
    page_rows = band_rows(client.get(EXPLORER, query))
    assert [(role, marked) for role, _, marked in page_rows] == [
        (row[0], row[MATCHES] == "yes") for row in rows[1:]
    ]
    assert [cells[0].removesuffix(" Your band") for _, cells, _ in page_rows] == [
        row[1] for row in rows[1:]
    ]


def test_csv_is_streamed_in_chunks_with_the_same_rows(client, catalogue, monkeypatch):
    role = Role.objects.get(slug="backend-developer")
    for start in range(11, 18):
        SalaryBandFactory(role=role, experience_min_years=Decimal(start), experience_max_years=None)
    whole = csv_rows(client.get(EXPORT, {"experience": "3"}))
    monkeypatch.setattr(salary_views, "CSV_CHUNK_SIZE", 3)
    response = client.get(EXPORT, {"experience": "3"})
    chunks = [chunk.decode() for chunk in response.streaming_content]
    # The header and 11 rows, three rows a chunk.
    assert [len(chunk.splitlines()) for chunk in chunks] == [4, 3, 3, 2]
    assert list(csv.reader(io.StringIO("".join(chunks)))) == whole
    assert len(whole) == 1 + 11 and whole[0] == CSV_HEADER
    assert [row[MATCHES] for row in whole[1:]].count("yes") == 1


def test_csv_finds_the_role_by_title_too(client, catalogue):
    response = client.get(EXPORT, {"role": "backend developer"})
    assert response["Content-Disposition"] == (
        'attachment; filename="salaries-backend-developer.csv"'
    )
    assert csv_rows(response)[1:] == [[*row, ""] for row in SHIPPED_ROWS]


@pytest.mark.parametrize("seconds", [0, 600])
def test_csv_is_revalidated_but_never_kept_in_the_page_cache(client, catalogue, settings, seconds):
    settings.PAGE_CACHE_SECONDS = seconds
    first = client.get(EXPORT, {"role": "backend-developer"})
    assert first.status_code == 200
    assert first["ETag"].startswith('"') and first["Last-Modified"].endswith("GMT")
    assert "public" in first["Cache-Control"]
    assert csv_rows(first)[1:] == [[*row, ""] for row in SHIPPED_ROWS]
    again = client.get(EXPORT, {"role": "backend-developer"})
    assert csv_rows(again) == csv_rows(client.get(EXPORT, {"role": "backend-developer"}))
    unchanged = client.get(EXPORT, {"role": "backend-developer"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304
    # Another filter is another file.
    other = client.get(EXPORT, {"role": "backend-developer", "experience": "3"})
    assert other["ETag"] != first["ETag"]
    assert len(csv_rows(other)) == 1 + len(SHIPPED_ROWS)  # read whole, as a server would


def test_editors_get_the_csv_fresh_and_private(editor_client, catalogue):
    response = editor_client.get(EXPORT, {"role": "backend-developer"})
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "ETag" not in response
    assert csv_rows(response)[1:] == [[*row, ""] for row in SHIPPED_ROWS]


def test_csv_follows_every_filter(client, catalogue):
    role = Role.objects.get(slug="backend-developer")
    mumbai = Location.objects.get(slug="mumbai")
    SalaryBandFactory(role=role, location=mumbai, minimum=400_000, maximum=900_000)
    other = RoleFactory(title="Data Analyst", slug="data-analyst")
    SalaryBandFactory(role=other, location=mumbai)

    mumbai_backend = client.get(EXPORT, {"role": "backend-developer", "location": "mumbai"})
    assert mumbai_backend["Content-Disposition"] == (
        'attachment; filename="salaries-backend-developer-mumbai.csv"'
    )
    assert csv_rows(mumbai_backend)[1:] == [
        ["Backend Developer", "0 to under 2 years", "0", "2", "400000", "900000", "", "", "",
         "", "INR", "year", "Mumbai", "Test Publisher, 2024", "2023", "yes", ""],
    ]  # fmt: skip
    everything = csv_rows(client.get(EXPORT))
    assert [row[0] for row in everything[1:]] == ["Backend Developer"] * 5 + ["Data Analyst"]
    assert len(band_rows(client.get(EXPLORER))) == len(everything) - 1
    mumbai_only = csv_rows(client.get(EXPORT, {"location": "mumbai", "experience": "1"}))
    assert [(row[0], row[MATCHES]) for row in mumbai_only[1:]] == [
        ("Backend Developer", "yes"),
        ("Data Analyst", "yes"),
    ]


@pytest.mark.parametrize(
    "query",
    [
        {"experience": "abc"},
        {"experience": "-1"},
        {"experience": "NaN"},
        {"experience": "inf"},
        {"experience": "1e9"},
        {"role": "no-such-role"},
        {"role": "backend dev"},
        {"location": "atlantis"},
    ],
)
def test_csv_refuses_invalid_filters_plainly(client, catalogue, query):
    response = client.get(EXPORT, query)
    assert response.status_code == 400
    assert not response.streaming
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Content-Disposition" not in response
    body = response.content.decode()
    assert body.startswith("Invalid filters:\n")
    assert "We have no salary figures" in body or "years of experience" in body


def test_csv_guards_against_formulas_in_text_cells(client, db):
    role = RoleFactory(title='=HYPERLINK("http://evil.example")', slug="formula")
    source = SourceFactory(publisher="@SUM(A1:A9)")
    place = LocationFactory(name="-2+3")
    SalaryBandFactory(role=role, source=source, location=place)
    row = csv_rows(client.get(EXPORT, {"role": "formula"}))[1]
    assert row[0] == '\'=HYPERLINK("http://evil.example")'
    assert row[12] == "'-2+3"
    assert row[13] == "'@SUM(A1:A9), 2024"
    assert row[4] == "300000"  # numbers stay numbers


# The chart


def test_chart_shows_all_the_roles_bands_with_the_visitors_band_highlighted(client, catalogue):
    page = client.get(EXPLORER, {"role": "backend-developer", "experience": "3"}).content.decode()
    svg = re.search(r"<svg.*?</svg>", page, re.S).group()
    assert 'role="img"' in svg and 'viewBox="0 0 400 ' in svg and 'width="100%"' in svg
    title = re.search(r"<title[^>]*>(.*?)</title>", svg, re.S).group(1)
    assert title == "Backend Developer pay by years of experience"
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S).group(1)
    for text in [
        "0 to under 2 years in India: ₹3,00,000 – ₹8,00,000 per year.",
        "2 to under 5 years in India: ₹5,00,000 – ₹15,00,000 per year (your band).",
        "10 years or more in India: ₹25,00,000+ per year.",
        "Source: Tap Academy, 2023; figures for 2023, older than two years.",
    ]:
        assert text in desc
    assert svg.count("<rect ") == 4
    highlighted = re.findall(r'<g class="salary-chart-band is-highlighted">(.*?)</g>', svg, re.S)
    assert len(highlighted) == 1
    assert ">2 to under 5 years</text>" in highlighted[0]
    assert "Your band: ₹5 – 15 LPA" in highlighted[0]
    assert "Pay (₹ lakh per year)" in svg and "Years of experience" in svg


def test_chart_without_experience_highlights_nothing(client, catalogue):
    page = client.get(EXPLORER, {"role": "backend-developer"}).content.decode()
    assert "<svg" in page
    assert "is-highlighted" not in page


# One band far out of line with the rest

# Labels are measured as generously as the chart measures them: Chromium with DejaVu Sans,
# one of the widest sans-serif faces, takes at most 0.70 em a character for these labels.
EM_PER_CHARACTER = 0.7


def role_with_an_outlier():
    """A role with the shipped Backend Developer's ladder and one band, confirmed by its
    editor, twenty times above it: ₹5 – ₹10 crore."""
    role = RoleFactory(title="Quant Researcher", slug="quant-researcher")
    source = SourceFactory()
    india = LocationFactory(name="India")
    for start, end, minimum, maximum in [
        (0, 2, 300_000, 800_000),
        (2, 5, 500_000, 1_500_000),
        (5, 10, 1_000_000, 2_500_000),
        (10, None, 50_000_000, 100_000_000),
    ]:
        SalaryBandFactory(
            role=role,
            location=india,
            source=source,
            experience_min_years=Decimal(start),
            experience_max_years=None if end is None else Decimal(end),
            minimum=minimum,
            maximum=maximum,
        )
    return role


class ChartGeometry(HTMLParser):
    """The chart's viewBox width, its bars (x, width) and each label's text with its
    horizontal extent, font size and anchor inherited from the groups around it."""

    def __init__(self, svg):
        super().__init__()
        self.width, self.bars, self.labels = None, [], []
        self._inherited = [{}]
        self._text = None
        self.feed(svg)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg":
            self.width = float(attrs["viewbox"].split()[2])
        if tag == "rect":
            self.bars.append((float(attrs["x"]), float(attrs["width"])))
        context = self._inherited[-1] | {
            name: attrs[name] for name in ("font-size", "text-anchor") if name in attrs
        }
        if tag == "text":
            self._text = (float(attrs["x"]), context, [])
        elif tag in ("svg", "g"):
            self._inherited.append(context)

    def handle_endtag(self, tag):
        if tag == "text":
            x, context, parts = self._text
            text = "".join(parts)
            text_width = len(text) * float(context["font-size"]) * EM_PER_CHARACTER
            shift = {"start": 0, "middle": text_width / 2, "end": text_width}
            left = x - shift[context.get("text-anchor", "start")]
            self.labels.append((text, left, left + text_width))
            self._text = None
        elif tag in ("svg", "g"):
            self._inherited.pop()

    def handle_data(self, data):
        if self._text is not None:
            self._text[2].append(data)


def chart_in(page):
    svg = re.search(r"<svg.*?</svg>", page, re.S).group()
    return ChartGeometry(svg), svg


def test_one_band_far_above_the_rest_does_not_squash_them_on_the_chart(client, db):
    role = role_with_an_outlier()
    for url in [
        f"{role.get_absolute_url()}?experience=12",
        f"{EXPLORER}?role={role.slug}&experience=12",
    ]:
        page = client.get(url).content.decode()
        chart, svg = chart_in(page)
        width, plot = chart.width, chart.width - 12 - 28
        *ladder, outlier = chart.bars
        # The axis is scaled to the ladder: its top band spans three fifths of the plot
        # (₹10 – 25 lakh on a 25-lakh axis), not a fortieth as on a 10-crore axis.
        assert [round(bar_width / plot, 2) for _, bar_width in ladder] == [0.2, 0.4, 0.6]
        # The outlier's bar is cut short at the plot's edge and marked broken.
        assert outlier[0] + outlier[1] == pytest.approx(width - 28)
        assert svg.count('class="salary-chart-break"') == 1
        assert "far above the others: its bar is cut short" in svg
        texts = {text for text, _, _ in chart.labels}
        assert {
            "0 to under 2 years",
            "Your band: ₹500 – 1,000 LPA",
            "25",
            "Pay (₹ lakh per year)",
        } <= texts
        for text, left, right in chart.labels:
            assert left >= 0 and right <= width, (text, left, right, width)


def test_labels_too_long_to_share_a_line_take_two_and_stay_inside_the_chart(client, db):
    role = RoleFactory(slug="long-labels")
    source = SourceFactory()
    for start, end, place in [
        (0, 2, "Thiruvananthapuram"),
        (2, 5, "Visakhapatnam"),
        (5, None, "Pune"),
    ]:
        SalaryBandFactory(
            role=role,
            source=source,
            location=LocationFactory(name=place),
            experience_min_years=Decimal(start),
            experience_max_years=None if end is None else Decimal(end),
            minimum=9_000_000,
            maximum=None if end is None else 99_000_000,
        )
    page = client.get(f"{EXPLORER}?role=long-labels&experience=3").content.decode()
    chart, svg = chart_in(page)
    for text, left, right in chart.labels:
        assert left >= 0 and right <= chart.width, (text, left, right, chart.width)
    # "2 to under 5 years · Visakhapatnam" and "Your band: ₹90 – 990 LPA" take a line each.
    row = re.search(r'<g class="salary-chart-band is-highlighted">(.*?)</g>', svg, re.S).group(1)
    label_y, value_y = (float(y) for y in re.findall(r'<text x="[\d.]+" y="([\d.]+)"', row))
    assert value_y > label_y


def test_a_label_longer_than_the_chart_widens_it_rather_than_run_past_its_edge(client, db):
    role = RoleFactory(slug="long-place")
    source = SourceFactory()
    for start, end, place in [
        (0, 2, "Thiruvananthapuram Urban Agglomeration and its Surrounding Districts"),
        (2, None, "Kochi"),
    ]:
        SalaryBandFactory(
            role=role,
            source=source,
            location=LocationFactory(name=place),
            experience_min_years=Decimal(start),
            experience_max_years=None if end is None else Decimal(end),
        )
    chart, _ = chart_in(client.get(f"{EXPLORER}?role=long-place").content.decode())
    assert chart.width > 400
    for text, left, right in chart.labels:
        assert left >= 0 and right <= chart.width, (text, left, right, chart.width)


def test_key_facts_show_the_pay_span_as_figures_a_reader_can_read(client, db):
    role = role_with_an_outlier()
    page = client.get(role.get_absolute_url()).content.decode()
    facts = re.search(r'<dl class="facts">(.*?)</dl>', page, re.S).group(1)
    assert "<dt>Pay</dt><dd>₹3,00,000 – ₹10,00,00,000 per year <small" in facts


# Query discipline


def grow_catalogue_twentyfold():
    """About 20 times the shipped salary data: roles, places, bands (from two sources, each
    known through another, one giving a median) and figures."""
    backend = Role.objects.get(slug="backend-developer")
    source = SourceFactory(cited_in=SourceFactory())
    second_source = SourceFactory(cited_in=SourceFactory())
    places = [LocationFactory() for _ in range(20)]
    for place in places:
        for start, end in [(0, 2), (2, 5), (5, 10), (10, None)]:
            for band_source, median in [(source, None), (second_source, 500_000)]:
                SalaryBandFactory(
                    role=backend,
                    location=place,
                    source=band_source,
                    experience_min_years=Decimal(start),
                    experience_max_years=None if end is None else Decimal(end),
                    maximum=None if end is None else 800_000,
                    median=median,
                )
        SalaryFigureFactory(role=backend, location=place, source=source)
    for index in range(20):
        role = RoleFactory()
        for start, end in [(0, 2), (2, 5), (5, 10), (10, None)]:
            SalaryBandFactory(
                role=role,
                location=places[index],
                source=source,
                experience_min_years=Decimal(start),
                experience_max_years=None if end is None else Decimal(end),
                maximum=None if end is None else 800_000,
            )


QUERY_BUDGET_URLS = [
    (EXPLORER, EXPLORER_QUERY_BUDGET),
    (f"{EXPLORER}?experience=3", EXPLORER_QUERY_BUDGET),
    (f"{EXPLORER}?{BACKEND}&experience=3", EXPLORER_QUERY_BUDGET),
    (f"{EXPLORER}?role=Backend+Developer&experience=3", EXPLORER_QUERY_BUDGET),
    (f"{EXPLORER}?role=backend+dev&experience=3", EXPLORER_QUERY_BUDGET),
    (f"{EXPLORER}?{BACKEND}&experience=3&location=india", EXPLORER_QUERY_BUDGET),
    (f"{EXPLORER}?{BACKEND}&experience=abc", EXPLORER_QUERY_BUDGET),
    (f"{EXPLORER}?{BACKEND}&experience=3&pay=month", EXPLORER_QUERY_BUDGET),
    (f"{EXPORT}?{BACKEND}&experience=3", EXPORT_QUERY_BUDGET),
    (f"{EXPORT}?{BACKEND}&experience=3&location=india", EXPORT_QUERY_BUDGET),
    (EXPORT, EXPORT_QUERY_BUDGET),
]


@pytest.fixture
def queries_to_serve(client):
    """Like the page_queries fixture, and counting what a streamed response runs as it is
    read, too."""

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            if response.streaming:
                b"".join(response.streaming_content)
        return sum(1 for query in queries if "SAVEPOINT" not in query["sql"])

    return count


def test_pages_run_a_fixed_number_of_queries_however_much_data(queries_to_serve, catalogue):
    shipped = {url: queries_to_serve(url) for url, _ in QUERY_BUDGET_URLS}
    grow_catalogue_twentyfold()
    refresh_role_search_vectors()
    grown = {url: queries_to_serve(url) for url, _ in QUERY_BUDGET_URLS}
    assert grown == shipped
    for url, budget in QUERY_BUDGET_URLS:
        assert shipped[url] <= budget, (url, shipped[url])
    assert shipped[f"{EXPORT}?{BACKEND}&experience=3&location=india"] == EXPORT_QUERY_BUDGET


# Escaping


def test_a_role_title_with_markup_is_escaped_on_the_page_in_the_chart_and_csv(client, db):
    role = RoleFactory(title="<script>alert(1)</script> Engineer", slug="sneaky")
    SalaryBandFactory(role=role, location=LocationFactory(name="<b>Town</b>"))
    SalaryFigureFactory(role=role, note="<img src=x onerror=alert(1)>")
    response = client.get(EXPLORER, {"role": "sneaky", "experience": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "<b>Town</b>" not in page and "<img src=x" not in page
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; Engineer"
    assert f"<h1>{escaped} salary by experience</h1>" in page
    svg = re.search(r"<svg.*?</svg>", page, re.S).group()
    assert f">{escaped} pay by years of experience</title>" in svg
    assert "&lt;b&gt;Town&lt;/b&gt;" in svg
    assert "<script" not in svg
    # The CSV carries the text as it is: a spreadsheet does not run HTML.
    row = csv_rows(client.get(EXPORT, {"role": "sneaky"}))[1]
    assert row[0] == "<script>alert(1)</script> Engineer"


# Several sources per cell, and pay per month


def test_a_cell_with_two_sources_is_one_row_of_the_explorer_and_two_of_the_csv(client, catalogue):
    role = Role.objects.get(slug="backend-developer")
    survey = SourceFactory(publisher="Pay Survey", year=2025)
    SalaryBandFactory(
        role=role,
        location=Location.objects.get(slug="india"),
        source=survey,
        experience_min_years=Decimal(2),
        experience_max_years=Decimal(5),
        minimum=600_000,
        maximum=1_800_000,
        median=1_000_000,
        sample_size=250,
        year=2025,
    )
    query = {"role": "backend-developer", "experience": "3"}
    rows = band_rows(client.get(EXPLORER, query))
    assert len(rows) == 4
    _, cells, marked = rows[1]
    assert marked and cells[1] == "₹5,00,000 – ₹18,00,000 per year (₹5 – 18 LPA) across 2 sources"
    # Each source's own figure, by publisher, with what it gives and how old it is.
    assert cells[3] == (
        "₹6,00,000 – ₹18,00,000 (₹6 – 18 LPA): Pay Survey, 2025; figures for 2025 "
        "Median ₹10,00,000; 250 salaries "
        "₹5,00,000 – ₹15,00,000 (₹5 – 15 LPA): Tap Academy, 2023; figures for 2023, "
        "older than two years"
    )
    text = page_text(client.get(EXPLORER, query))
    assert "the 2 to under 5 years band pays ₹5,00,000 – ₹18,00,000 per year in India" in text
    csv_lines = csv_rows(client.get(EXPORT, query))
    two_to_five = [row for row in csv_lines[1:] if row[1] == "2 to under 5 years"]
    assert [(row[13], row[7], row[9], row[16]) for row in two_to_five] == [
        ("Pay Survey, 2025", "1000000", "250", "yes"),
        ("Tap Academy, 2023", "", "", "yes"),
    ]


def test_the_explorer_shows_pay_per_month_and_keeps_the_choice_in_its_links(client, catalogue):
    response = client.get(EXPLORER, {"role": "backend-developer", "pay": "month"})
    page = response.content.decode()
    rows = band_rows(response)
    assert [cells[1] for _, cells, _ in rows] == [
        "₹25,000 – ₹66,700 per month",
        "₹41,700 – ₹1,25,000 per month",
        "₹83,300 – ₹2,08,300 per month",
        "₹2,08,300+ per month",
    ]
    text = page_text(response)
    assert "Monthly pay is yearly pay divided by 12 and rounded to the nearest ₹100" in text
    assert "Average: ₹53,300 per month in India" in text
    assert '<option value="month" selected>per month</option>' in page
    assert 'href="/roles/backend-developer/?pay=month"' in page
    assert 'href="?role=backend-developer#salary-results-heading">per year</a>' in page
    # The CSV keeps each source's own figures: its link leaves the choice out.
    assert 'href="/salaries/export.csv?role=backend-developer" download' in page
    csv_lines = csv_rows(client.get(EXPORT, {"role": "backend-developer", "pay": "month"}))
    assert csv_lines[1][4:6] == ["300000", "800000"] and csv_lines[1][11] == "year"


@pytest.mark.parametrize("value", ["week", "Month", "month\x00"])
def test_an_unknown_pay_period_is_a_form_error_in_the_explorer_and_refused_by_the_csv(
    client, catalogue, value
):
    response = client.get(EXPLORER, {"role": "backend-developer", "pay": value})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Show pay: We show pay per year or per month only." in page
    assert band_rows(response) == []
    export = client.get(EXPORT, {"role": "backend-developer", "pay": value})
    assert export.status_code == 400
    assert "Show pay: We show pay per year or per month only." in export.content.decode()
