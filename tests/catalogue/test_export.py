import re
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from catalogue.demo import generate_demo_data
from catalogue.files import CatalogueError, export_catalogue, load_catalogue
from catalogue.files.format import (
    DEFAULT_DIRECTORY,
    EXPORT_HEADER,
    FILE_KEYS,
    MODELS_NOT_IN_FILES,
    NOT_IN_FILES,
    file_fields,
)
from roles.models import Collaboration, Role, RoleFamily, Source
from salaries.models import HigherPayingLocation, Location, SalaryBand, SalaryFigure
from skills.models import RoleSkill, Skill
from tests.factories import (
    CollaborationFactory,
    FrequentlyAskedQuestionFactory,
    HigherPayingLocationFactory,
    LocationFactory,
    ResponsibilityFactory,
    RoleFactory,
    RoleFamilyFactory,
    RoleSkillFactory,
    SalaryBandFactory,
    SalaryFigureFactory,
    SkillFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

SHARED_FILES = {"families.yaml", "locations.yaml", "sources.yaml", "skills.yaml"}


def files_in(directory) -> dict[str, bytes]:
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def empty_the_catalogue():
    """Delete every catalogue row, the rows that PROTECT others last."""
    for model in (SalaryBand, SalaryFigure, HigherPayingLocation, Collaboration, RoleSkill):
        model.objects.all().delete()
    Role.objects.all().delete()  # and, with them, responsibilities, FAQs and source links
    Skill.objects.all().delete()
    Location.objects.update(parent=None)
    Location.objects.all().delete()
    Source.objects.update(cited_in=None)
    Source.objects.all().delete()
    RoleFamily.objects.all().delete()
    assert not any(model.objects.exists() for model in FILE_KEYS)


def catalogue_state() -> dict[str, list]:
    """Every exported field of every catalogue row, foreign keys by slug (ids change when a
    catalogue is loaded again). A role's ordered rows in their order; other rows sorted."""
    state = {}
    for model in FILE_KEYS:
        names = sorted(file_fields(model))
        field_names = {field.name for field in model._meta.concrete_fields}
        ordered = "position" in field_names
        rows = model.objects.order_by(*(["role__slug", "position"] if ordered else []), "pk")
        described = []
        for row in rows:
            values = [("role", row.role.slug)] if "role" in field_names else []
            for name in names:
                field = model._meta.get_field(name)
                value = getattr(row, name)
                if field.many_to_many:
                    value = sorted(related.slug for related in value.all())
                elif field.is_relation:
                    value = value and value.slug
                values.append((name, value))
            described.append(tuple(values))
        state[model.__name__] = described if ordered else sorted(described, key=repr)
    return state


def export_load_export(tmp_path) -> dict[str, bytes]:
    """Export, load the export into an emptied database and export again: the files and the
    database must come back the same. Returns the files."""
    state = catalogue_state()
    export_catalogue(directory=tmp_path / "first")
    empty_the_catalogue()
    load_catalogue(directory=tmp_path / "first")
    assert catalogue_state() == state
    export_catalogue(directory=tmp_path / "second")
    first, second = files_in(tmp_path / "first"), files_in(tmp_path / "second")
    assert set(second) == set(first)
    for name, content in first.items():
        assert second[name] == content, name
    return first


# Round trips ------------------------------------------------------------------------------


def test_the_shipped_catalogue_survives_export_load_export(catalogue, tmp_path):
    files = export_load_export(tmp_path)

    shipped_roles = {f"roles/{path.name}" for path in (DEFAULT_DIRECTORY / "roles").glob("*.yaml")}
    assert set(files) == SHARED_FILES | shipped_roles
    backend = files["roles/backend-developer.yaml"].decode()
    assert backend.startswith(EXPORT_HEADER)
    assert "load_catalogue --directory DIRECTORY --update" in backend.splitlines()[0]
    assert "    - years: [10, null]\n      minimum: 2500000\n      maximum: null\n" in backend
    assert "isco_08: '2512'\n" in backend
    assert "reviewed_on: 2026-11-24\n" in backend
    # Multi-line text as a literal block, as an editor would write it.
    assert "overview: |-\n  Backend developers look after the server side" in backend


TRICKY_TEXTS = [
    "Key: value # not a comment",
    "- looks like a list item",
    "'single' and \"double\" quotes",
    "yes",
    "no",
    "null",
    "~",
    "true",
    "2512",
    "1e3",
    "2024-01-01",
    " leading and trailing spaces ",
    "Unicode: Développeur·se, 開発者, emoji 🚀, NEL\x85in the middle",
]


@pytest.fixture
def rich_catalogue(db):
    """A catalogue using every optional field and every awkward value the files can hold."""
    engineering = RoleFamilyFactory(
        slug="engineering",
        name='Engineering: the "hard" part',
        description="First line.\n  Indented second line: with a colon\n- and a dash\n",
    )
    odd = RoleFamilyFactory(slug="odd", name="yes", description="")

    france = LocationFactory(slug="france", name="France", country_code="FR")
    region = LocationFactory(
        slug="ile-de-france", name="Île-de-France", country_code="FR", parent=france
    )
    # Sorts before its parent: by slug alone, it would come before the region it lies in.
    clichy = LocationFactory(slug="clichy", name="Clichy", country_code="FR", parent=region)
    paris = LocationFactory(slug="paris", name="Paris", country_code="FR", parent=region)
    LocationFactory(slug="germany", name="no", country_code="DE")

    cited = SourceFactory(
        slug="survey",
        title="Pay survey: 2024 # edition",
        publisher="Stats Office",
        url="https://example.org/survey?year=2024&kind=pay",
        year=2024,
        note="Line one.\nLine two, with trailing space \nLine three.",
    )
    bare = SourceFactory(slug="hearsay", title="null", publisher="2512", url="", year=None)
    # Known only through the survey, which it sorts before; and one known through that one.
    secondhand = SourceFactory(
        slug="agency-figures", title="Agency pay", publisher="Agency", year=2023, cited_in=cited
    )
    SourceFactory(
        slug="a-rumour", title="Rumour", publisher="Rumour mill", year=None, cited_in=secondhand
    )

    code_skill = SkillFactory(
        slug="2512", name="C#", kind=Skill.Kind.PROGRAMMING_LANGUAGE, description="- a list?"
    )
    soft_skill = SkillFactory(
        slug="listening", name="Listening", kind=Skill.Kind.SOFT_SKILL, description=""
    )

    published = RoleFactory(
        slug="developpeur",
        title="Développeur·se back-end 開発者",
        family=engineering,
        status=Role.Status.PUBLISHED,
        featured=True,
        summary="Builds servers: fast # and safe",
        overview="Paragraph one.\n\nParagraph two, with a tab\there.\n",
        qualifications="yes",
        education="null",
        outlook="2512",
        salary_note="Windows line ends:\r\nsecond line",
        isco_08="2512",
        onet_soc="15-1252.00",
        reviewed_on=date(2024, 2, 29),
    )
    draft = RoleFactory(
        slug="draft-stub", title="Draft stub", family=engineering, status=Role.Status.DRAFT
    )
    archived = RoleFactory(
        slug="archived", title="null", family=odd, status=Role.Status.ARCHIVED, summary="~"
    )
    published.sources.set([cited, bare])
    archived.sources.set([bare])

    # Positions out of creation order, and with gaps: the file keeps the positions' order.
    for position, text in enumerate(TRICKY_TEXTS, start=1):
        ResponsibilityFactory(role=published, text=text, position=100 - 7 * position)
    ResponsibilityFactory(role=published, text="Multi\nline\n\n  indented", position=1)
    FrequentlyAskedQuestionFactory(
        role=published, question="Is it 'yes' or \"no\"?", answer="no", position=2
    )
    FrequentlyAskedQuestionFactory(
        role=published, question="What # about: this?", answer="First.\nSecond.", position=1
    )
    RoleSkillFactory(
        role=published,
        skill=code_skill,
        importance=RoleSkill.Importance.REQUIRED,
        explanation="Daily.\nEvery day.",
        position=2,
    )
    RoleSkillFactory(
        role=published,
        skill=soft_skill,
        importance=RoleSkill.Importance.PREFERRED,
        explanation="",
        position=1,
    )
    CollaborationFactory(
        role=published, collaborator=draft, note="Pairs on: everything", position=1
    )
    CollaborationFactory(role=published, collaborator=archived, note="", position=0)
    CollaborationFactory(role=draft, collaborator=published, note="yes")

    # Bands anywhere and in places, fractional years, open tops, two currencies and periods.
    for location, currency, period, ladder in [
        (None, "INR", "year", [(0, 2.5, 300_000, 800_000), (2.5, None, 800_000, None)]),
        (paris, "EUR", "month", [(0, 1.5, 2_000, 3_000), (1.5, 10, 3_000, 6_000)]),
        (paris, "EUR", "year", [(10, None, 70_000, None)]),
        (france, "EUR", "year", [(0, 0.5, 20_000, 20_000)]),
    ]:
        for low, high, minimum, maximum in ladder:
            SalaryBandFactory(
                role=published,
                location=location,
                currency=currency,
                period=period,
                experience_min_years=Decimal(str(low)),
                experience_max_years=None if high is None else Decimal(str(high)),
                minimum=minimum,
                maximum=maximum,
                source=cited,
                year=2024,
            )
    # A second source for a cell, with the median, percentiles and sample size it gives.
    SalaryBandFactory(
        role=published,
        experience_min_years=Decimal(0),
        experience_max_years=Decimal("2.5"),
        minimum=350_000,
        maximum=900_000,
        percentile_25=450_000,
        median=550_000,
        percentile_75=700_000,
        sample_size=1_234,
        source=secondhand,
        year=2023,
    )
    SalaryFigureFactory(role=published, measure="average", level="", amount=640_000, source=bare)
    SalaryFigureFactory(
        role=published,
        measure="maximum",
        level="senior",
        amount=5_000,
        currency="EUR",
        period="month",
        location=paris,
        source=cited,
        year=2023,
        note="Up to: this # much",
    )
    SalaryFigureFactory(
        role=published, measure="median", level="2512", amount=10_000, location=clichy, source=cited
    )
    HigherPayingLocationFactory(
        role=published, location=paris, source=cited, note="Why: rent", position=2
    )
    HigherPayingLocationFactory(role=published, location=clichy, source=bare, note="", position=1)
    for instance in [
        *RoleFamily.objects.all(),
        *Location.objects.all(),
        *Source.objects.all(),
        *Skill.objects.all(),
        *Role.objects.all(),
        *SalaryBand.objects.all(),
        *SalaryFigure.objects.all(),
    ]:
        instance.full_clean()  # what the loader will ask of each record
    return published


def test_a_catalogue_using_every_field_survives_export_load_export(rich_catalogue, tmp_path):
    files = export_load_export(tmp_path)

    assert set(files) == SHARED_FILES | {
        "roles/developpeur.yaml",
        "roles/draft-stub.yaml",
        "roles/archived.yaml",
    }
    role = files["roles/developpeur.yaml"].decode()
    assert "Développeur·se back-end 開発者" in role  # readable, not escaped
    assert "    - years: [0, 2.5]\n" in role
    assert "      median: 550000\n      percentile_75: 700000\n      sample_size: 1234\n" in role
    assert "  cited_in: agency-figures\n" in files["sources.yaml"].decode()
    assert "    - years: [2.5, null]\n" in role
    assert "    - years: [10, null]\n" in role
    # Parents before children, whatever their slugs.
    locations = files["locations.yaml"].decode()
    slugs = re.findall(r"^- slug: (\S+)$", locations, flags=re.MULTILINE)
    assert slugs == ["france", "ile-de-france", "clichy", "paris", "germany"]
    # Values that YAML would read as something else are quoted.
    assert "slug: '2512'" in files["skills.yaml"].decode()
    assert "  name: 'no'\n" in locations


def test_loading_an_export_with_update_undoes_editors_changes(catalogue, tmp_path):
    LocationFactory(slug="asia", name="Asia", country_code="IN")
    export_catalogue(directory=tmp_path / "backup")
    exported = catalogue_state()

    # An editor's changes, to fields that were full and fields that were empty.
    role = Role.objects.get(slug="backend-developer")
    role.overview = ""
    role.featured = False
    role.reviewed_on = None
    role.save()
    role.responsibilities.create(text="Added by an editor.", position=3)
    role.role_skills.get(skill__slug="python").delete()
    role.sources.remove(Source.objects.get(slug="ilo-isco-08"))
    role.salary_bands.filter(experience_min_years=0).update(maximum=900_000)
    role.salary_bands.filter(experience_min_years=10).delete()
    role.salary_figures.filter(measure="average").update(note="", level="junior")
    role.higher_paying_locations.filter(location__slug="delhi").update(position=0)
    role.collaborations.filter(collaborator__slug="qa-analyst").update(note="Edited.")
    stub = Role.objects.get(slug="qa-analyst")
    stub.overview = "Written by an editor."
    stub.isco_08 = "2519"
    stub.save()
    stub.faqs.create(question="New?", answer="Yes.")
    Location.objects.filter(slug="india").update(parent=Location.objects.get(slug="asia"))
    Location.objects.filter(slug="delhi").update(parent=Location.objects.get(slug="mumbai"))
    Skill.objects.filter(slug="python").update(description="", kind=Skill.Kind.TOOL)
    Source.objects.filter(slug="ilo-isco-08").update(url="", year=None)
    Source.objects.filter(slug="tap-academy-backend-developer-2023").update(
        url="https://example.org/"
    )
    RoleFamily.objects.filter(slug="design").update(description="")
    assert catalogue_state() != exported

    load_catalogue(directory=tmp_path / "backup", update=True)

    assert catalogue_state() == exported
    role.refresh_from_db()
    assert role.overview.startswith("Backend developers look after the server side")
    assert not role.responsibilities.filter(text="Added by an editor.").exists()
    assert role.role_skills.filter(skill__slug="python").exists()
    assert Location.objects.get(slug="india").parent is None
    export_catalogue(directory=tmp_path / "again")
    assert files_in(tmp_path / "again") == files_in(tmp_path / "backup")


# Completeness -----------------------------------------------------------------------------


def test_every_model_of_the_catalogue_apps_is_exported():
    models = {
        model
        for label in ("roles", "skills", "salaries")
        for model in apps.get_app_config(label).get_models()
    }
    assert models == set(FILE_KEYS) | set(MODELS_NOT_IN_FILES)


@pytest.mark.parametrize("model", list(FILE_KEYS), ids=lambda model: model.__name__)
def test_every_field_is_exported_or_left_out_on_purpose(model):
    """A field added to a model fails here until the files hold it (FILE_KEYS in
    catalogue/files/format.py, which the export writes and the loader reads) or NOT_IN_FILES
    says why they need not."""
    fields = {field.name for field in model._meta.concrete_fields}
    fields |= {field.name for field in model._meta.many_to_many}
    assert file_fields(model) == fields - set(NOT_IN_FILES)
    assert not file_fields(model) & set(NOT_IN_FILES)


# Demo data --------------------------------------------------------------------------------


def test_demo_data_is_left_out(catalogue, tmp_path):
    export_catalogue(directory=tmp_path / "before")
    generate_demo_data(roles=3, seed=1)
    assert Role.objects.filter(is_demo=True).exists()
    export_catalogue(directory=tmp_path / "after")
    assert files_in(tmp_path / "after") == files_in(tmp_path / "before")


def link_role_to_demo_family(role, demo):
    Role.objects.filter(pk=role.pk).update(family=demo["family"])
    return demo["family"]


def link_role_to_demo_source(role, demo):
    role.sources.add(demo["source"])
    return demo["source"]


def link_role_to_demo_skill(role, demo):
    RoleSkillFactory(role=role, skill=demo["skill"])
    return demo["skill"]


def link_role_to_demo_collaborator(role, demo):
    CollaborationFactory(role=role, collaborator=demo["role"])
    return demo["role"]


def put_band_in_demo_location(role, demo):
    role.salary_bands.filter(experience_min_years=0).update(location=demo["location"])
    return demo["location"]


def cite_demo_source_for_figure(role, demo):
    role.salary_figures.filter(measure="average").update(source=demo["source"])
    return demo["source"]


def name_demo_higher_paying_location(role, demo):
    role.higher_paying_locations.filter(location__slug="delhi").update(location=demo["location"])
    return demo["location"]


@pytest.mark.parametrize(
    "link",
    [
        link_role_to_demo_family,
        link_role_to_demo_source,
        link_role_to_demo_skill,
        link_role_to_demo_collaborator,
        put_band_in_demo_location,
        cite_demo_source_for_figure,
        name_demo_higher_paying_location,
    ],
)
def test_a_real_role_linked_to_demo_data_is_refused_naming_both(catalogue, tmp_path, link):
    generate_demo_data(roles=2, seed=1)
    demo = {
        "family": RoleFamily.objects.filter(is_demo=True).first(),
        "source": Source.objects.filter(is_demo=True).first(),
        "skill": Skill.objects.filter(is_demo=True).first(),
        "role": Role.objects.filter(is_demo=True).first(),
        "location": Location.objects.filter(is_demo=True).first(),
    }
    demo_record = link(Role.objects.get(slug="backend-developer"), demo)

    expected = (
        f"Role 'backend-developer' refers to the demo {demo_record._meta.verbose_name} "
        f"'{demo_record.slug}'"
    )
    with pytest.raises(CatalogueError, match=re.escape(expected)):
        export_catalogue(directory=tmp_path / "export")
    assert not (tmp_path / "export").exists()  # checked before anything is written


def test_a_real_location_inside_a_demo_location_is_refused(catalogue, tmp_path):
    generate_demo_data(roles=1, seed=1)
    demo_place = Location.objects.filter(is_demo=True).first()
    Location.objects.filter(slug="delhi").update(parent=demo_place)

    with pytest.raises(CatalogueError, match=f"Location 'delhi' refers to .*'{demo_place.slug}'"):
        export_catalogue(directory=tmp_path)
    assert files_in(tmp_path) == {}


# Files ------------------------------------------------------------------------------------


def test_role_files_of_roles_no_longer_in_the_database_are_removed(catalogue, tmp_path):
    (tmp_path / "roles").mkdir()
    (tmp_path / "roles" / "deleted-role.yaml").write_text("slug: deleted-role\n")
    (tmp_path / "roles" / "notes.txt").write_text("Not a role file.\n")
    (tmp_path / "README.md").write_text("Ours.\n")

    report = export_catalogue(directory=tmp_path)

    role_files = {path.name for path in (tmp_path / "roles").iterdir()}
    slugs = Role.objects.values_list("slug", flat=True)
    assert role_files == {f"{slug}.yaml" for slug in slugs} | {"notes.txt"}
    assert (tmp_path / "README.md").read_text() == "Ours.\n"
    assert report.removed == ["roles/deleted-role.yaml"]
    # No temporary files left behind.
    assert not [path for path in tmp_path.rglob("*") if path.name.startswith(".")]


def test_an_unchanged_database_exports_byte_identical_files(rich_catalogue, tmp_path):
    export_catalogue(directory=tmp_path / "one")
    export_catalogue(directory=tmp_path / "two")
    export_catalogue(directory=tmp_path / "one")  # over its own earlier export
    assert files_in(tmp_path / "one") == files_in(tmp_path / "two")


def test_a_catalogue_without_records_exports_files_that_load(db, tmp_path):
    export_catalogue(directory=tmp_path)
    assert files_in(tmp_path)["skills.yaml"] == (EXPORT_HEADER + "\n[]\n").encode()
    report = load_catalogue(directory=tmp_path)
    assert not report.created


# Queries ----------------------------------------------------------------------------------


def export_queries(directory) -> int:
    with CaptureQueriesContext(connection) as queries:
        export_catalogue(directory=directory)
    return sum(1 for query in queries if "SAVEPOINT" not in query["sql"])


def test_the_export_runs_a_fixed_number_of_queries(catalogue, tmp_path):
    shipped = export_queries(tmp_path / "shipped")

    family = RoleFamily.objects.first()
    source = Source.objects.first()
    city = Location.objects.get(slug="mumbai")
    skills = list(Skill.objects.all()[:3])
    previous = Role.objects.get(slug="backend-developer")
    for number in range(20):
        role = RoleFactory(family=family, slug=f"extra-{number}", title=f"Extra {number}")
        role.sources.add(source)
        ResponsibilityFactory(role=role)
        FrequentlyAskedQuestionFactory(role=role)
        for skill in skills:
            RoleSkillFactory(role=role, skill=skill)
        CollaborationFactory(role=role, collaborator=previous)
        SalaryBandFactory(role=role, location=city, source=source)
        SalaryFigureFactory(role=role, location=city, source=source)
        HigherPayingLocationFactory(role=role, location=city, source=source)
        previous = role

    assert export_queries(tmp_path / "more") == shipped <= 13
    assert len(list((tmp_path / "more" / "roles").iterdir())) == Role.objects.count()


# The command ------------------------------------------------------------------------------


def test_the_command_writes_the_catalogue_and_says_what_it_wrote(catalogue, tmp_path):
    directory = tmp_path / "backups" / "catalogue"  # created, parents too
    out = StringIO()
    call_command("export_catalogue", str(directory), stdout=out)

    output = out.getvalue()
    assert "families.yaml: 5 role families" in output
    assert f"skills.yaml: {Skill.objects.count()} skills" in output
    assert "roles/: 7 roles" in output
    assert f"Catalogue exported to {directory}." in output
    assert len(list((directory / "roles").glob("*.yaml"))) == 7
    assert set(files_in(directory)) >= SHARED_FILES


def test_the_command_needs_a_directory():
    with pytest.raises(CommandError, match="directory"):
        call_command("export_catalogue")


def test_the_command_refuses_a_link_to_demo_data_with_a_clear_message(catalogue, tmp_path):
    generate_demo_data(roles=1, seed=1)
    demo_skill = Skill.objects.filter(is_demo=True).first()
    RoleSkillFactory(role=Role.objects.get(slug="backend-developer"), skill=demo_skill)

    expected = (
        f"Export failed: Role 'backend-developer' refers to the demo skill '{demo_skill.slug}' "
        f"(in role skills)"
    )
    with pytest.raises(CommandError, match=re.escape(expected)):
        call_command("export_catalogue", str(tmp_path / "export"))
    assert not (tmp_path / "export").exists()


def test_the_command_reports_a_directory_it_cannot_write(catalogue, tmp_path):
    (tmp_path / "a-file").write_text("")
    with pytest.raises(CommandError, match="Could not write the catalogue"):
        call_command("export_catalogue", str(tmp_path / "a-file"))


@pytest.mark.django_db(transaction=True)
def test_the_command_reads_one_snapshot_outside_a_transaction(catalogue, tmp_path):
    # Outside a transaction the export opens its own, REPEATABLE READ (as in production);
    # tests otherwise run inside one, where that path is skipped.
    assert not connection.in_atomic_block
    call_command("export_catalogue", str(tmp_path / "alone"), stdout=StringIO())
    with transaction.atomic():
        export_catalogue(directory=tmp_path / "inside")
    assert files_in(tmp_path / "alone") == files_in(tmp_path / "inside")
