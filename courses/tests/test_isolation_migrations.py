"""The data migrations that give existing rows their programme."""

from __future__ import annotations

import importlib
import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from wagtail.images import get_image_model
from wagtail.models import Collection, GroupCollectionPermission

from content.models import H5PActivity
from content.services import import_h5p_package
from content.tests import h5p_builders
from courses import authoring
from courses.models import ProgrammeCollection, ProgrammePage

from .packages_builders import png_bytes

pytestmark = pytest.mark.django_db


def run(app: str, name: str) -> None:
    importlib.import_module(f"{app}.migrations.{name}").forwards(apps, None)


@pytest.fixture
def legacy_site(home_page, make_learner):
    """Two programmes as the old code left them: trainers granted the root
    collection, files in the root, an H5P activity with no programme."""
    from django.core.files.images import ImageFile

    made = {}
    root = Collection.get_first_root_node()
    add_image = Permission.objects.get(
        content_type__app_label="wagtailimages", codename="add_image"
    )
    for title, slug, audience in (
        ("NTTP", "nttp", ProgrammePage.Audience.TEACHERS),
        ("Lecturer PD", "pd", ProgrammePage.Audience.LECTURERS),
    ):
        programme = authoring.create_programme(
            home_page, title, slug, audience=audience
        )
        group = Group.objects.create(name=f"{title} trainers")
        authoring.grant_programme_to_group(programme, group)
        made[slug] = (programme, group)
    # Undo what today's grant does, as the old one did not.
    ProgrammeCollection.objects.all().delete()
    Collection.objects.exclude(pk=root.pk).delete()
    for _programme, group in made.values():
        GroupCollectionPermission.objects.create(
            group=group, collection=root, permission=add_image
        )
    pd, pd_group = made["pd"]
    uploader = make_learner()
    uploader.groups.add(pd_group)
    course = authoring.create_course(pd, "PD course", "pd-course")
    used = get_image_model().objects.create(
        title="Used in PD",
        file=ImageFile(io.BytesIO(png_bytes()), name="used.png"),
        collection=root,
    )
    uploaded = get_image_model().objects.create(
        title="Uploaded by a PD trainer",
        file=ImageFile(io.BytesIO(png_bytes()), name="up.png"),
        collection=root,
        uploaded_by_user=uploader,
    )
    orphan = get_image_model().objects.create(
        title="Nobody's",
        file=ImageFile(io.BytesIO(png_bytes()), name="no.png"),
        collection=root,
    )
    activity = import_h5p_package(h5p_builders.build_activity_package())
    authoring.create_lesson(
        course,
        "Lesson",
        "lesson",
        body=[
            ("image", {"image": used, "alt_text": "x", "caption": ""}),
            ("h5p", {"activity": activity, "requirement": "none"}),
        ],
    )
    return made, used, uploaded, orphan, activity


def test_existing_files_and_grants_move_to_their_programmes_collection(legacy_site):
    made, used, uploaded, orphan, _activity = legacy_site
    root = Collection.get_first_root_node()

    run("courses", "0009_move_media_into_programme_collections")

    pd, pd_group = made["pd"]
    nttp, nttp_group = made["nttp"]
    pd_collection = authoring.programme_collection(pd)
    nttp_collection = authoring.programme_collection(nttp)
    assert pd_collection != nttp_collection
    assert pd_collection.get_parent() == root
    for image in (used, uploaded):
        image.refresh_from_db()
        assert image.collection == pd_collection
    orphan.refresh_from_db()
    assert orphan.collection == root
    assert not GroupCollectionPermission.objects.filter(
        collection=root, group__in=[pd_group, nttp_group]
    ).exists()
    assert GroupCollectionPermission.objects.filter(
        group=pd_group, collection=pd_collection
    ).exists()
    assert not GroupCollectionPermission.objects.filter(
        group=nttp_group, collection=pd_collection
    ).exists()
    # Run again: nothing more is made or moved.
    collections = Collection.objects.count()
    run("courses", "0009_move_media_into_programme_collections")
    assert Collection.objects.count() == collections


def test_an_existing_h5p_activity_gets_the_programme_whose_lesson_plays_it(
    legacy_site,
):
    made, *_files, activity = legacy_site
    H5PActivity.objects.filter(pk=activity.pk).update(programme=None)

    run("content", "0003_give_h5p_activities_their_programme")

    activity.refresh_from_db()
    assert activity.programme_id == made["pd"][0].pk
