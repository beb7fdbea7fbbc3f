from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from jobsite import backup


class Command(BaseCommand):
    help = (
        "Replace the whole database (catalogue, history, users, sessions) with a backup made "
        "by backup_database or `pg_dump -Fc`, in one transaction: if it fails, nothing "
        "changes. Asks first unless --no-input is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Backup file to restore.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, file, interactive, **options):
        if not file.is_file():
            raise CommandError(f"Nothing was restored: there is no backup file at {file}.")
        database = backup.describe_database()
        if interactive:
            answer = input(
                f"This replaces everything in {database} (catalogue, history, users and "
                f"sessions) with the contents of {file}.\n"
                "Type 'yes' to continue, or 'no' to cancel: "
            )
            if answer.strip().lower() != "yes":
                self.stdout.write("Restore cancelled; nothing was changed.")
                return
        try:
            backup.restore(file)
        except backup.BackupError as error:
            raise CommandError(f"Nothing was restored. {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Restored {file} into {database}."))
        # A backup from older code lacks the newer migrations; the site needs them.
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write(
                self.style.WARNING(
                    "The backup predates some migrations: run `manage.py migrate` now."
                )
            )
