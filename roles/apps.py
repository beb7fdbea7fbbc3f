from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_editors_group(sender, using, **kwargs):
    from django.contrib.auth.models import Group, Permission

    from .permissions import CATALOGUE_APPS, sync_editors_group

    if sender.label in CATALOGUE_APPS:  # after Django has made this app's permissions
        sync_editors_group(group_model=Group, permission_model=Permission, using=using)


class RolesConfig(AppConfig):
    name = "roles"

    def ready(self):
        post_migrate.connect(_sync_editors_group, dispatch_uid="roles.sync_editors_group")
