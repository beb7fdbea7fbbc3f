import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from tqdm import tqdm

from catalogue.demo import DemoDataError, clear_demo_data, generate_demo_data


class Command(BaseCommand):
    help = (
        "Create a synthetic demo catalogue of N published roles (about 30 skills and 4-12 "
        "salary bands each, across demo cities), marked as demo data: names end in "
        "'(demo)', slugs start with 'demo-'. The same --seed gives the same data. "
        "Refuses to run while demo data exists: --clear removes it (and only it) first; "
        "--clear without --roles just removes it. Content that is not demo data is never "
        "touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("--roles", type=int, help="How many demo roles to create (e.g. 10000).")
        parser.add_argument(
            "--seed", type=int, default=1, help="Seed for the random choices (default: 1)."
        )
        parser.add_argument(
            "--clear",
            action="store_true",
            help="Delete the existing demo data first (alone: delete it and stop).",
        )
        parser.add_argument(
            "--no-progress",
            action="store_true",
            help="No progress bar (it is also off when stderr is not a terminal).",
        )

    def handle(self, *args, roles, seed, clear, no_progress, verbosity, **options):
        if roles is None and not clear:
            raise CommandError("Say how many roles to create with --roles N (or use --clear).")
        try:
            # One transaction: a replacement (--clear --roles N) happens entirely or not at all.
            with transaction.atomic():
                if clear:
                    self._report("Deleted", clear_demo_data(), verbosity)
                if roles is not None:
                    show_progress = not no_progress and verbosity > 0 and sys.stderr.isatty()
                    with tqdm(
                        total=roles,
                        desc="Demo roles",
                        unit="role",
                        file=sys.stderr,
                        disable=not show_progress,
                    ) as bar:
                        report = generate_demo_data(roles=roles, seed=seed, progress=bar.update)
                    self._report("Created", report, verbosity)
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        except IntegrityError as error:
            raise CommandError(
                f"Nothing was written: a demo slug or name is already taken ({error})."
            ) from error

    def _report(self, verb, report, verbosity):
        if verbosity == 0:
            return
        for line in report.lines():
            self.stdout.write(f"  {line}")
        total = sum(report.counts.values())
        self.stdout.write(self.style.SUCCESS(f"{verb} {total} rows of demo data."))
