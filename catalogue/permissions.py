"""The editorial groups, and exactly what each may do (roles.review has the workflow):

- "Editors" edit catalogue content and submit roles for review: every permission of the
  content apps except publishing roles (``roles.publish_role``) and except writing review
  events (the workflow writes those), and the view permissions of ``EDITORS_MAY_VIEW``.
- "Reviewers" may do what editors may, and publish, archive and send back roles.

The groups are made by a migration (roles 0007) and kept exact after every migrate (and test
flush), so that a model added later is editable by editors without another step."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db.models import Q

EDITORS_GROUP = "Editors"
REVIEWERS_GROUP = "Reviewers"
# Records editors read but never change, as app label and model name: each ESCO import's
# record says which of their edits it left alone; a role's review steps, which its page shows.
EDITORS_MAY_VIEW = [("catalogue", "importrun"), ("roles", "reviewevent")]
# What only a reviewer may do, as app label and codename.
PUBLISH_ROLES = ("roles", "publish_role")


def group_permissions(permission_model, *, app_labels) -> dict:
    """Each editorial group's name and its permissions, as a queryset of ``permission_model``
    (the historical model in a migration, the current one otherwise)."""
    view_only, viewable = Q(), Q()
    for label, model in EDITORS_MAY_VIEW:
        view_only |= Q(content_type__app_label=label, content_type__model=model)
        viewable |= Q(content_type__app_label=label, codename=f"view_{model}")
    content = Q(content_type__app_label__in=app_labels) & ~view_only
    publish = Q(content_type__app_label=PUBLISH_ROLES[0], codename=PUBLISH_ROLES[1])
    permissions = permission_model.objects
    return {
        EDITORS_GROUP: permissions.filter((content & ~publish) | viewable),
        REVIEWERS_GROUP: permissions.filter(content | viewable),
    }


def sync_editorial_groups(*, app_labels, using: str = "default", apps=global_apps) -> None:
    """Give the Editors and Reviewers groups exactly the permissions ``group_permissions``
    says, for the models of ``app_labels`` (the content apps, catalogue.apps.CATALOGUE_APPS).

    The permissions are made first: Django makes them after migrate too, and its handler may
    not have reached every app yet."""
    labels = [*app_labels, *(label for label, _ in EDITORS_MAY_VIEW)]
    for label in dict.fromkeys(labels):
        app_config = apps.get_app_config(label)
        if apps is not global_apps:
            # A migration's app configs have no models module, which create_permissions
            # takes to mean "no models".
            app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, permissions in group_permissions(permission_model, app_labels=app_labels).items():
        group, _ = group_model.objects.using(using).get_or_create(name=name)
        group.permissions.set(permissions.using(using))
