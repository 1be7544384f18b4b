from django.contrib.auth.management import create_permissions
from django.db import migrations

MANAGER_PERMISSIONS = [
    "add_certificatetemplate",
    "change_certificatetemplate",
    "view_certificatetemplate",
    "add_workshop",
    "change_workshop",
    "view_workshop",
    "view_certificate",
    "change_certificate",
]


def create_default_template(apps, schema_editor):
    CertificateTemplate = apps.get_model("certificates", "CertificateTemplate")
    CertificateTemplate.objects.get_or_create(
        name="Default",
        defaults={
            "issuer_en": "Alliance Teachers Forum",
            "issuer_ur": "الائنس ٹیچرز فورم",
        },
    )


def grant_programme_managers(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now.
    app_config = apps.get_app_config("certificates")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    managers, _ = Group.objects.get_or_create(name="Programme managers")
    managers.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="certificates", codename__in=MANAGER_PERMISSIONS
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0001_certificates_templates_workshops_and_audit_log"),
        ("accounts", "0002_groups_provinces_and_districts"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_default_template, migrations.RunPython.noop),
        migrations.RunPython(grant_programme_managers, migrations.RunPython.noop),
    ]
