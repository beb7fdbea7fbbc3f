"""Backups of the whole database with PostgreSQL's own pg_dump and pg_restore, for the
embedded server and for DATABASE_URL alike (README.md, "Backup and restore").

The tools reach the database exactly as Django does: the embedded server's socket folder and
port are known only once Django has connected (they are chosen when the server starts), and
a DATABASE_URL's password and TLS settings are handed over the way `manage.py dbshell` hands
them to psql, in the environment, never on a command line that `ps` would show."""

import contextlib
import os
import subprocess
import tempfile
import warnings
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.postgresql.client import DatabaseClient
from django.db.models import F, Value
from django.db.models.functions import Greatest

from .cache import bump_catalogue_version

# pg_restore replaces what the archive holds, all in one transaction, so a failure half-way
# leaves the database as it was. Ownership and grants are left out: they name roles of the
# server the backup came from, which need not exist on this one (the embedded server has
# only "postgres"; a DATABASE_URL server has its own), and the restoring user should own
# what it restores.
RESTORE_OPTIONS = [
    "--clean",
    "--if-exists",
    "--no-owner",
    "--no-privileges",
    "--single-transaction",
]


class BackupError(Exception):
    """A backup or restore that could not be made, with a message for whoever ran it."""


def program(name: str) -> str:
    """The path of a PostgreSQL client program (pg_dump, pg_restore).

    pgserver's own build by default: it is installed wherever Jobsite is (it is a
    dependency even with DATABASE_URL), it is exactly the embedded server's version, and
    pg_dump dumps any server of its own major version or older, so it also serves Debian's
    PostgreSQL 15 used in CI. A pg_dump found on PATH could be older than the server, which
    it refuses. For a server newer than pgserver's, name that release's bin folder in
    POSTGRES_BIN_DIR."""
    folder = settings.POSTGRES_BIN_DIR
    if folder:
        path = Path(folder) / name
        where = f"{folder} (POSTGRES_BIN_DIR)"
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs, as in embedded_postgres.server
            from pgserver._commands import POSTGRES_BIN_PATH
        path = POSTGRES_BIN_PATH / name
        where = f"pgserver's folder {POSTGRES_BIN_PATH}"
    if not path.is_file():
        raise BackupError(f"There is no {name} in {where}.")
    return str(path)


def describe_database(using: str = DEFAULT_DB_ALIAS) -> str:
    """Which database a backup or restore works on, for messages and the confirmation."""
    settings_dict = connections[using].settings_dict
    if settings_dict["ENGINE"] == "jobsite.embedded_postgres":
        return f"{settings_dict['NAME']} on the embedded server in {settings.EMBEDDED_POSTGRES_DIR}"
    host = settings_dict.get("HOST") or "localhost"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"{settings_dict['NAME']} on {host}{port}"


def dump(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Write the whole database to ``path`` in pg_dump's custom format (compressed, read by
    pg_restore), replacing any file there.

    pg_dump writes to a new file beside ``path`` that takes its name only once complete, so
    a failed backup never leaves a truncated file in place of a good one. Backups hold
    password hashes and sessions, so the file is readable by its owner only."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, partial = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".partial"
        )
        os.close(descriptor)
    except OSError as error:
        raise BackupError(f"Could not write in {path.parent}: {error}") from error
    try:
        _run("pg_dump", ["--format=custom", f"--file={partial}"], using=using)
        os.replace(partial, path)
    except OSError as error:
        raise BackupError(f"Could not write {path}: {error}") from error
    finally:
        Path(partial).unlink(missing_ok=True)


def restore(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Replace the database's content with the backup at ``path`` (from `dump` or plain
    ``pg_dump -Fc``), then move the catalogue revision past any number this database has
    had."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    revision_before = _catalogue_revision(using)
    _run("pg_restore", [*RESTORE_OPTIONS, str(path)], using=using)
    _move_catalogue_revision_past(revision_before, using)


def _run(name: str, arguments: list[str], *, using: str) -> None:
    connection = connections[using]
    try:
        # Also what keeps the embedded server up while the tool runs: it stops only when
        # the last process that connected to it exits.
        connection.ensure_connection()
    except DatabaseError as error:
        raise BackupError(f"Could not connect to the database: {error}") from error
    params = connection.get_connection_params()
    settings_dict = {
        **connection.settings_dict,
        # The embedded backend supplies these only when it connects.
        "HOST": params.get("host", ""),
        "PORT": params.get("port", ""),
        "USER": params.get("user", ""),
    }
    # Django's helper ends the arguments with the database name; after --dbname it is read
    # as such by both tools (pg_restore's one positional argument is the archive).
    # --no-password: fail with a message rather than wait for a password nobody will type.
    connection_arguments, environment = DatabaseClient.settings_to_cmd_args_env(
        settings_dict, ["--no-password", "--dbname"]
    )
    command = [program(name), *connection_arguments[1:], *arguments]
    try:
        result = subprocess.run(
            command,
            env={**os.environ, **(environment or {})},
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as error:
        raise BackupError(f"Could not run {command[0]}: {error}") from error
    if result.returncode != 0:
        message = f"{name} failed (exit status {result.returncode}):\n{result.stderr.strip()}"
        if "version mismatch" in result.stderr:  # a server newer than the tools
            message += "\nSet POSTGRES_BIN_DIR to the bin folder of the server's release."
        raise BackupError(message)


def _catalogue_revision(using: str) -> int:
    from .models import CatalogueRevision

    try:
        number = (
            CatalogueRevision.objects.using(using)
            .filter(pk=1)
            .values_list("number", flat=True)
            .first()
        )
    except DatabaseError:  # restoring into an empty database, not yet migrated
        return 0
    return number or 0


def _move_catalogue_revision_past(number_before: int, using: str) -> None:
    """What is built once per catalogue revision (the spelling vocabulary, catalogue/spelling.py)
    is keyed by its number, and the restored number is the one the backup was taken at: what
    was built since then under that number and the ones after it describes content the
    restore has just replaced. So the revision moves past both the restored number and the
    one this database had; and every cached page, showing what was replaced, goes stale."""
    from .models import CatalogueRevision

    # Not there in a backup from before the table existed; `migrate` adds it.
    with contextlib.suppress(DatabaseError):
        CatalogueRevision.objects.using(using).filter(pk=1).update(
            number=Greatest(F("number"), Value(number_before))
        )
        bump_catalogue_version(using=using)  # one past both
