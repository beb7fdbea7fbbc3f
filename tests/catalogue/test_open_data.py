"""`manage.py export_open_data`: the published catalogue as JSON Lines and CSV."""

import csv
import json
from io import StringIO

import pytest
from django.core.management import call_command

from catalogue.esco import ATTRIBUTION
from roles.models import Role
from tests.factories import RoleFactory, RoleSkillFactory, SalaryBandFactory, SkillFactory

pytestmark = pytest.mark.django_db


def json_lines(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def csv_rows(path):
    with open(path, newline="") as sheet:
        return list(csv.DictReader(sheet))


@pytest.fixture
def exported(tmp_path):
    draft = RoleFactory(title="Secret Draft", slug="secret-draft", status=Role.Status.DRAFT)
    role = RoleFactory(
        title="=Backend Developer", slug="backend", broader=draft, alternative_titles="A\nB"
    )
    python = SkillFactory(slug="python", name="Python")
    RoleSkillFactory(role=role, skill=python, importance="required")
    RoleSkillFactory(role=draft, skill=python)
    SalaryBandFactory(role=role)
    SalaryBandFactory(role=draft)
    call_command("export_open_data", str(tmp_path), stdout=StringIO())
    return tmp_path


def test_every_table_is_written_twice_and_drafts_are_left_out(exported):
    for name in ("roles", "skills", "role_skills", "salary_bands"):
        lines, rows = json_lines(exported / f"{name}.jsonl"), csv_rows(exported / f"{name}.csv")
        assert len(lines) == len(rows) == 1, name
    [role] = json_lines(exported / "roles.jsonl")
    assert role["slug"] == "backend"
    assert role["broader_role"] == ""  # a draft, so not named
    assert role["alternative_titles"] == ["A", "B"]
    assert json_lines(exported / "role_skills.jsonl") == [
        {"role": "backend", "skill": "python", "importance": "required", "explanation": ""}
    ]
    [band] = json_lines(exported / "salary_bands.jsonl")
    assert (band["role"], band["source"], band["experience_max_years"]) == (
        "backend",
        "Test Publisher, 2024",
        2.0,
    )
    assert "secret" not in "".join(path.read_text() for path in exported.iterdir())


def test_csv_cells_never_run_as_formulas(exported):
    [role] = csv_rows(exported / "roles.csv")
    assert role["title"] == "'=Backend Developer"
    assert role["alternative_titles"] == "A\nB"


def test_the_notice_names_esco_and_the_sources(exported):
    notice = (exported / "NOTICE.txt").read_text()
    assert ATTRIBUTION in notice
    assert "Test Publisher, 2024" in notice
