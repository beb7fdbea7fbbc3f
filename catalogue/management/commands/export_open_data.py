from pathlib import Path

from django.core.management.base import BaseCommand

from catalogue.open_data import TABLES, export_open_data


class Command(BaseCommand):
    help = (
        "Write the published catalogue to DIRECTORY as open data: "
        + ", ".join(f"{table.name}.jsonl and .csv" for table in TABLES)
        + ", and NOTICE.txt (ESCO's attribution and the sources of the figures). Streamed: "
        "read and written a chunk at a time. For loading back, use export_catalogue."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="Folder to write to (created if missing).")

    def handle(self, *args, directory, **options):
        counts = export_open_data(directory)
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count} rows")
        self.stdout.write(self.style.SUCCESS(f"Open data written to {directory}."))
