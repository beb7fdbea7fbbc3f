import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalogue.esco import EscoError, import_esco
from roles.models import Role


class Command(BaseCommand):
    help = (
        "Import the ESCO classification (occupations, skills, ISCO-08 groups and their "
        "links) from PATH: a folder holding ESCO's CSV download, zipped or extracted. "
        "Safe to repeat: editors' changes are kept, and a repeat on the same files changes "
        "nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="Folder holding ESCO's zips or CSV files.")
        parser.add_argument(
            "--status",
            choices=Role.Status.values,
            default=Role.Status.PUBLISHED,
            help="Status of the roles the import creates (default: published, as ESCO is "
            "reviewed content; draft to review them first).",
        )
        parser.add_argument(
            "--esco-version",
            help="ESCO's version, when the file names do not give it (e.g. 1.1.1).",
        )

    def handle(self, *args, path, status, esco_version, **options):
        progress = options["verbosity"] > 0 and sys.stderr.isatty()
        try:
            report = import_esco(
                path, version=esco_version, new_role_status=status, progress=progress
            )
        except EscoError as error:
            raise CommandError(f"Nothing was imported: {error}") from error
        for line in report.lines():
            self.stdout.write(line)
