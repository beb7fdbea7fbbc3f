"""The real ESCO v1.1.1 download, imported whole: counts, a known occupation, search by an
alternative title, and a repeat that changes nothing.

The files are the Commission's and stay out of the repository: the test reads them from
ESCO_DIR, or from ../shared/data/esco-v1.1.1 beside the clone (where CI has them). Without
them it is skipped, except in CI (CI set), where it must run."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Count

from catalogue.esco import import_esco
from catalogue.search import forgiving_search, search
from roles.models import Role, RoleFamily
from skills.models import RoleSkill, Skill

pytestmark = pytest.mark.django_db

ESCO_DIR = Path(
    os.environ.get("ESCO_DIR") or settings.BASE_DIR.parent / "shared" / "data" / "esco-v1.1.1"
)
SOFTWARE_DEVELOPER = "http://data.europa.eu/esco/occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1"

if not ESCO_DIR.is_dir():
    if os.environ.get("CI"):
        pytest.fail(f"CI must import the real ESCO files, but {ESCO_DIR} is missing.")
    pytest.skip(f"ESCO's files are not at {ESCO_DIR} (set ESCO_DIR)", allow_module_level=True)


def test_the_real_download_imports_whole_and_a_repeat_changes_nothing(db):
    """One test, as the import takes seconds: everything checked on one import."""
    first = import_esco(ESCO_DIR)
    assert Role.objects.exclude(esco_uri="").count() == 3007
    assert Skill.objects.exclude(esco_uri="").count() == 13896
    assert RoleFamily.objects.exclude(code="").count() == 619
    links = first.counts["occupation–skill links"]
    assert (links.created, links.skipped) == (123788, 67)
    assert RoleSkill.objects.required().count() == 64891
    assert RoleSkill.objects.filter(importance="preferred").count() == 58897

    # A known occupation, with codes, alternative titles and essential skills.
    developer = Role.objects.get(esco_uri=SOFTWARE_DEVELOPER)
    assert (developer.title, developer.esco_code, developer.family.code) == (
        "software developer",
        "2512.4",
        "2512",
    )
    assert "programmer" in developer.also_called
    essential = set(developer.role_skills.required().values_list("skill__name", flat=True))
    assert {"debug software", "develop software prototype", "computer programming"} <= essential

    # Search by alternative title.
    assert developer in search("programmer").roles
    assert "ICT application developer" in [role.title for role in search("app developer").roles]

    # Names the parser would break, ranked first among ESCO's 13,896 skills; and typos.
    assert search("c#").skills[0].name == "C#"
    assert [skill.name for skill in search("c++").skills[:2]] == ["C++", "Microsoft Visual C++"]
    assert search("asp.net").skills[0].name == "ASP.NET"
    corrected = forgiving_search("sofware devloper")
    assert (corrected.typed, corrected.query) == ("sofware devloper", "software developer")
    corrected = forgiving_search("pyhton")
    assert corrected.skills[0].name == "Python (computer programming)"

    # The largest shapes, which the query-budget tests copy.
    most_skills = Role.objects.annotate(n=Count("role_skills")).order_by("-n").values("n")[0]
    most_roles = Skill.objects.annotate(n=Count("role_skills")).order_by("-n").values("n")[0]
    assert (most_skills["n"], most_roles["n"]) == (340, 350)

    second = import_esco(ESCO_DIR)
    assert not second.run.changed_anything
    assert second.counts["occupations"].unchanged == 3007
    assert second.counts["occupation–skill links"].unchanged == 123788
