"""Give every existing H5P activity the programme whose lessons play it, or
else its uploader's one programme. An activity neither tells stays without one:
site-wide, for administrators only."""

import json
import re

from django.db import migrations

STEP = 4  # treebeard's path step for Wagtail pages
PROGRAMME_DEPTH = 3  # root, home, programme
TAG = re.compile(r"<(?:embed|a)\\b[^>]*>")
ATTRIBUTE = re.compile(r'([a-z_-]+)="([^"]*)"')


def _referenced_ids(content, keys):
    """Ids a page revision names under ``keys`` (a StreamField block's or a
    field's), and in rich text embeds and links: {kind: {id, ...}}."""
    found = {kind: set() for kind in set(keys.values())}

    def walk(value):
        if isinstance(value, str):
            if value[:1] == "[":
                try:
                    walk(json.loads(value))
                except ValueError:
                    pass
            for tag in TAG.findall(value):
                attributes = dict(ATTRIBUTE.findall(tag))
                kind = keys.get(
                    attributes.get("embedtype") or attributes.get("linktype")
                )
                if kind and attributes.get("id", "").isdigit():
                    found[kind].add(int(attributes["id"]))
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key in keys and isinstance(item, int):
                    found[keys[key]].add(item)
                else:
                    walk(item)

    walk(content)
    return found


def _programme_references(page_model, keys, programme_path):
    """{kind: {id: {programme path, ...}}} from every page's latest revision:
    the reference index may not be built yet (a task fills it)."""
    found = {kind: {} for kind in set(keys.values())}
    for path, content in page_model.objects.filter(
        depth__gt=PROGRAMME_DEPTH, latest_revision__isnull=False
    ).values_list("path", "latest_revision__content"):
        owner = programme_path(path)
        if owner is None:
            continue
        for kind, ids in _referenced_ids(content, keys).items():
            for object_id in ids:
                found[kind].setdefault(object_id, set()).add(owner)
    return found


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
    in_revisions = _programme_references(
        Page,
        {"activity": "h5p"},
        lambda path: path[: STEP * PROGRAMME_DEPTH],
    )["h5p"]
    for activity in H5PActivity.objects.filter(programme__isnull=True):
        paths = set(in_revisions.get(activity.pk, ()))
        if activity_type is not None and page_type is not None:
            page_ids = ReferenceIndex.objects.filter(
                base_content_type=page_type,
                to_content_type=activity_type,
                to_object_id=str(activity.pk),
            ).values_list("object_id", flat=True)
            paths |= {
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
