import re
import shutil
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from catalogue.files import DEFAULT_DIRECTORY
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
