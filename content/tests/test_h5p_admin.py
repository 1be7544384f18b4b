"""Trainers upload H5P packages in the Wagtail admin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from content.models import H5PActivity
from content.services import import_h5p_package

from . import h5p_builders as builders
from .conftest import row_counts, stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(make_learner, home_page):
    from courses import authoring
    from courses.models import ProgrammePage
    from lms.accounts.services import TRAINERS_GROUP

    programme = authoring.create_programme(
        home_page, "NTTP", "nttp", audience=ProgrammePage.Audience.TEACHERS
    )
    group, _created = Group.objects.get_or_create(name=TRAINERS_GROUP)
    authoring.grant_programme_to_group(programme, group)
    user = make_learner()
    user.groups.add(group)
    return user


def upload(client, package, name="activity.h5p"):
    return client.post(
        reverse("wagtailsnippets_content_h5pactivity:add"),
        {"package": SimpleUploadedFile(name, package.getvalue())},
        follow=True,
    )


def test_a_trainer_uploads_a_package_and_sees_it_listed(client, trainer):
    # Its library is installed already (here by the site, from the command line).
    import_h5p_package(builders.build_activity_package())
    client.force_login(trainer)

    response = upload(client, builders.build_activity_package())

    assert H5PActivity.objects.filter(uploaded_by=trainer).count() == 1
    assert response.redirect_chain[-1][0] == reverse(
        "wagtailsnippets_content_h5pactivity:list"
    )
    assert "Alliance test activity" in response.content.decode()


def test_a_refused_package_shows_the_validators_message_and_leaves_nothing(
    client, trainer
):
    client.force_login(trainer)

    response = upload(client, builders.build_package_with_php_file())

    assert response.status_code == 200
    page = response.content.decode()
    assert "content/images/shell.php" in page
    assert "not allowed" in page
    assert row_counts() == {"libraries": 0, "activities": 0, "statements": 0}
    assert stored_files() == []


def test_the_snippet_add_view_is_the_upload_form(client, trainer):
    client.force_login(trainer)

    listing = client.get(reverse("wagtailsnippets_content_h5pactivity:list"))
    add = client.get(reverse("wagtailsnippets_content_h5pactivity:add"))

    assert (
        reverse("wagtailsnippets_content_h5pactivity:add") in listing.content.decode()
    )
    assert add.status_code == 200
    assert 'type="file"' in add.content.decode()
    assert 'enctype="multipart/form-data"' in add.content.decode()


def test_a_learner_cannot_upload(client, make_learner):
    client.force_login(make_learner())

    response = client.post(
        reverse("wagtailsnippets_content_h5pactivity:add"),
        {"package": SimpleUploadedFile("a.h5p", b"x")},
    )

    assert response.status_code in (302, 403)
    assert H5PActivity.objects.count() == 0


def test_deleting_an_activity_removes_its_files_but_keeps_shared_libraries(
    admin_client, import_activity, django_capture_on_commit_callbacks
):
    kept = import_activity()
    deleted = import_activity()
    files_before = stored_files()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("wagtailsnippets_content_h5pactivity:delete", args=[deleted.pk])
        )

    assert response.status_code == 302
    assert not H5PActivity.objects.filter(pk=deleted.pk).exists()
    remaining = stored_files()
    assert not any(name.startswith(deleted.storage_prefix) for name in remaining)
    assert set(remaining) == {
        name for name in files_before if not name.startswith(deleted.storage_prefix)
    }
    assert any(name.startswith(kept.main_library.storage_prefix) for name in remaining)


def test_a_lesson_with_an_activity_opens_in_the_page_editor(
    admin_client, import_activity, lesson_with_activity
):
    activity = import_activity()
    _course, lesson = lesson_with_activity(activity, "passed")

    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "H5P activity" in page
    assert "The activity passed" in page


def test_files_go_however_an_activity_is_deleted_and_stay_if_it_is_not(
    import_activity, django_capture_on_commit_callbacks
):
    from django.db import transaction

    rolled_back = import_activity()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            rolled_back.delete()
            transaction.set_rollback(True)
    assert not callbacks  # the deletion never happened: nothing to remove
    assert any(name.startswith(rolled_back.storage_prefix) for name in stored_files())

    deleted = import_activity()
    with django_capture_on_commit_callbacks(execute=True):
        H5PActivity.objects.filter(pk=deleted.pk).delete()  # not through the admin
    assert not any(name.startswith(deleted.storage_prefix) for name in stored_files())
    assert any(
        name.startswith(deleted.main_library.storage_prefix) for name in stored_files()
    )
