"""The "Editors" group: staff who edit catalogue content, and nothing else."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

EDITORS_GROUP = "Editors"
# Records editors read but never change, as app label and model name: each ESCO import's
# record says which of their edits it left alone.
EDITORS_MAY_VIEW = [("catalogue", "importrun")]


def sync_editors_group(*, app_labels, using: str = "default") -> None:
    """Give the Editors group exactly the permissions of the models of ``app_labels`` (the
    content apps, catalogue.apps.CATALOGUE_APPS), and the view permissions of
    ``EDITORS_MAY_VIEW``.

    Run after every migrate (and test flush), so that a model added later is editable by
    editors without another step. The permissions are made first: Django makes them after
    migrate too, and its handler may not have reached every app yet."""
    for label in dict.fromkeys([*app_labels, *(label for label, _ in EDITORS_MAY_VIEW)]):
        create_permissions(apps.get_app_config(label), verbosity=0, using=using)
    viewable = Q()
    for label, model in EDITORS_MAY_VIEW:
        viewable |= Q(content_type__app_label=label, codename=f"view_{model}")
    group, _ = Group.objects.using(using).get_or_create(name=EDITORS_GROUP)
    group.permissions.set(
        Permission.objects.using(using).filter(Q(content_type__app_label__in=app_labels) | viewable)
    )
