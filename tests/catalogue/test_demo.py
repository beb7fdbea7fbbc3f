import random
from collections import Counter, defaultdict
from itertools import pairwise

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from catalogue.demo import FLAGGED_MODELS, clear_demo_data, generate_demo_data
from catalogue.parts import ROLE_PARTS
from jobsite.cache import current_revision
from jobsite.text_search import matching
from roles.models import Collaboration, FrequentlyAskedQuestion, Responsibility, Role
from salaries.models import Location, SalaryBand
from skills.models import RoleSkill, Skill, SkillKind

pytestmark = pytest.mark.django_db

ROLES = 30


def generate(*args):
    call_command("generate_demo_data", *args, verbosity=0)


def demo_catalogue():
    """What the demo data says, by natural keys (primary keys differ between runs)."""
    roles = Role.objects.filter(is_demo=True)
    return {
        "roles": list(
            roles.order_by("slug").values_list("slug", "title", "family__slug", "summary")
        ),
        "skills": list(
            Skill.objects.filter(is_demo=True).order_by("slug").values_list("slug", "name", "kind")
        ),
        "role skills": list(
            RoleSkill.objects.filter(role__in=roles)
            .order_by("role__slug", "position")
            .values_list("role__slug", "skill__slug", "importance", "explanation")
        ),
        "bands": list(
            SalaryBand.objects.filter(role__in=roles)
            .order_by("role__slug", "location__slug", "experience_min_years")
            .values_list(
                "role__slug",
                "location__slug",
                "experience_min_years",
                "experience_max_years",
                "minimum",
                "maximum",
            )
        ),
        "responsibilities": list(
            Responsibility.objects.filter(role__in=roles)
            .order_by("role__slug", "position")
            .values_list("role__slug", "text")
        ),
        "faqs": list(
            FrequentlyAskedQuestion.objects.filter(role__in=roles)
            .order_by("role__slug", "position")
            .values_list("role__slug", "question", "answer")
        ),
        "collaborations": list(
            Collaboration.objects.filter(role__in=roles)
            .order_by("role__slug", "position")
            .values_list("role__slug", "collaborator__slug")
        ),
    }


def every_row():
    """Every row of every catalogue table, all fields, for spotting any change at all."""
    rows = {}
    for label in ("roles", "skills", "salaries"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
    return rows


# Reproducibility ---------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_catalogue_and_another_seed_a_different_one(db):
    generate("--roles", ROLES, "--seed", 3)
    first = demo_catalogue()
    generate("--clear", "--roles", ROLES, "--seed", 3)
    assert demo_catalogue() == first
    generate("--clear", "--roles", ROLES, "--seed", 4)
    other = demo_catalogue()
    assert other["roles"] != first["roles"]
    assert other["bands"] != first["bands"]


def test_the_generator_leaves_the_global_random_state_alone(db):
    random.seed(99)
    expected = random.random()
    random.seed(99)
    generate_demo_data(roles=5, seed=1)
    assert random.random() == expected


# Proportions -------------------------------------------------------------------------------


@pytest.fixture
def demo(db):
    return generate_demo_data(roles=ROLES, seed=1)


def test_creates_the_asked_number_of_published_roles_with_unique_demo_titles(demo):
    roles = Role.objects.filter(is_demo=True)
    assert roles.count() == ROLES
    assert roles.published().count() == ROLES
    for title, slug in roles.values_list("title", "slug"):
        assert "(demo " in title and slug.startswith("demo-")
    assert demo.counts["roles"] == ROLES


def test_roles_have_about_thirty_skills_from_a_shared_pool_of_every_kind(demo):
    per_role = Counter(RoleSkill.objects.filter(role__is_demo=True).values_list("role", flat=True))
    assert len(per_role) == ROLES
    assert all(23 <= count <= 36 for count in per_role.values()), per_role
    assert 27 <= sum(per_role.values()) / ROLES <= 33
    pool = Skill.objects.filter(is_demo=True)
    assert pool.count() >= 200
    # Every kind of our own; ESCO's (knowledge, competence, transversal) come from ESCO.
    esco_kinds = {SkillKind.KNOWLEDGE, SkillKind.COMPETENCE, SkillKind.TRANSVERSAL}
    assert set(pool.values_list("kind", flat=True)) == set(SkillKind.values) - esco_kinds
    per_skill = Counter(
        RoleSkill.objects.filter(role__is_demo=True).values_list("skill", flat=True)
    )
    shared = [skill for skill, roles in per_skill.items() if roles >= 2]
    assert len(shared) >= 50
    assert max(per_skill.values()) >= ROLES // 3  # a few skills are needed almost everywhere
    importance = Counter(
        RoleSkill.objects.filter(role__is_demo=True).values_list("importance", flat=True)
    )
    assert importance["required"] > importance["preferred"] > 0


def test_roles_have_four_to_twelve_bands_across_demo_cities(demo):
    bands = SalaryBand.objects.filter(role__is_demo=True)
    per_role = Counter(bands.values_list("role", flat=True))
    assert len(per_role) == ROLES
    assert all(4 <= count <= 12 for count in per_role.values()), per_role
    places_per_role = defaultdict(set)
    for role, location in bands.values_list("role", "location"):
        places_per_role[role].add(location)
    assert any(len(places) > 1 for places in places_per_role.values())
    used = Location.objects.filter(pk__in=bands.values("location"))
    assert used.count() >= 8 and all(used.values_list("is_demo", flat=True))
    assert set(bands.values_list("currency", "period").distinct()) == {("INR", "year")}
    assert bands.filter(maximum__isnull=True).exists()  # "₹X+" tops
    assert bands.filter(experience_max_years__isnull=True).exists()  # "N+ years"


def test_bands_are_ordered_and_never_overlap_for_a_role_and_place(demo):
    ladders = defaultdict(list)
    for band in SalaryBand.objects.filter(role__is_demo=True):
        assert band.maximum is None or band.minimum <= band.maximum
        ladders[band.role_id, band.location_id].append(band)
    for ladder in ladders.values():
        ladder.sort(key=lambda band: band.experience_min_years)
        assert ladder[0].experience_min_years == 0
        for lower, higher in pairwise(ladder):
            assert lower.experience_max_years is not None
            assert lower.experience_max_years <= higher.experience_min_years
            assert lower.minimum <= higher.minimum  # pay rises with experience


def test_roles_have_responsibilities_faqs_and_collaborators(demo):
    roles = Role.objects.filter(is_demo=True)
    responsibilities = Counter(
        Responsibility.objects.filter(role__in=roles).values_list("role", flat=True)
    )
    faqs = Counter(
        FrequentlyAskedQuestion.objects.filter(role__in=roles).values_list("role", flat=True)
    )
    assert len(responsibilities) == len(faqs) == ROLES
    assert min(responsibilities.values()) >= 4 and min(faqs.values()) >= 2
    assert Collaboration.objects.filter(role__in=roles, collaborator__in=roles).exists()
    assert not Collaboration.objects.filter(role__in=roles).exclude(collaborator__in=roles)


# Validity ----------------------------------------------------------------------------------


def test_a_sample_of_every_kind_of_generated_row_passes_full_clean(demo):
    # Of every model with demo rows, and every row of a few demo roles (SalaryBand.clean()
    # looks for overlaps among a role's bands), whatever kinds of row a role comes to own.
    samples = [
        row
        for model in FLAGGED_MODELS
        for row in model.objects.filter(is_demo=True).order_by("?")[:20]
    ]
    few_roles = Role.objects.filter(is_demo=True).order_by("slug")[:5]
    for part in ROLE_PARTS:
        samples.extend(part.model.objects.filter(role__in=few_roles))
    assert len(samples) > 100
    for row in samples:
        row.full_clean()


# Marking and clearing ----------------------------------------------------------------------


def test_everything_created_is_demo_data_or_belongs_to_a_demo_role(catalogue):
    before = {label: {row["id"] for row in rows} for label, rows in every_row().items()}
    generate_demo_data(roles=ROLES, seed=1)
    for label, rows in every_row().items():
        for row in (row for row in rows if row["id"] not in before[label]):
            if "is_demo" in row:
                assert row["is_demo"], (label, row)
                assert row["slug"].startswith("demo-"), (label, row)
            elif "role_id" in row:
                assert Role.objects.get(pk=row["role_id"]).is_demo, (label, row)


def test_clear_removes_exactly_the_demo_data(catalogue):
    shipped = every_row()
    generate_demo_data(roles=ROLES, seed=1)
    report = clear_demo_data()
    assert report.counts["roles"] == ROLES
    assert report.counts["locations"] == 11
    assert report.counts["role skills"] > 20 * ROLES
    assert every_row() == shipped
    # Nothing left to clear, and clearing again touches nothing.
    assert not clear_demo_data().counts
    assert every_row() == shipped


def test_a_second_run_without_clear_is_refused_and_changes_nothing(catalogue):
    generate("--roles", ROLES, "--seed", 1)
    before = every_row()
    with pytest.raises(CommandError, match="already in the database.*--clear"):
        generate("--roles", 5, "--seed", 2)
    assert every_row() == before
    generate("--clear", "--roles", 5, "--seed", 2)  # a replacement is allowed
    assert Role.objects.filter(is_demo=True).count() == 5


def test_clear_refuses_while_real_content_refers_to_demo_data(catalogue):
    generate_demo_data(roles=ROLES, seed=1)
    backend = Role.objects.get(slug="backend-developer")
    RoleSkill.objects.create(role=backend, skill=Skill.objects.filter(is_demo=True).first())
    before = every_row()
    with pytest.raises(CommandError, match="1 real roles' skills that are demo skills"):
        generate("--clear")
    assert every_row() == before


def test_the_command_needs_a_role_count_in_range(db):
    with pytest.raises(CommandError, match="--roles"):
        generate()
    with pytest.raises(CommandError, match="between 1 and"):
        generate("--roles", 0)
    assert not Role.objects.exists()


# What bulk writes skip --------------------------------------------------------------------


def test_generated_roles_and_skills_are_searchable(demo):
    role = Role.objects.filter(is_demo=True).order_by("slug").first()
    skill = Skill.objects.filter(is_demo=True).order_by("slug").first()
    assert not Role.objects.filter(is_demo=True, search_vector__isnull=True).exists()
    assert not Skill.objects.filter(is_demo=True, search_vector__isnull=True).exists()
    assert role in matching(Role.objects.all(), role.title)
    assert skill in matching(Skill.objects.all(), skill.name)


def test_generating_and_clearing_mark_the_catalogue_changed(catalogue):
    start = current_revision()[0]
    generate_demo_data(roles=5, seed=1)
    generated = current_revision()[0]
    clear_demo_data()
    assert start < generated < current_revision()[0]


def test_progress_is_reported_for_every_role(db):
    done = []
    generate_demo_data(roles=7, seed=1, progress=done.append)
    assert sum(done) == 7
