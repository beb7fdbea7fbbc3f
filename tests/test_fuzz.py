"""Generated bad input for every public list, filter, search and export URL.

Hypothesis sends query strings a person, a crawler or an attacker might: numbers too big,
negative, NaN or infinite, Unicode of every kind (NUL, lone surrogates, right-to-left marks),
bytes that are not UTF-8 at all, SQL and HTML fragments, parameters repeated or unknown.
Whatever comes in, the page answers without a server error, and nothing that was sent
comes back as live markup.

A null character, which PostgreSQL text cannot hold, goes into every parameter of every page
in every run: mixed into generated values, and tried alone, after a word and in a repeated
parameter by test_a_null_character_in_any_parameter_is_refused_not_a_500."""

import urllib.parse

import pytest
from django.conf import settings as django_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase

# Each page with the parameters it understands.
PAGES = {
    "/": [],
    "/roles/": ["family", "isco", "skill", "has_pay", "q", "sort", "page"],
    "/roles/export.csv": ["family", "isco", "skill", "has_pay", "q", "sort"],
    "/roles/backend-developer/": ["experience"],
    "/roles/backend-developer.md": [],
    "/roles/backend-developer/posting/": [
        "band",
        "location",
        "employment_type",
        "company_name",
        "company_url",
        "date_posted",
        "valid_through",
        "skills",
    ],
    "/roles/backend-developer/changes/": ["page"],
    "/skills/": ["kind", "q", "group", "page"],
    "/skills/backend-programming/": ["page"],
    "/families/": [],
    "/families/software-engineering/": ["page"],
    "/salaries/": ["role", "experience", "location", "page"],
    "/salaries/export.csv": ["role", "experience", "location"],
    "/search/": ["q"],
    "/compare/": ["role"],
}
# A refusal a script can notice is fine for the export (400, with the reasons); every page a
# person sees answers 200, with any complaint in its form.
ALLOWED_STATUSES = {"/salaries/export.csv": {200, 400}, "/roles/export.csv": {200, 400}}
# The posting page sends an address without a date posted on to one with today's.
ALLOWED_STATUSES["/roles/backend-developer/posting/"] = {200, 302}
# A role named by its title is sent on to the address naming every role by its slug.
ALLOWED_STATUSES["/compare/"] = {200, 302}

# Live markup if it came back unescaped; the "xss" marker never appears on a page by itself.
MARKUP = [
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert("xss")>',
    "'><svg onload=alert('xss')>",
    "</textarea></title><script>xss()</script>",
    "<a href=javascript:xss()>x</a>",
    "<!--xss--><b>xss</b>",
]
SQL = [
    "' OR '1'='1",
    "1; DROP TABLE roles_role; --",
    "backend-developer' --",
    '" OR ""="',
    "%",
    "_",
    "\\",
    "')) OR 1=1 --",
    "1 UNION SELECT password FROM auth_user",
]
NUMBERS = [
    "NaN",
    "nan",
    "-NaN",
    "sNaN",
    "inf",
    "-inf",
    "Infinity",
    "1e999",
    "-1e999",
    "1e-999",
    "-0",
    "0x10",
    "1_000",
    "2,5",
    " 3 ",
    "3.",
    ".5",
    "١٢",  # Arabic-Indic digits
    "²",
    "9" * 400,
    "0." + "0" * 300 + "1",
]
ODD_CHARACTERS = ["\x00", "\ud800", "\udfff", "\ufeff", "\u202e", "\u0301", "\U0001f600", "\n"]
SLUGS = ["backend-developer", "backend-programming", "india", "python", "engineering"]
# PostgreSQL refuses a null character in text with an error: each of these reached it once.
NULL_CHARACTER_VALUES = ["\x00", "python\x00", "backend-developer\x00", "1\x00", "\x00python"]

characters = st.one_of(st.characters(exclude_categories=[]), st.sampled_from(ODD_CHARACTERS))
numbers = st.one_of(
    st.integers().map(str),
    st.integers(min_value=-(10**400), max_value=10**400).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(NUMBERS),
)
text = st.text(characters, max_size=40)
# Control characters and any other Unicode but surrogates, with a null character among them.
with_null_character = st.builds(
    lambda before, after: before + "\x00" + after,
    st.text(st.characters(exclude_categories=["Cs"]) | st.characters(categories=["Cc"])),
    st.sampled_from(SLUGS) | st.text(max_size=10),
) | st.sampled_from(NULL_CHARACTER_VALUES)
markup = st.builds(
    lambda before, attack, after: before + attack + after, text, st.sampled_from(MARKUP), text
)
values = st.one_of(
    numbers,
    text,
    markup,
    st.sampled_from(SQL),
    st.sampled_from(SLUGS),
    st.text(characters, min_size=200, max_size=3000),  # far beyond any max_length
    st.binary(max_size=40),  # sent as is: not necessarily UTF-8
    with_null_character,
)


def query_strings(known_parameters):
    unknown = st.text(characters, min_size=1, max_size=20)
    names = st.sampled_from(known_parameters) | unknown if known_parameters else unknown
    # Lists of pairs, so a parameter can come several times, with different values.
    return st.lists(st.tuples(names, values), max_size=8)


def encode(pairs) -> str:
    # Lone surrogates cannot be UTF-8: sent as the bytes a careless client would send.
    return urllib.parse.urlencode(pairs, errors="surrogatepass")


fuzzing = settings(
    # Per page; null characters in every parameter are also tried one by one, below.
    max_examples=45,
    deadline=None,
    # The catalogue is loaded once per page, not once per example: the pages only read.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # Failing examples are kept (in git-ignored var/) and tried first on the next run.
    database=DirectoryBasedExampleDatabase(django_settings.VAR_DIR / "hypothesis"),
)


@pytest.mark.parametrize("page", PAGES)
@fuzzing
@given(data=st.data())
def test_no_query_string_breaks_a_page_or_comes_back_as_markup(client, catalogue, page, data):
    pairs = data.draw(query_strings(PAGES[page]), label="query")
    response = client.get(f"{page}?{encode(pairs)}")
    if response.streaming:
        b"".join(response.streaming_content)  # a CSV is read as it streams: it may fail then

    assert response.status_code in ALLOWED_STATUSES.get(page, {200}), response.status_code
    if response["Content-Type"].startswith("text/html"):
        body = response.content.decode()
        for _, value in pairs:
            for attack in MARKUP:
                if isinstance(value, str) and attack in value:
                    assert attack not in body, f"{attack!r} reflected unescaped"


def test_a_null_character_in_any_parameter_is_refused_not_a_500(client, catalogue):
    """Each parameter of each page alone, after a good value, and repeated with a good value
    first. One test, not one a page: loading the catalogue costs more than the requests."""
    for page, names in PAGES.items():
        for name in [*names, "unknown"]:
            for value in NULL_CHARACTER_VALUES:
                for pairs in [[(name, value)], [(name, "python"), (name, value)]]:
                    status = client.get(f"{page}?{encode(pairs)}").status_code
                    assert status in ALLOWED_STATUSES.get(page, {200}), (page, name, value, status)
