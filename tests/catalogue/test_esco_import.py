"""import_esco on a miniature ESCO in ESCO's exact format (tests/catalogue/esco_miniature.py):
what it creates, what a repeat and a newer version change, what it leaves to editors, and
how it refuses bad files without writing anything."""

import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from catalogue.esco import EscoError, import_esco
from catalogue.files import load_catalogue
from catalogue.models import ImportRun
from jobsite.models import CatalogueRevision
from roles.models import Role, RoleFamily, Source
from skills.models import RoleSkill, Skill, SkillGroup
from tests.catalogue import esco_miniature as mini
from tests.catalogue.esco_miniature import dataset, write_miniature


def counts():
    return {
        "families": RoleFamily.objects.exclude(code="").count(),
        "roles": Role.objects.exclude(esco_uri="").count(),
        "skills": Skill.objects.exclude(esco_uri="").count(),
        "groups": SkillGroup.objects.count(),
        "links": RoleSkill.objects.count(),
        "runs": ImportRun.objects.count(),
    }


def role(uri) -> Role:
    return Role.objects.get(esco_uri=uri)


def skill(uri) -> Skill:
    return Skill.objects.get(esco_uri=uri)


def replaced(rows, uri, **values):
    """``rows`` with the row of ``uri`` changed."""
    for row in rows:
        if row["conceptUri"] == uri:
            row.update(values)
    return rows


# What a first import makes -------------------------------------------------------------------


def test_imports_every_concept_and_link_and_skips_links_to_missing_occupations(esco_miniature):
    relations = dataset("OCCUPATION_SKILL_RELATIONS")
    missing = [r for r in relations if r["occupationUri"] == mini.MISSING_OCCUPATION_URI]
    assert counts() == {
        "families": len(mini.ISCO_GROUPS),
        "roles": len(mini.OCCUPATIONS),
        "skills": len(mini.SKILLS),
        "groups": len(mini.SKILL_GROUPS),
        "links": len(relations) - len(missing),
        "runs": 1,
    }
    links = esco_miniature.counts["occupation–skill links"]
    assert (links.created, links.skipped) == (len(relations) - len(missing), len(missing))


def test_isco_groups_become_a_four_level_family_tree(esco_miniature):
    unit = RoleFamily.objects.get(code="2512")
    assert [family.code for family in RoleFamily.objects.isco_path("2512")] == [
        "2",
        "25",
        "251",
        "2512",
    ]
    assert unit.parent.code == "251" and unit.parent.parent.parent.code == "2"
    assert unit.esco_uri == mini.ISCO_2512_URI and unit.isco_level == "Unit group"


def test_an_occupation_becomes_a_published_role_with_its_codes_titles_and_place(esco_miniature):
    developer = role(mini.SOFTWARE_DEVELOPER_URI)
    assert developer.title == "software developer"
    assert developer.status == Role.Status.PUBLISHED
    assert (developer.family.code, developer.isco_08, developer.esco_code) == (
        "2512",
        "2512",
        "2512.4",
    )
    # Every alternative title, one per line, without the preferred one repeated.
    assert "programmer" in developer.also_called
    assert "software engineer" in developer.also_called
    assert developer.title not in developer.also_called
    assert developer.overview and developer.summary in developer.overview
    assert developer.esco_modified_at.year == 2016
    assert role(mini.WEB_DEVELOPER_URI).broader == developer
    assert developer.sources.get().slug == "esco-v1-1-1"


def test_an_occupation_listing_its_own_title_among_its_alternatives_lists_it_once(esco_miniature):
    app = role(mini.SMARTPHONE_APP_DEVELOPER_URI)
    assert app.title not in app.also_called
    assert len(app.also_called) == len(set(app.also_called))


def test_skills_keep_type_reuse_level_alternatives_and_groups(esco_miniature):
    python = skill(mini.PYTHON_URI)
    assert python.name == "Python (computer programming)"
    assert (python.kind, python.esco_type, python.reuse_level) == (
        Skill.Kind.KNOWLEDGE,
        "knowledge",
        "sector-specific",
    )
    assert "Python" in python.also_called
    assert skill(mini.TEAMWORK_URI).kind == Skill.Kind.TRANSVERSAL
    assert skill(mini.SOFTWARE_PROTOTYPES_URI).kind == Skill.Kind.COMPETENCE
    assert {group.esco_uri for group in skill(mini.SOFTWARE_PROTOTYPES_URI).groups.all()} == {
        mini.PROGRAMMING_GROUP_URI
    }
    assert list(skill(mini.GIT_URI).broader_skills.all()) == [skill(mini.VERSION_CONTROL_URI)]
    # The quirk: a skill ESCO gives no type or reuse level is still a skill.
    untyped = skill(mini.DIGITAL_BASICS_URI)
    assert (untyped.esco_type, untyped.reuse_level, untyped.kind) == (
        "",
        "",
        Skill.Kind.COMPETENCE,
    )


def test_essential_links_are_required_and_optional_preferred_required_first(esco_miniature):
    developer = role(mini.SOFTWARE_DEVELOPER_URI)
    by_importance = {link.skill.esco_uri: link.importance for link in developer.role_skills.all()}
    wanted = {
        row["skillUri"]: "required" if row["relationType"] == "essential" else "preferred"
        for row in dataset("OCCUPATION_SKILL_RELATIONS")
        if row["occupationUri"] == mini.SOFTWARE_DEVELOPER_URI
    }
    assert by_importance == wanted
    in_order = [link.importance for link in developer.role_skills.all()]
    assert in_order == sorted(in_order, key=lambda importance: importance != "required")


def test_search_vectors_hold_alternative_titles(esco_miniature):
    from catalogue.search import search

    assert role(mini.SOFTWARE_DEVELOPER_URI) in search("programmer").roles
    assert role(mini.ICT_APPLICATION_DEVELOPER_URI) in search("app developer").roles
    assert skill(mini.PYTHON_URI) in search("Python").skills


def test_extracted_csvs_import_as_the_zips_do(db, tmp_path):
    import_esco(write_miniature(tmp_path, zipped=False), version="1.1.1")
    assert counts()["roles"] == len(mini.OCCUPATIONS)


def test_status_draft_makes_new_roles_drafts(db, tmp_path):
    import_esco(write_miniature(tmp_path), new_role_status=Role.Status.DRAFT)
    assert set(Role.objects.values_list("status", flat=True)) == {Role.Status.DRAFT}


def test_an_import_marks_the_catalogue_changed_for_cached_pages(db, tmp_path):
    before = CatalogueRevision.objects.get().number
    import_esco(write_miniature(tmp_path))
    assert CatalogueRevision.objects.get().number > before


# Repeats and newer versions ------------------------------------------------------------------


def test_a_repeat_on_the_same_files_changes_nothing_and_says_so(esco_miniature, tmp_path):
    before = list(Role.objects.values_list("pk", "title", "updated_at", "status"))
    revision = CatalogueRevision.objects.get().number
    report = import_esco(write_miniature(tmp_path / "again"))
    assert not report.run.changed_anything
    assert "Nothing changed" in report.lines()[-1]
    assert list(Role.objects.values_list("pk", "title", "updated_at", "status")) == before
    assert CatalogueRevision.objects.get().number == revision
    assert report.counts["occupations"].unchanged == len(mini.OCCUPATIONS)
    assert ImportRun.objects.count() == 2


def test_the_run_records_version_checksums_counts_and_who(esco_miniature):
    run = ImportRun.objects.get()
    assert run.esco_version == "1.1.1"
    assert set(run.checksums) == {mini.CLASSIFICATION_ZIP, mini.RELATIONS_ZIP}
    assert all(len(digest) == 64 for digest in run.checksums.values())
    assert run.counts["occupations"]["created"] == len(mini.OCCUPATIONS)
    assert run.run_by and run.finished_at >= run.started_at


def newer(tmp_path, **changes):
    """The miniature as a later ESCO version with ``changes``."""
    folder = tmp_path / "newer"
    write_miniature(folder, **changes)
    for path in folder.iterdir():
        path.rename(path.with_name(path.name.replace("v1.1.1", "v1.2.0")))
    return folder


def test_a_newer_version_updates_what_changed(esco_miniature, tmp_path):
    occupations = replaced(
        dataset("OCCUPATIONS"),
        mini.SOFTWARE_DEVELOPER_URI,
        description="Software developers write and test programs. A new sentence.",
    )
    report = import_esco(newer(tmp_path, OCCUPATIONS=occupations))
    developer = role(mini.SOFTWARE_DEVELOPER_URI)
    assert developer.overview.endswith("A new sentence.")
    assert developer.esco_version == "1.2.0"
    assert report.counts["occupations"].updated == len(mini.OCCUPATIONS)  # each is now 1.2.0
    assert developer.sources.get().slug == "esco-v1-2-0"


def test_an_editors_change_survives_a_newer_version_and_is_reported(esco_miniature, tmp_path):
    Role.objects.filter(esco_uri=mini.SOFTWARE_DEVELOPER_URI).update(
        overview="Our own overview, written by an editor."
    )
    occupations = replaced(
        dataset("OCCUPATIONS"),
        mini.SOFTWARE_DEVELOPER_URI,
        description="ESCO's rewritten description.",
        preferredLabel="software developer (renamed)",
    )
    report = import_esco(newer(tmp_path, OCCUPATIONS=occupations))
    developer = role(mini.SOFTWARE_DEVELOPER_URI)
    assert developer.overview == "Our own overview, written by an editor."
    # The field the editor left as imported follows ESCO.
    assert developer.title == "software developer (renamed)"
    assert report.counts["occupations"].left_alone == 1
    assert any("overview" in entry for entry in report.left_alone)
    assert ImportRun.objects.latest().left_alone == report.left_alone


def test_an_editors_importance_survives_and_an_untouched_link_follows_esco(
    esco_miniature, tmp_path
):
    developer = role(mini.SOFTWARE_DEVELOPER_URI)
    python = developer.role_skills.get(skill__esco_uri=mini.PYTHON_URI)
    python.importance = RoleSkill.Importance.PREFERRED  # an editor demotes it
    python.save()
    relations = dataset("OCCUPATION_SKILL_RELATIONS")
    for row in relations:
        if row["occupationUri"] == mini.SOFTWARE_DEVELOPER_URI and row["skillUri"] in (
            mini.PYTHON_URI,
            mini.SQL_URI,
        ):
            row["relationType"] = "essential"
    import_esco(newer(tmp_path, OCCUPATION_SKILL_RELATIONS=relations))
    links = {link.skill.esco_uri: link.importance for link in developer.role_skills.all()}
    assert links[mini.PYTHON_URI] == RoleSkill.Importance.PREFERRED
    assert links[mini.SQL_URI] == RoleSkill.Importance.REQUIRED


def test_a_link_esco_drops_is_removed_and_an_editors_own_link_kept(esco_miniature, tmp_path):
    developer = role(mini.SOFTWARE_DEVELOPER_URI)
    RoleSkill.objects.create(role=developer, skill=skill(mini.WEB_LAYOUTS_URI), position=99)
    relations = [
        row
        for row in dataset("OCCUPATION_SKILL_RELATIONS")
        if not (
            row["occupationUri"] == mini.SOFTWARE_DEVELOPER_URI and row["skillUri"] == mini.SQL_URI
        )
    ]
    report = import_esco(newer(tmp_path, OCCUPATION_SKILL_RELATIONS=relations))
    uris = set(developer.role_skills.values_list("skill__esco_uri", flat=True))
    assert mini.SQL_URI not in uris and mini.WEB_LAYOUTS_URI in uris
    assert report.counts["occupation–skill links"].removed == 1


def test_concepts_a_newer_version_lacks_are_retired_and_their_roles_archived(
    esco_miniature, tmp_path
):
    occupations = [
        row for row in dataset("OCCUPATIONS") if row["conceptUri"] != mini.HELP_DESK_OPERATOR_URI
    ]
    relations = [
        row
        for row in dataset("OCCUPATION_SKILL_RELATIONS")
        if row["occupationUri"] != mini.HELP_DESK_OPERATOR_URI
    ]
    skills = [row for row in dataset("SKILLS") if row["conceptUri"] != mini.SPREADSHEETS_URI]
    relations = [row for row in relations if row["skillUri"] != mini.SPREADSHEETS_URI]
    report = import_esco(
        newer(
            tmp_path, OCCUPATIONS=occupations, OCCUPATION_SKILL_RELATIONS=relations, SKILLS=skills
        )
    )
    gone = role(mini.HELP_DESK_OPERATOR_URI)  # kept, never deleted
    assert (gone.status, gone.esco_retired_in) == (Role.Status.ARCHIVED, "1.2.0")
    assert skill(mini.SPREADSHEETS_URI).esco_retired_in == "1.2.0"
    assert report.counts["occupations"].retired == 1 and report.counts["skills"].retired == 1


# Hand-written content and ESCO: one record per concept -------------------------------------


def test_a_content_skill_naming_an_esco_uri_is_linked_and_keeps_its_text(db, tmp_path):
    handwritten = Skill.objects.create(
        name="Python", slug="python", kind=Skill.Kind.PROGRAMMING_LANGUAGE, esco_uri=mini.PYTHON_URI
    )
    import_esco(write_miniature(tmp_path))
    handwritten.refresh_from_db()
    assert (handwritten.name, handwritten.kind) == ("Python", Skill.Kind.PROGRAMMING_LANGUAGE)
    assert (handwritten.esco_version, handwritten.esco_type) == ("1.1.1", "knowledge")
    assert Skill.objects.filter(esco_uri=mini.PYTHON_URI).count() == 1
    assert role(mini.SOFTWARE_DEVELOPER_URI).role_skills.filter(skill=handwritten).exists()


def test_the_shipped_content_loaded_after_esco_reuses_esco_skills(db, tmp_path):
    """The real content names real ESCO URIs; here the miniature's Python stands in."""
    import_esco(write_miniature(tmp_path))
    Skill.objects.filter(esco_uri=mini.PYTHON_URI).update(
        esco_uri="http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
    )
    report = load_catalogue()
    backend = Role.objects.get(slug="backend-developer")
    python = backend.role_skills.get(skill__name__startswith="Python").skill
    assert python.esco_uri.endswith("ccd0a1d9-afda-43d9-b901-96344886e14d")
    assert Skill.objects.filter(name__startswith="Python").count() == 1
    # The real software developer is not in the miniature: the link waits, and says so.
    assert backend.broader is None
    assert any("f2b15a0e" in line for line in report.lines())


def test_an_export_leaves_out_what_the_import_made(esco_miniature, tmp_path):
    from catalogue.files import export_catalogue

    export_catalogue(directory=tmp_path / "export")
    written = "".join(path.read_text() for path in (tmp_path / "export").rglob("*.yaml"))
    assert "software developer" not in written
    assert "Python (computer programming)" not in written


# Bad input: a clear message naming the file and line, and nothing written ------------------


def assert_refused(directory, *message_parts, version="1.1.1"):
    before = counts()
    with pytest.raises(EscoError) as refused:
        import_esco(directory, version=version)
    for part in message_parts:
        assert part in str(refused.value)
    assert counts() == before
    return str(refused.value)


def test_a_missing_file_is_named(db, tmp_path):
    write_miniature(tmp_path, zipped=False)
    (tmp_path / "skills_en.csv").unlink()
    assert_refused(tmp_path, "skills_en.csv")


def test_a_missing_column_is_named(db, tmp_path):
    write_miniature(tmp_path, zipped=False)
    path = tmp_path / "occupations_en.csv"
    path.write_text(path.read_text().replace("iscoGroup", "iscoGruppe", 1), newline="")
    assert_refused(tmp_path, "occupations_en.csv", "line 1", "iscoGroup")


def test_text_that_is_not_utf8_is_refused_with_its_line(db, tmp_path):
    write_miniature(tmp_path, zipped=False)
    path = tmp_path / "skills_en.csv"
    data = path.read_bytes()
    second_record = data.index(b"\r\nKnowledgeSkillCompetence") + 2
    path.write_bytes(data[:second_record] + b"\xff\xfe" + data[second_record:])
    message = assert_refused(tmp_path, "skills_en.csv", "UTF-8")
    assert "line" in message


def test_a_truncated_zip_is_refused(db, tmp_path):
    write_miniature(tmp_path)
    path = tmp_path / mini.RELATIONS_ZIP
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert_refused(tmp_path, mini.RELATIONS_ZIP)


def test_a_damaged_member_is_refused_and_nothing_written(db, tmp_path):
    """The zip's directory is intact but a member's data is corrupt: found while reading."""
    write_miniature(tmp_path)
    path = tmp_path / mini.RELATIONS_ZIP
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("occupationSkillRelations.csv")
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + 20
    data[start : start + 40] = b"\x00" * 40
    path.write_bytes(bytes(data))
    assert_refused(tmp_path, "occupationSkillRelations.csv")


def test_an_unknown_relation_type_names_the_line(db, tmp_path):
    relations = dataset("OCCUPATION_SKILL_RELATIONS")
    relations[2]["relationType"] = "vital"
    write_miniature(tmp_path, OCCUPATION_SKILL_RELATIONS=relations)
    assert_refused(tmp_path, "occupationSkillRelations.csv", "line 4", "vital")


def test_an_occupation_in_an_unknown_isco_group_names_the_line(db, tmp_path):
    occupations = dataset("OCCUPATIONS")
    occupations[0]["iscoGroup"] = "9999"
    write_miniature(tmp_path, OCCUPATIONS=occupations)
    assert_refused(tmp_path, "occupations_en.csv", "line 2", "9999")


def test_a_failure_late_in_the_import_rolls_back_everything_before_it(db, tmp_path):
    relations = dataset("OCCUPATION_SKILL_RELATIONS")
    relations[-1]["relationType"] = ""
    write_miniature(tmp_path, OCCUPATION_SKILL_RELATIONS=relations)
    assert_refused(tmp_path, "occupationSkillRelations.csv")
    assert not Role.objects.exists() and not Source.objects.exists()


def test_files_without_a_version_in_their_names_need_one_given(db, tmp_path):
    write_miniature(tmp_path / "download", zipped=False)
    assert_refused(tmp_path / "download", "--esco-version", version=None)
    report = import_esco(tmp_path / "download", version="1.1.1")
    assert report.run.esco_version == "1.1.1"


def test_a_folder_that_does_not_exist_is_named(db, tmp_path):
    assert_refused(tmp_path / "nowhere", "nowhere")


# The command ---------------------------------------------------------------------------------


def test_the_command_reports_counts_and_a_repeat(db, tmp_path):
    folder = write_miniature(tmp_path)
    first, second = StringIO(), StringIO()
    call_command("import_esco", str(folder), stdout=first)
    call_command("import_esco", str(folder), stdout=second)
    assert "occupations: 6 created" in first.getvalue()
    assert "Nothing changed" in second.getvalue()


def test_the_command_refuses_bad_files_without_a_traceback(db, tmp_path):
    with pytest.raises(CommandError, match="Nothing was imported: .*is not a directory"):
        call_command("import_esco", str(tmp_path / "nowhere"))


def test_a_skill_esco_renames_is_found_by_its_new_name_in_the_roles_needing_it(
    esco_miniature, tmp_path
):
    from catalogue.search import search

    """Same version, so no role changes of its own: only the renamed skill reaches its roles."""
    skills = replaced(dataset("SKILLS"), mini.GIT_URI, preferredLabel="Zorblax version tracking")
    report = import_esco(write_miniature(tmp_path / "renamed", SKILLS=skills))
    assert report.counts["occupations"].updated == 0
    assert role(mini.SOFTWARE_DEVELOPER_URI) in search("zorblax").roles
