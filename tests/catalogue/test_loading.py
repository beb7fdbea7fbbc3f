import re
import shutil
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from catalogue.files import DEFAULT_DIRECTORY, MAX_FILE_BYTES
from roles.models import Role
from salaries.models import HigherPayingLocation, SalaryBand, SalaryFigure
from skills.models import RoleSkill, Skill

pytestmark = pytest.mark.django_db

CATALOGUE_MODELS = [Role, Skill, RoleSkill, SalaryBand, SalaryFigure, HigherPayingLocation]


def row_counts():
    return {model.__name__: model.objects.count() for model in CATALOGUE_MODELS}


def test_loads_the_backend_developer_with_the_seeds_facts(catalogue):
    role = Role.objects.get(slug="backend-developer")
    assert role.is_published
    assert role.family.name == "Software engineering"
    assert (role.isco_08, role.onet_soc) == ("2512", "15-1252.00")
    assert role.responsibilities.count() == 10
    assert role.faqs.count() >= 2
    assert set(role.collaborations.values_list("collaborator__slug", flat=True)) >= {
        "front-end-developer",
        "ui-ux-designer",
        "product-manager",
        "qa-analyst",
        "system-administrator",
    }
    skills = dict(role.role_skills.values_list("skill__name", "importance"))
    for name in [
        "Java",
        "Python",
        "Node.js",
        "C#",
        "PHP",
        "JavaScript",
        "Ruby",
        "SQL",
        "MySQL",
        "MongoDB",
        "Oracle Database",
        "Amazon Web Services (AWS)",
        "Microsoft Azure",
        "Google Cloud Platform (GCP)",
    ]:
        assert name in skills, name
    assert (
        list(
            role.role_skills.filter(importance="required").values_list("skill__kind", flat=True)
        ).count("soft_skill")
        == 5
    )
    assert (
        role.role_skills.filter(importance="required").exclude(skill__kind="soft_skill").count()
        == 5
    )

    bands = [
        (
            band.experience_min_years,
            band.experience_max_years,
            band.minimum,
            band.maximum,
            band.currency,
        )
        for band in role.salary_bands.all()
    ]
    assert bands == [
        (Decimal(0), Decimal(2), 300_000, 800_000, "INR"),
        (Decimal(2), Decimal(5), 500_000, 1_500_000, "INR"),
        (Decimal(5), Decimal(10), 1_000_000, 2_500_000, "INR"),
        (Decimal(10), None, 2_500_000, None, "INR"),
    ]
    figures = {
        (f.measure, f.level): (f.amount, f.source.publisher) for f in role.salary_figures.all()
    }
    assert figures[("average", "")] == (640_000, "Glassdoor")
    assert figures[("maximum", "senior")] == (2_500_000, "Glassdoor")
    cities = [place.location.name for place in role.higher_paying_locations.all()]
    assert cities == ["Bangalore", "Mumbai", "Delhi"]
    assert "Tap Academy" in role.sources.values_list("publisher", flat=True)


def test_loading_twice_changes_nothing(catalogue):
    before = row_counts()
    report = call_and_capture("load_catalogue")
    assert row_counts() == before
    assert set(re.findall(r"(\d+) (?:created|updated)", report)) == {"0"}


def test_editors_changes_survive_a_reload_but_not_an_update(catalogue):
    role = Role.objects.get(slug="backend-developer")
    role.summary = "Edited by an editor."
    role.save()
    role.responsibilities.first().delete()
    role.salary_bands.filter(experience_min_years=0).update(maximum=900_000)

    call_command("load_catalogue")
    role.refresh_from_db()
    assert role.summary == "Edited by an editor."
    assert role.responsibilities.count() == 9
    assert role.salary_bands.get(experience_min_years=0).maximum == 900_000

    call_command("load_catalogue", "--update")
    role.refresh_from_db()
    assert role.summary != "Edited by an editor."
    assert role.responsibilities.count() == 10
    assert role.salary_bands.get(experience_min_years=0).maximum == 800_000


def test_a_deleted_skill_is_recreated_without_relinking_an_existing_role(catalogue):
    RoleSkill.objects.filter(skill__slug="ruby").delete()
    Skill.objects.get(slug="ruby").delete()
    call_command("load_catalogue")
    # The skill is missing, so it is created again; the role existed, so its links are kept.
    assert Skill.objects.filter(slug="ruby").exists()
    assert not RoleSkill.objects.filter(skill__slug="ruby").exists()


def test_a_bad_file_loads_nothing_and_says_where(tmp_path):
    directory = tmp_path / "catalogue"
    shutil.copytree(DEFAULT_DIRECTORY, directory)
    role_file = directory / "roles" / "backend-developer.yaml"
    role_file.write_text(
        role_file.read_text().replace("minimum: 500000", "minimum: 5000000", 1),
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="backend-developer.yaml"):
        call_command("load_catalogue", "--directory", str(directory))
    assert row_counts() == dict.fromkeys(row_counts(), 0)


def test_unknown_keys_are_reported(tmp_path):
    directory = tmp_path / "catalogue"
    shutil.copytree(DEFAULT_DIRECTORY, directory)
    skills_file = directory / "skills.yaml"
    skills_file.write_text(skills_file.read_text().replace("kind:", "knd:", 1), encoding="utf-8")
    with pytest.raises(CommandError, match="unknown knd"):
        call_command("load_catalogue", "--directory", str(directory))


def call_and_capture(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# Files that could hurt: refused before anything is written, in a short message -----------

# Every refusal fits on a screen, however large the file's values.
SHORT = 500

# Billion laughs: nine lists of nine aliases, a kilobyte that expands to 9**9 strings.
ALIAS_BOMB = "\n".join(
    [
        "slug: bomb",
        "title: Bomb",
        'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(
            f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]"
            for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
        ),
        "summary: *i",
    ]
)


def a_role_file(summary: str) -> bytes:
    """A small role whose summary, on line 5, is written as given."""
    return (
        f"slug: extra-role\ntitle: Extra role\nfamily: design\nstatus: draft\nsummary: {summary}\n"
    ).encode()


def a_copy_of_the_catalogue(tmp_path, files: dict[str, bytes] = {}):  # noqa: B006 (read only)
    directory = tmp_path / "catalogue"
    shutil.copytree(DEFAULT_DIRECTORY, directory)
    for name, content in files.items():
        (directory / name).write_bytes(content)
    return directory


def refusal(directory, *options) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("load_catalogue", "--directory", str(directory), *options)
    return str(refused.value)


def test_a_yaml_alias_bomb_is_refused_at_its_first_anchor(tmp_path):
    assert len(ALIAS_BOMB) < 1024
    directory = a_copy_of_the_catalogue(tmp_path, {"roles/bomb.yaml": ALIAS_BOMB.encode()})

    message = refusal(directory)

    assert len(message) < SHORT
    assert "roles/bomb.yaml:3: " in message  # the first anchor, &a
    assert "anchors and aliases" in message
    assert row_counts() == dict.fromkeys(row_counts(), 0)


def test_an_alias_alone_is_refused_too(tmp_path):
    # A merge key reuses a mapping through an alias: refused like any other, by line.
    skills = b"- &python {slug: python, name: Python, kind: programming_language}\n"
    skills += b"- <<: *python\n  slug: python-3\n"
    directory = a_copy_of_the_catalogue(tmp_path, {"skills.yaml": skills})
    assert "skills.yaml:1: " in refusal(directory)


@pytest.mark.parametrize(
    ("content", "where", "problem"),
    [
        (a_role_file(r'"A \0 in the middle"'), "roles/extra-role.yaml:5: ", "null character"),
        (a_role_file("A \0 in the middle"), "roles/extra-role.yaml:5: ", "null character"),
        (a_role_file("Café").replace("é".encode(), b"\xe9"), "roles/extra-role.yaml:5: ", "UTF-8"),
        (a_role_file(r'"\ud800 alone"'), "roles/extra-role.yaml:5: ", "surrogate"),
        (a_role_file("[" * 200 + "]" * 200), "roles/extra-role.yaml:5: ", "nested"),
    ],
    ids=["null escape", "null byte", "invalid utf-8", "lone surrogate", "deep nesting"],
)
def test_text_postgresql_cannot_store_is_refused_by_line(tmp_path, content, where, problem):
    directory = a_copy_of_the_catalogue(tmp_path, {"roles/extra-role.yaml": content})

    message = refusal(directory)

    assert where in message
    assert problem in message
    assert len(message) < SHORT
    assert row_counts() == dict.fromkeys(row_counts(), 0)


@pytest.mark.parametrize(
    "value",
    ["2026-13-45", "9" * 5_000],
    ids=["no such date", "too many digits"],
)
def test_a_value_yaml_cannot_make_is_refused_by_line(tmp_path, value):
    directory = a_copy_of_the_catalogue(tmp_path, {"roles/extra-role.yaml": a_role_file(value)})

    message = refusal(directory)

    assert "roles/extra-role.yaml:5: " in message
    assert len(message) < SHORT


def test_a_file_over_the_size_limit_is_refused_naming_the_limit(tmp_path):
    skills = (DEFAULT_DIRECTORY / "skills.yaml").read_bytes()
    padding = b"#" * (MAX_FILE_BYTES - len(skills)) + b"\n"
    directory = a_copy_of_the_catalogue(tmp_path, {"skills.yaml": skills + padding})

    message = refusal(directory)

    assert f"skills.yaml is larger than the limit of {MAX_FILE_BYTES:,} bytes" in message
    assert row_counts() == dict.fromkeys(row_counts(), 0)


def test_the_size_limit_leaves_the_shipped_files_room_to_grow():
    largest = max(path.stat().st_size for path in DEFAULT_DIRECTORY.rglob("*.yaml"))
    assert largest * 20 < MAX_FILE_BYTES


@pytest.mark.parametrize(
    "bad_role",
    [a_role_file(r'"\0"'), a_role_file("x").replace(b"status: draft", b"status: gone")],
    ids=["refused as it is read", "refused as it is written, after the skills"],
)
def test_a_refused_update_leaves_the_database_as_it_was(catalogue, tmp_path, bad_role):
    Skill.objects.filter(slug="python").update(name="Python, as an editor named it")
    before = row_counts()
    skills = (DEFAULT_DIRECTORY / "skills.yaml").read_bytes()
    assert b"name: Python\n" in skills
    directory = a_copy_of_the_catalogue(
        tmp_path,
        {
            "skills.yaml": skills.replace(b"name: Python\n", b"name: Python 3\n"),
            "roles/extra-role.yaml": bad_role,
        },
    )

    assert "roles/extra-role.yaml" in refusal(directory, "--update")
    assert row_counts() == before
    assert Skill.objects.get(slug="python").name == "Python, as an editor named it"
    assert not Role.objects.filter(slug="extra-role").exists()


HUGE = "x" * 100_000  # far longer than any message should be, well under the size limit


@pytest.mark.parametrize(
    ("file", "replace", "by", "expected"),
    [
        (
            "skills.yaml",
            "kind: programming_language",
            f"kind: {HUGE}",
            "skills.yaml: skill 'backend-programming': kind: ",
        ),
        (
            "skills.yaml",
            "kind: programming_language",
            f"kind: programming_language\n  ? {HUGE}\n  : 1",  # a long key is written so
            "skills.yaml: skill 'backend-programming': unknown xxx",
        ),
        (
            "skills.yaml",
            "slug: backend-programming",
            f"slug: {HUGE}",
            "skills.yaml: skill 'xxx",
        ),
        (
            "roles/backend-developer.yaml",
            "years: [2, 5]",
            f"years: [{HUGE}, 5]",
            "role 'backend-developer': salary.bands item 2: years: ",
        ),
        (
            "roles/backend-developer.yaml",
            "currency: INR",
            f"currency: {HUGE}",
            "role 'backend-developer': salary.bands item 1: currency: ",
        ),
        (
            "roles/backend-developer.yaml",
            "family: software-engineering",
            f"family: {HUGE}",
            "roles/backend-developer.yaml: role 'backend-developer': family: no role family",
        ),
        (
            "roles/backend-developer.yaml",
            "title: Backend Developer",
            f"title: {HUGE}",
            "roles/backend-developer.yaml: role 'backend-developer': title: ",
        ),
    ],
    ids=["choice", "key", "slug", "pair", "currency", "link", "text"],
)
def test_a_huge_value_gives_a_short_message_naming_file_entry_and_field(
    tmp_path, file, replace, by, expected
):
    text = (DEFAULT_DIRECTORY / file).read_text()
    assert replace in text
    directory = a_copy_of_the_catalogue(tmp_path, {file: text.replace(replace, by, 1).encode()})

    message = refusal(directory)

    assert expected in message
    assert len(message) < SHORT
    assert row_counts() == dict.fromkeys(row_counts(), 0)


def test_two_role_files_with_one_slug_are_refused_naming_both(tmp_path):
    copy = (DEFAULT_DIRECTORY / "roles" / "qa-analyst.yaml").read_bytes()
    directory = a_copy_of_the_catalogue(tmp_path, {"roles/qa-analyst-copy.yaml": copy})

    message = refusal(directory)

    assert "roles/qa-analyst-copy.yaml and roles/qa-analyst.yaml" in message
    assert "'qa-analyst'" in message
    assert row_counts() == dict.fromkeys(row_counts(), 0)


def test_a_slug_twice_in_a_shared_file_is_refused(tmp_path):
    locations = (DEFAULT_DIRECTORY / "locations.yaml").read_bytes()
    locations += b"\n- slug: mumbai\n  name: Bombay\n  country_code: IN\n"
    directory = a_copy_of_the_catalogue(tmp_path, {"locations.yaml": locations})

    message = refusal(directory)

    assert "locations.yaml: location 'mumbai' is entry 3 and entry 5" in message


def test_a_row_twice_in_a_role_file_is_refused(tmp_path):
    role = (DEFAULT_DIRECTORY / "roles" / "backend-developer.yaml").read_text()
    role = role.replace("    - years: [2, 5]", "    - years: [0, 2]", 1)
    directory = a_copy_of_the_catalogue(tmp_path, {"roles/backend-developer.yaml": role.encode()})

    message = refusal(directory)

    assert "role 'backend-developer': salary.bands items 1 and 2 are the same" in message
