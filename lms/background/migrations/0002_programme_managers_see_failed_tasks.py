from django.contrib.auth.management import create_permissions
from django.db import migrations

# "view" to see failed tasks, "change" to retry one.
MANAGER_PERMISSIONS = ["view_dbtaskresult", "change_dbtaskresult"]


def grant_programme_managers(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now.
    app_config = apps.get_app_config("django_tasks_database")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    managers, _ = Group.objects.get_or_create(name="Programme managers")
    managers.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="django_tasks_database",
            codename__in=MANAGER_PERMISSIONS,
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("background", "0001_worker_heartbeats"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
        ("accounts", "0002_groups_provinces_and_districts"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(grant_programme_managers, migrations.RunPython.noop),
    ]
