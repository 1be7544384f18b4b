"""Give every programme its own collection, grant its trainers that collection
instead of the root, and move the images and documents each programme uses
there. Files no single programme uses stay in the root (administrators only)."""

from collections import defaultdict

from django.conf import settings
from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEP = 4  # treebeard's path step for Wagtail collections
PROGRAMME_DEPTH = 3  # root, home, programme


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
    programmes = list(ProgrammePage.objects.order_by("pk"))
    if root is None or not programmes:
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
                key_of_path[path[: STEP * PROGRAMME_DEPTH]]
                for path in paths
                if path[: STEP * PROGRAMME_DEPTH] in key_of_path
            )
            if key is None and item.uploaded_by_user_id:
                key = _one_owner(user_keys.get(item.uploaded_by_user_id, ()))
            if key is not None:
                item.collection = collections[key]
                item.save(update_fields=["collection"])


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0005_programme_collections"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
