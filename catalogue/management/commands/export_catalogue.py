from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalogue.files import CatalogueError, export_catalogue


class Command(BaseCommand):
    help = (
        "Write the whole catalogue (all but the demo data) to DIRECTORY in the format that "
        "load_catalogue reads: families.yaml, locations.yaml, sources.yaml, skills.yaml and "
        "roles/<slug>.yaml. The same database gives identical files. Role files in "
        "DIRECTORY/roles that name no role in the database are removed. Restore with "
        "`load_catalogue --directory DIRECTORY --update`."
    )

    def add_arguments(self, parser):
        # Required, with no default: exporting over the hand-written content/ must be asked
        # for by name.
        parser.add_argument(
            "directory",
            type=Path,
            help="Folder to write to (created if missing), e.g. backups/catalogue.",
        )

    def handle(self, *args, directory, **options):
        try:
            report = export_catalogue(directory=directory)
        except CatalogueError as error:
            raise CommandError(f"Export failed: {error}") from error
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Catalogue exported to {directory}."))
