"""Give every programme its own collection, grant its trainers that collection
instead of the root, and move the images and documents each programme uses
there. Files no single programme uses stay in the root (administrators only)."""

import json
import re
from collections import defaultdict

from django.conf import settings
from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEP = 4  # treebeard's path step for Wagtail collections
PROGRAMME_DEPTH = 3  # root, home, programme
TAG = re.compile(r"<(?:embed|a)\\b[^>]*>")
ATTRIBUTE = re.compile(r'([a-z_-]+)="([^"]*)"')


def _step(number: int) -> str:
    digits = ""
    while number:
        number, remainder = divmod(number, len(ALPHABET))
        digits = ALPHABET[remainder] + digits
    return digits.rjust(STEP, "0")


def _add_child_collection(collection_model, root, name):
    last = (
        collection_model.objects.filter(
            path__startswith=root.path, depth=root.depth + 1
        )
        .order_by("-path")
        .first()
    )
    number = int(last.path[-STEP:], 36) + 1 if last else 1
    child = collection_model.objects.create(
        name=name, path=root.path + _step(number), depth=root.depth + 1, numchild=0
    )
    root.numchild += 1
    root.save(update_fields=["numchild"])
    return child


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


def _one_owner(keys):
    keys = set(keys)
    return keys.pop() if len(keys) == 1 else None


def forwards(apps, schema_editor):
    ProgrammePage = apps.get_model("courses", "ProgrammePage")
    ProgrammeCollection = apps.get_model("courses", "ProgrammeCollection")
    Collection = apps.get_model("wagtailcore", "Collection")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Image = apps.get_model("wagtailimages", "Image")
    Document = apps.get_model("wagtaildocs", "Document")
    Group = apps.get_model("auth", "Group")

    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    # Wagtail's own migrations gave every admin group "choose" on the root, so
    # the generic trainers' role group saw every file; trainers now choose
    # from their programmes' collections only.
    GroupCollectionPermission.objects.filter(
        group__name="Trainers", collection=root
    ).delete()

    programmes = list(ProgrammePage.objects.order_by("pk"))
    if not programmes:
        return
    key_of_path = {page.path: page.translation_key for page in programmes}
    titles = {}
    for page in programmes:
        titles.setdefault(page.translation_key, page.title)
    collections = {}
    for key, title in titles.items():
        link = ProgrammeCollection.objects.filter(programme_key=key).first()
        if link is None:
            link = ProgrammeCollection.objects.create(
                programme_key=key,
                collection=_add_child_collection(Collection, root, title[:255]),
            )
        collections[key] = Collection.objects.get(pk=link.collection_id)

    # Trainers' groups: their root-collection permissions move to the collection
    # of each programme they hold page permissions on.
    group_keys = defaultdict(set)
    for group_id, path in GroupPagePermission.objects.filter(
        page__path__in=list(key_of_path)
    ).values_list("group_id", "page__path"):
        group_keys[group_id].add(key_of_path[path])
    for group_id, keys in group_keys.items():
        root_permissions = list(
            GroupCollectionPermission.objects.filter(group_id=group_id, collection=root)
        )
        for key in keys:
            for permission in root_permissions:
                GroupCollectionPermission.objects.get_or_create(
                    group_id=group_id,
                    collection=collections[key],
                    permission_id=permission.permission_id,
                )
        GroupCollectionPermission.objects.filter(
            pk__in=[p.pk for p in root_permissions]
        ).delete()

    # Files: the one programme whose pages use them, else their uploader's one
    # programme.
    page_type = ContentType.objects.filter(
        app_label="wagtailcore", model="page"
    ).first()
    user_keys = defaultdict(set)
    for group_id, user_id in Group.objects.filter(pk__in=list(group_keys)).values_list(
        "pk", "user"
    ):
        if user_id is not None:
            user_keys[user_id] |= group_keys[group_id]
    in_revisions = _programme_references(
        Page,
        {
            "image": "image",
            "cover_image": "image",
            "document": "document",
        },
        lambda path: key_of_path.get(path[: STEP * PROGRAMME_DEPTH]),
    )
    for model, model_name, app_label in (
        (Image, "image", "wagtailimages"),
        (Document, "document", "wagtaildocs"),
    ):
        file_type = ContentType.objects.filter(
            app_label=app_label, model=model_name
        ).first()
        for item in model.objects.filter(collection=root):
            using_pages = []
            if file_type is not None and page_type is not None:
                using_pages = ReferenceIndex.objects.filter(
                    base_content_type=page_type,
                    to_content_type=file_type,
                    to_object_id=str(item.pk),
                ).values_list("object_id", flat=True)
            paths = Page.objects.filter(
                pk__in=[int(pk) for pk in using_pages if pk.isdigit()]
            ).values_list("path", flat=True)
            key = _one_owner(
                {
                    key_of_path[path[: STEP * PROGRAMME_DEPTH]]
                    for path in paths
                    if path[: STEP * PROGRAMME_DEPTH] in key_of_path
                }
                | in_revisions[model_name].get(item.pk, set())
            )
            if key is None and item.uploaded_by_user_id:
                key = _one_owner(user_keys.get(item.uploaded_by_user_id, ()))
            if key is not None:
                item.collection = collections[key]
                item.save(update_fields=["collection"])


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0008_programme_collections"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("accounts", "0002_groups_provinces_and_districts"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
