"""Create the "Editors" group: staff who edit catalogue content but not users or permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from roles.permissions import EDITORS_GROUP, sync_editors_group


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations run; create them now so the
    # group can be given them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    sync_editors_group(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
        using=schema_editor.connection.alias,
    )


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("roles", "0001_initial"),
        ("skills", "0001_initial"),
        ("salaries", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
