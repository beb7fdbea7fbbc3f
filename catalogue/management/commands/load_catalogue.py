from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalogue.files import DEFAULT_DIRECTORY, CatalogueError, load_catalogue


class Command(BaseCommand):
    help = (
        "Load the catalogue content (roles, skills, salaries) from the YAML files in "
        "content/. Creates what is missing; records already in the database are kept "
        "as editors left them unless --update is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            type=Path,
            default=DEFAULT_DIRECTORY,
            help=f"Folder holding the catalogue files (default: {DEFAULT_DIRECTORY}).",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Overwrite records that already exist with the files' content.",
        )

    def handle(self, *args, directory, update, **options):
        try:
            report = load_catalogue(directory=directory, update=update)
        except CatalogueError as error:
            raise CommandError(f"Nothing was loaded: {error}") from error
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Catalogue loaded."))
