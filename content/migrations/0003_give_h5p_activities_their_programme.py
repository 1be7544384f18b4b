"""Give every existing H5P activity the programme whose lessons play it, or
else its uploader's one programme. An activity neither tells stays without one:
site-wide, for administrators only."""

from django.db import migrations

STEP = 4  # treebeard's path step for Wagtail pages
PROGRAMME_DEPTH = 3  # root, home, programme


def _one(pages):
    keys = {page.translation_key: page for page in pages}
    return next(iter(keys.values())) if len(keys) == 1 else None


def forwards(apps, schema_editor):
    H5PActivity = apps.get_model("content", "H5PActivity")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    ContentType = apps.get_model("contenttypes", "ContentType")
    activity_type = ContentType.objects.filter(
        app_label="content", model="h5pactivity"
    ).first()
    page_type = ContentType.objects.filter(
        app_label="wagtailcore", model="page"
    ).first()
    for activity in H5PActivity.objects.filter(programme__isnull=True):
        programme = None
        if activity_type is not None and page_type is not None:
            page_ids = ReferenceIndex.objects.filter(
                base_content_type=page_type,
                to_content_type=activity_type,
                to_object_id=str(activity.pk),
            ).values_list("object_id", flat=True)
            paths = {
                path[: STEP * PROGRAMME_DEPTH]
                for path in Page.objects.filter(
                    pk__in=[int(pk) for pk in page_ids if pk.isdigit()],
                    depth__gte=PROGRAMME_DEPTH,
                ).values_list("path", flat=True)
            }
            programme = _one(Page.objects.filter(path__in=paths))
        if programme is None and activity.uploaded_by_id:
            programme = _one(
                Page.objects.filter(
                    depth=PROGRAMME_DEPTH,
                    pk__in=GroupPagePermission.objects.filter(
                        group__user=activity.uploaded_by_id
                    ).values("page"),
                )
            )
        if programme is not None:
            activity.programme = programme
            activity.save(update_fields=["programme"])


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0002_h5p_activity_programme"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
