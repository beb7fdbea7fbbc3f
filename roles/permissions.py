"""The "Editors" group: staff who edit catalogue content, and nothing else."""

EDITORS_GROUP = "Editors"
CATALOGUE_APPS = ("roles", "skills", "salaries")


def sync_editors_group(*, group_model, permission_model, using="default"):
    """Give the Editors group exactly the permissions of the catalogue apps' models.

    Run by the migration that creates the group and again after every migrate (and test
    flush), so that a model added later is editable by editors without another step."""
    group, _ = group_model.objects.using(using).get_or_create(name=EDITORS_GROUP)
    group.permissions.set(
        permission_model.objects.using(using).filter(content_type__app_label__in=CATALOGUE_APPS)
    )
