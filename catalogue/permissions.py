"""The "Editors" group: staff who edit catalogue content, and nothing else."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

EDITORS_GROUP = "Editors"


def sync_editors_group(*, app_labels, using: str = "default") -> None:
    """Give the Editors group exactly the permissions of the models of ``app_labels`` (the
    content apps, catalogue.apps.CATALOGUE_APPS).

    Run after every migrate (and test flush), so that a model added later is editable by
    editors without another step. The permissions are made first: Django makes them after
    migrate too, and its handler may not have reached every content app yet."""
    for label in app_labels:
        create_permissions(apps.get_app_config(label), verbosity=0, using=using)
    group, _ = Group.objects.using(using).get_or_create(name=EDITORS_GROUP)
    group.permissions.set(
        Permission.objects.using(using).filter(content_type__app_label__in=app_labels)
    )
