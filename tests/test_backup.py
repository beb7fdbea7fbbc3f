"""Backups: backup_database and restore_database carry the whole database through pg_dump
and pg_restore, on the embedded server and through DATABASE_URL (CI runs both)."""

import contextlib
import stat
from io import StringIO

import psycopg
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql
from reversion.models import Version

from catalogue.files import load_catalogue
from jobsite.cache import current_revision
from roles.models import Role
from salaries.models import SalaryBand
from skills.models import RoleSkill, Skill


@pytest.fixture
def scratch_database(transactional_db):
    """An empty database on the test server to restore into: restoring over the test
    database would pull it from under the test's own connection."""
    name = f"{connection.settings_dict['NAME']}_restore"
    server = {**connection.get_connection_params(), "dbname": "postgres", "autocommit": True}
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(**server) as admin:
        admin.execute(drop)  # left over from an interrupted run
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with psycopg.connect(**server) as admin:
        admin.execute(drop)


@contextlib.contextmanager
def connected_to(database_name):
    """Point Django's default connection, and so the commands, at another database."""
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = database_name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original


def site_content():
    return {
        "roles": sorted(Role.objects.values_list("slug", "status")),
        "skills": sorted(Skill.objects.values_list("slug", flat=True)),
        "role skills": RoleSkill.objects.count(),
        "backend band minimums": list(
            SalaryBand.objects.filter(role__slug="backend-developer")
            .order_by("experience_min_years")
            .values_list("minimum", flat=True)
        ),
        "history": Version.objects.count(),
        "users": list(get_user_model().objects.values_list("username", "password")),
    }


def test_a_backup_restores_into_an_empty_database(scratch_database, tmp_path):
    load_catalogue()
    get_user_model().objects.create_user("asha", password="a long editor password")
    content = site_content()
    assert content["backend band minimums"] == [300_000, 500_000, 1_000_000, 2_500_000]
    assert content["history"] > 0
    revision, _ = current_revision()
    archive = tmp_path / "backups" / "jobsite.dump"

    call_command("backup_database", str(archive), stdout=StringIO())

    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # it holds password hashes
    assert list(archive.parent.iterdir()) == [archive]  # no partial file left behind
    with connected_to(scratch_database):
        output = StringIO()
        call_command("restore_database", str(archive), "--no-input", stdout=output)
        assert "Restored" in output.getvalue()
        assert "migrate" not in output.getvalue()
        assert site_content() == content
        # Pages cached under the backup's revision number must not be served again.
        assert current_revision()[0] == revision + 1

        # Restoring again (over content) never reuses a number this database has had.
        call_command("restore_database", str(archive), "--no-input", stdout=StringIO())
        assert current_revision()[0] == revision + 2
        assert site_content() == content


def test_a_backup_does_not_overwrite_a_file_unless_forced(tmp_path):
    archive = tmp_path / "jobsite.dump"
    archive.write_text("yesterday's backup")

    with pytest.raises(CommandError, match="already exists.*--force"):
        call_command("backup_database", str(archive))
    assert archive.read_text() == "yesterday's backup"


@pytest.mark.django_db
def test_a_forced_backup_replaces_the_file(tmp_path):
    archive = tmp_path / "jobsite.dump"
    archive.write_text("yesterday's backup")

    call_command("backup_database", str(archive), "--force", stdout=StringIO())

    assert archive.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format


def test_restoring_a_missing_file_says_so(tmp_path):
    with pytest.raises(CommandError, match="there is no backup file at .*missing.dump"):
        call_command("restore_database", str(tmp_path / "missing.dump"), "--no-input")


@pytest.mark.django_db
def test_restoring_a_file_that_is_not_a_backup_gives_pg_restores_reason(tmp_path):
    garbage = tmp_path / "notes.txt"
    garbage.write_text("not a backup")
    revision = current_revision()[0]

    with pytest.raises(CommandError, match="(?s)Nothing was restored.*not .*a valid archive"):
        call_command("restore_database", str(garbage), "--no-input")
    assert current_revision()[0] == revision


@pytest.mark.django_db
def test_restore_asks_first_and_answering_no_changes_nothing(tmp_path, monkeypatch):
    # Not a backup: had the restore gone ahead, pg_restore would have failed loudly.
    garbage = tmp_path / "notes.txt"
    garbage.write_text("not a backup")
    prompts = []
    monkeypatch.setattr("builtins.input", lambda prompt: prompts.append(prompt) or "no")
    revision = current_revision()[0]
    output = StringIO()

    call_command("restore_database", str(garbage), stdout=output)

    assert "replaces everything" in prompts[0]
    assert "cancelled" in output.getvalue()
    assert current_revision()[0] == revision


@pytest.mark.django_db
def test_restore_goes_ahead_when_the_answer_is_yes(tmp_path, monkeypatch):
    garbage = tmp_path / "notes.txt"
    garbage.write_text("not a backup")
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")

    with pytest.raises(CommandError, match="not .*a valid archive"):
        call_command("restore_database", str(garbage))


@pytest.mark.django_db
def test_a_missing_tool_is_reported_not_raised(tmp_path, settings):
    settings.POSTGRES_BIN_DIR = str(tmp_path)

    with pytest.raises(CommandError, match="no pg_dump in .*POSTGRES_BIN_DIR"):
        call_command("backup_database", str(tmp_path / "jobsite.dump"))
    assert not (tmp_path / "jobsite.dump").exists()
