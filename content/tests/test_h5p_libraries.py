"""Libraries as H5P sites keep them: patch updates replace, a version never
changes its bytes, and installing a library is a programme manager's right."""

from __future__ import annotations

import pytest
from django.urls import reverse

from content.h5p import H5PValidationError
from content.models import H5PActivity, H5PLibrary
from content.services import import_h5p_package

from . import h5p_builders as builders
from .conftest import row_counts, stored_files
from .test_h5p_admin import trainer  # noqa: F401

pytestmark = pytest.mark.django_db


def activity_package(patch: int = 0, script_note: str = ""):
    """The test activity with its library at 1.0.``patch``; ``script_note``
    changes the library's bytes."""
    library = builders.activity_library()
    library.patch = patch
    library.files["activity.js"] = (
        builders.ACTIVITY_JS + (f"// {script_note}\n" if script_note else "")
    ).encode()
    return builders.zip_files(builders.activity_package_files(main=library))


def served_script(client) -> bytes:
    response = client.get(
        reverse("content:library_file", args=[builders.ACTIVITY_FOLDER, "activity.js"])
    )
    return b"".join(response.streaming_content)


def test_a_newer_patch_replaces_the_library_for_every_activity(
    client, django_capture_on_commit_callbacks
):
    first = import_h5p_package(activity_package(0))
    old_prefix = first.main_library.storage_prefix

    with django_capture_on_commit_callbacks(execute=True):
        second = import_h5p_package(activity_package(1, "security fix"))

    library = H5PLibrary.objects.get()
    assert library.version == "1.0.1"
    assert first.main_library_id == second.main_library_id == library.pk
    assert served_script(client).endswith(b"// security fix\n")
    # The replaced patch's files are gone; the new ones are stored.
    files = stored_files()
    assert not [name for name in files if name.startswith(old_prefix)]
    assert f"{library.storage_prefix}activity.js" in files


def test_an_older_patch_is_ignored_and_the_newer_one_kept(client):
    import_h5p_package(activity_package(2, "newest"))
    files_before = stored_files()

    older = import_h5p_package(activity_package(1, "older"))

    assert H5PLibrary.objects.get().version == "1.0.2"
    assert older.main_library.version == "1.0.2"
    assert served_script(client).endswith(b"// newest\n")
    new_files = set(stored_files()) - set(files_before)
    assert all(name.startswith(older.storage_prefix) for name in new_files)


def test_the_same_version_with_other_bytes_is_refused_and_changes_nothing(client):
    import_h5p_package(activity_package(0))
    files_before, rows_before = stored_files(), row_counts()

    with pytest.raises(H5PValidationError) as refused:
        import_h5p_package(activity_package(0, "tampered"))

    assert refused.value.code == "library_changed"
    assert "H5P.AllianceTestActivity 1.0.0" in str(refused.value)
    assert stored_files() == files_before
    assert row_counts() == rows_before
    assert served_script(client) == builders.ACTIVITY_JS.encode()


def test_the_same_version_with_the_same_bytes_is_shared():
    import_h5p_package(activity_package(0))

    import_h5p_package(activity_package(0))

    assert H5PLibrary.objects.count() == 1
    assert H5PActivity.objects.count() == 2


def test_a_trainer_may_use_installed_libraries_but_not_install_them(
    trainer,  # noqa: F811
):
    with pytest.raises(H5PValidationError) as refused:
        import_h5p_package(activity_package(0), uploaded_by=trainer)
    assert refused.value.code == "library_not_installed"
    assert "H5P.AllianceTestActivity 1.0.0" in str(refused.value)
    assert row_counts()["libraries"] == 0
    assert stored_files() == []

    import_h5p_package(activity_package(0))  # installed by the site
    activity = import_h5p_package(activity_package(0), uploaded_by=trainer)
    assert activity.uploaded_by == trainer

    # A patch update is an installation too.
    with pytest.raises(H5PValidationError) as update:
        import_h5p_package(activity_package(1, "fix"), uploaded_by=trainer)
    assert update.value.code == "library_not_installed"
    assert H5PLibrary.objects.get().version == "1.0.0"


def test_a_programme_manager_may_install_libraries_and_updates(programme_manager):
    import_h5p_package(activity_package(0), uploaded_by=programme_manager)
    import_h5p_package(activity_package(1, "fix"), uploaded_by=programme_manager)

    assert H5PLibrary.objects.get().version == "1.0.1"


def test_the_refusal_for_missing_libraries_reaches_the_trainer_in_the_upload_form(
    client,
    trainer,  # noqa: F811
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(trainer)
    response = client.post(
        reverse("wagtailsnippets_content_h5pactivity:add"),
        {"package": SimpleUploadedFile("activity.h5p", activity_package(0).getvalue())},
    )

    assert response.status_code == 200
    assert "H5P.AllianceTestActivity 1.0.0" in response.content.decode()
    assert "programme manager" in response.content.decode()
    assert not H5PActivity.objects.exists()


def test_the_admin_lists_installed_libraries_with_versions_and_activities(
    client,
    programme_manager,
    django_assert_max_num_queries,
):
    for _ in range(2):
        import_h5p_package(activity_package(0))
    client.force_login(programme_manager)
    from django.contrib.auth.models import Permission

    programme_manager.user_permissions.add(
        Permission.objects.get(codename="access_admin")
    )
    listing = reverse("wagtailsnippets_content_h5plibrary:list")

    client.get(listing)
    with django_assert_max_num_queries(60) as queries:
        response = client.get(listing)
    page = response.content.decode()

    assert response.status_code == 200
    assert "H5P.AllianceTestActivity" in page
    assert "1.0.0" in page
    row = page.split("H5P.AllianceTestActivity", 1)[1].split("</tr>")[0]
    assert ">2<" in row.replace(" ", "").replace("\n", "")
    few_rows = len(queries.captured_queries)

    for name in ("H5P.AllianceOne", "H5P.AllianceTwo", "H5P.AllianceThree"):
        behaviour = builders.behaviour_library("evaluates-template")
        behaviour.machine_name = name
        import_h5p_package(
            builders.zip_files(
                builders.package_files(
                    title=name, language="en", main_library=behaviour, content={}
                )
            )
        )
    with django_assert_max_num_queries(few_rows):
        client.get(listing)
    library = H5PLibrary.objects.get(machine_name="H5P.AllianceTestActivity")
    inspect = client.get(
        reverse("wagtailsnippets_content_h5plibrary:inspect", args=[library.pk])
    )
    assert inspect.status_code == 200
    assert client.get(
        reverse("wagtailsnippets_content_h5plibrary:add")
    ).status_code in (
        302,
        403,
    )


def player_config(client, activity) -> dict:
    import json

    from content.player import player_token

    html = client.get(
        reverse("content:player", args=[player_token(activity)])
    ).content.decode()
    return json.loads(
        html.split('id="h5p-player-config" type="application/json">')[1].split(
            "</script>"
        )[0]
    )


def test_the_player_reads_library_files_under_their_full_version(client):
    activity = import_h5p_package(activity_package(0))
    folder = builders.ACTIVITY_FOLDER

    assert player_config(client, activity)["libraryDirectories"] == {
        folder: f"{folder}.0"
    }

    import_h5p_package(activity_package(1, "security fix"))

    # A patch update is a new address, so no cached file of 1.0.0 is played.
    assert player_config(client, activity)["libraryDirectories"] == {
        folder: f"{folder}.1"
    }


def library_file(client, folder: str, path: str = "activity.js"):
    return client.get(reverse("content:library_file", args=[folder, path]))


def test_a_library_file_under_its_full_version_is_cached_long_and_never_changes(
    client,
):
    import_h5p_package(activity_package(1, "security fix"))
    folder = builders.ACTIVITY_FOLDER

    versioned = library_file(client, f"{folder}.1")
    unversioned = library_file(client, folder)

    assert b"".join(versioned.streaming_content).endswith(b"// security fix\n")
    assert versioned["Cache-Control"] == "public, max-age=31536000, immutable"
    assert versioned["Access-Control-Allow-Origin"] == "*"
    # H5P's own folder name changes files with the next patch: kept briefly.
    assert b"".join(unversioned.streaming_content).endswith(b"// security fix\n")
    assert unversioned["Cache-Control"] == "public, max-age=300"


def test_an_old_patch_address_leads_to_the_installed_patch(client):
    import_h5p_package(activity_package(1, "security fix"))
    folder = builders.ACTIVITY_FOLDER

    old = library_file(client, f"{folder}.0")

    assert old.status_code == 302
    assert old["Location"] == reverse(
        "content:library_file", args=[f"{folder}.1", "activity.js"]
    )
    assert old["Access-Control-Allow-Origin"] == "*"
    assert old["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "folder",
    [
        "H5P.AllianceTestActivity-1.0.0.0",
        "H5P.AllianceTestActivity-1.0.x",
        "H5P.AllianceTestActivity-1",
        "H5P.AllianceTestActivity-1.1.0",
        "-1.0.0",
    ],
)
def test_a_library_folder_that_names_no_installed_version_is_not_found(client, folder):
    import_h5p_package(activity_package(0))

    assert library_file(client, folder).status_code == 404
