from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jobsite import backup


class Command(BaseCommand):
    help = (
        "Back up the whole database (catalogue, history, users, sessions) to FILE with "
        "pg_dump, in its custom format. Works for the embedded server and for DATABASE_URL. "
        "Restore with `restore_database FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", type=Path, help="File to write, e.g. backups/jobsite-2025-01-31.dump."
        )
        parser.add_argument("--force", action="store_true", help="Replace FILE if it exists.")

    def handle(self, *args, file, force, **options):
        if file.exists() and not force:
            raise CommandError(
                f"{file} already exists. Choose another name, or give --force to replace it."
            )
        try:
            backup.dump(file)
        except backup.BackupError as error:
            raise CommandError(f"Nothing was backed up. {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {backup.describe_database()} to {file} ({file.stat().st_size:,} bytes)."
            )
        )
