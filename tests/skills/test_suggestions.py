"""/skills/suggest/: the skill picker's suggestions, from the whole catalogue, as JSON."""

import pytest
from django.urls import reverse

from tests.factories import RoleFactory, RoleSkillFactory, SkillFactory

pytestmark = pytest.mark.django_db

SUGGEST_URL = reverse("skills:suggest")
# The suggestions: whether a cached answer is current costs no SQL (jobsite.cache).
SUGGEST_QUERY_BUDGET = 1


@pytest.fixture
def skills(db):
    made = {
        name: SkillFactory(name=name, slug=slug, alternative_names=other_names)
        for name, slug, other_names in [
            ("Node.js", "nodejs", "Node\nNodeJS"),
            ("PostgreSQL", "postgresql", "Postgres"),
            ("Python", "python", ""),
            ("Python (computer programming)", "python-esco", "Python3"),
            ("Jython", "jython", "Python on the JVM"),
            ("Microsoft Visual C++", "msvc", "Visual C++"),
            ("C++", "cplusplus", ""),
            ("Amazon Web Services (AWS)", "aws", ""),
            ("Award writing", "award-writing", ""),
        ]
    }
    # Only one skill is needed by a role: suggestions are not limited to roles' skills.
    RoleSkillFactory(role=RoleFactory(), skill=made["Python"])
    return made


def suggested(client, text):
    response = client.get(SUGGEST_URL, {"q": text})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["skills"]


def names(client, text):
    return [skill["name"] for skill in suggested(client, text)]


def test_suggestions_come_from_the_whole_catalogue(client, skills):
    assert suggested(client, "postg") == [
        {"name": "PostgreSQL", "slug": "postgresql", "also_called": ""}
    ]


def test_the_exact_name_then_names_starting_so_then_other_names(client, skills):
    assert names(client, "python") == ["Python", "Python (computer programming)", "Jython"]
    assert names(client, "c++") == ["C++", "Microsoft Visual C++"]
    assert names(client, "visual c") == ["Microsoft Visual C++"]
    # As typed, not stemmed: the English stem of "aws" is "aw", as in "award".
    assert names(client, "aws") == ["Amazon Web Services (AWS)"]


def test_a_skill_found_by_another_name_says_which(client, skills):
    assert suggested(client, "nodejs") == [
        {"name": "Node.js", "slug": "nodejs", "also_called": "NodeJS"}
    ]
    assert suggested(client, "Postgres")[0]["also_called"] == ""  # its name holds it
    assert suggested(client, "jvm") == [
        {"name": "Jython", "slug": "jython", "also_called": "Python on the JVM"}
    ]


def test_at_most_ten(client, db):
    for index in range(15):
        SkillFactory(name=f"Kotlin {index:02}")
    assert len(names(client, "kotlin")) == 10


@pytest.mark.parametrize("text", ["", "p", " ", "!!!", "&|:*", "'; DROP TABLE x; --"])
def test_too_little_to_go_on_suggests_nothing(client, skills, text):
    assert suggested(client, text) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [("x" * 101, "at most 100 characters"), ("py\x00", "Null characters are not allowed.")],
)
def test_bad_text_is_answered_400_with_the_reason(client, skills, text, message):
    response = client.get(SUGGEST_URL, {"q": text})
    assert response.status_code == 400
    assert message in response.json()["errors"][0]


def test_only_get(client, skills):
    assert client.post(SUGGEST_URL, {"q": "py"}).status_code == 405


def test_a_fixed_number_of_queries_and_a_cached_answer(client, page_queries, skills):
    assert page_queries(f"{SUGGEST_URL}?q=py") <= SUGGEST_QUERY_BUDGET
    SkillFactory.create_batch(100, alternative_names="Pyramid")
    assert page_queries(f"{SUGGEST_URL}?q=py") == SUGGEST_QUERY_BUDGET  # a new skill
    assert page_queries(f"{SUGGEST_URL}?q=py") == 0  # cached
    response = client.get(f"{SUGGEST_URL}?q=py")
    assert "public" in response["Cache-Control"]
    assert response["ETag"]
