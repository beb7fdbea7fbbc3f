from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_revision_row(sender, using, **kwargs):
    from .models import CatalogueRevision

    # After migrate, and after a test run flushes every table.
    CatalogueRevision.ensure_exists(using=using)


class JobsiteConfig(AppConfig):
    """Site-wide plumbing, including the catalogue revision behind page caching."""

    name = "jobsite"

    def ready(self):
        post_migrate.connect(_ensure_revision_row, sender=self, dispatch_uid="jobsite.revision")
