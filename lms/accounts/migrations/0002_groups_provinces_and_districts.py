"""Create the four staff and learner groups, and Pakistan's provinces and districts."""

import json
from pathlib import Path

from django.db import migrations

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "pakistan_districts.json"
GROUPS = ["Learners", "Trainers", "Reviewers", "Programme managers"]
ADMIN_GROUPS = ["Trainers", "Reviewers", "Programme managers"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    admin_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailadmin", model="admin"
    )
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        if name in ADMIN_GROUPS:
            group.permissions.add(access_admin)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


def load_places(apps, schema_editor):
    Province = apps.get_model("accounts", "Province")
    District = apps.get_model("accounts", "District")
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    for entry in data["provinces"]:
        province, _ = Province.objects.update_or_create(
            code=entry["code"],
            defaults={"name_en": entry["name_en"], "name_ur": entry["name_ur"]},
        )
        for district in entry["districts"]:
            District.objects.update_or_create(
                code=district["code"],
                defaults={
                    "province": province,
                    "name_en": district["name_en"],
                    "name_ur": district["name_ur"],
                },
            )


def remove_places(apps, schema_editor):
    apps.get_model("accounts", "District").objects.all().delete()
    apps.get_model("accounts", "Province").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_groups, remove_groups),
        migrations.RunPython(load_places, remove_places),
    ]
