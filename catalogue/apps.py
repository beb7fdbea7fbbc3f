from django.apps import AppConfig
from django.db.models.signals import post_migrate

# The content apps this app sits above, in the order their models depend on each other.
CATALOGUE_APPS = ("roles", "skills", "salaries")


def _sync_editorial_groups(sender, using, **kwargs):
    from .permissions import sync_editorial_groups

    if sender.label in CATALOGUE_APPS:  # after Django has made this app's permissions
        sync_editorial_groups(app_labels=CATALOGUE_APPS, using=using)


class CatalogueConfig(AppConfig):
    """What spans the content apps: the catalogue files, demo data, search, the pages that
    read all three apps, history, editors' permissions and the admin every content page
    shares, and the ESCO importer with its record of import runs."""

    name = "catalogue"

    def ready(self):
        from .history import register_history
        from .invalidation import invalidate_pages_on_changes_to

        # Before the admin's pages are made (INSTALLED_APPS lists this app first): reversion's
        # admin would otherwise register each model itself, without a role's rows.
        register_history(CATALOGUE_APPS)
        invalidate_pages_on_changes_to(CATALOGUE_APPS)
        post_migrate.connect(_sync_editorial_groups, dispatch_uid="catalogue.sync_editorial_groups")
