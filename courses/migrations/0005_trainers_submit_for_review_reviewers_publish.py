"""Review is the only way live: trainers' groups lose "publish" on their
programmes; Reviewers and Programme managers may publish anywhere.

Trainers' groups are found by what ``courses.authoring.grant_programme_to_group``
gave them: page permissions on programme pages. Only their "publish" rows go;
their "add" and "change" stay, so they keep writing and submitting for review.
"""

from django.db import migrations

REVIEWERS = "Reviewers"
MANAGERS = "Programme managers"
PUBLISHERS = {
    REVIEWERS: ["change_page", "publish_page"],
    MANAGERS: ["add_page", "change_page", "publish_page"],
}


def _page_permission(apps, codename):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    page_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="page"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=page_type,
        codename=codename,
        defaults={"name": f"Can {codename.replace('_page', '')} page"},
    )
    return permission


def review_is_the_only_way_live(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Page = apps.get_model("wagtailcore", "Page")
    ContentType = apps.get_model("contenttypes", "ContentType")
    programme_type = ContentType.objects.filter(
        app_label="courses", model="programmepage"
    ).first()
    if programme_type is not None:
        GroupPagePermission.objects.filter(
            page__content_type=programme_type,
            permission=_page_permission(apps, "publish_page"),
        ).exclude(group__name__in=PUBLISHERS).delete()
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    for name, codenames in PUBLISHERS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root, permission=_page_permission(apps, codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0004_course_licence_attribution_and_package_imports"),
        ("accounts", "0002_groups_provinces_and_districts"),
        ("wagtailcore", "0090_remove_grouppagepermission_permission_type"),
    ]

    operations = [
        migrations.RunPython(review_is_the_only_way_live, migrations.RunPython.noop),
    ]
