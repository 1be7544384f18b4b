"""Importing .h5p packages: what is stored, what is shared, and that a refused
package leaves no file and no row, on local disk and on S3."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage, storages
from django.core.management import CommandError, call_command

from content.h5p import H5PValidationError
from content.models import H5PActivity, H5PLibrary
from content.services import import_h5p_package

from . import h5p_builders as builders
from .conftest import row_counts, stored_files

HOSTILE = {
    "not_zip": builders.build_not_a_zip,
    "missing_h5p_json": builders.build_package_without_h5p_json,
    "missing_dependency": builders.build_package_with_missing_dependency,
    "path_traversal": builders.build_package_with_path_traversal,
    "absolute_path": builders.build_package_with_absolute_path,
    "symlink": builders.build_package_with_symlink,
    "forbidden_extension": builders.build_package_with_php_file,
    "script_in_content": builders.build_package_with_script_in_content,
    "file_too_large": builders.build_zip_bomb,
    "too_many_entries": builders.build_package_with_many_entries,
}


@pytest.fixture(params=["local", "s3"])
def storage(request):
    if request.param == "s3":
        return request.getfixturevalue("s3_storage")
    return default_storage


@pytest.mark.django_db
def test_a_valid_package_is_stored_with_its_library(storage, programme_manager):
    trainer = programme_manager
    activity = import_h5p_package(
        builders.build_activity_package(), uploaded_by=trainer
    )

    assert activity.title == "Alliance test activity"
    assert activity.language == "en"
    assert activity.uploaded_by == trainer
    assert activity.main_library.folder_name == builders.ACTIVITY_FOLDER
    assert list(activity.libraries.all()) == [activity.main_library]
    files = stored_files(storage)
    assert f"{activity.storage_prefix}h5p.json" in files
    assert f"{activity.storage_prefix}content/content.json" in files
    library_prefix = activity.main_library.storage_prefix
    assert {f"{library_prefix}{name}" for name in ("library.json", "activity.js")} <= (
        set(files)
    )
    with storage.open(f"{library_prefix}activity.js") as script:
        assert script.read() == builders.ACTIVITY_JS.encode()


@pytest.mark.django_db
def test_a_library_is_stored_once_and_shared_by_every_activity(storage):
    first = import_h5p_package(builders.build_activity_package("en"))
    files_after_first = stored_files(storage)
    second = import_h5p_package(builders.build_urdu_activity_package())

    assert H5PLibrary.objects.count() == 1
    assert second.main_library == first.main_library
    new_files = set(stored_files(storage)) - set(files_after_first)
    assert all(name.startswith(second.storage_prefix) for name in new_files)
    assert second.language == "ur"


@pytest.mark.django_db
def test_a_package_may_leave_out_a_library_the_site_already_has():
    helper = builders.helper_library("H5P.AllianceHelper")
    main = builders.activity_library(helper.ref)
    import_h5p_package(
        builders.zip_files(builders.activity_package_files("en", helper, main=main))
    )
    without_helper = builders.activity_package_files("en", main=main)

    activity = import_h5p_package(builders.zip_files(without_helper))

    assert {library.machine_name for library in activity.libraries.all()} == {
        "H5P.AllianceHelper",
        builders.ACTIVITY_MACHINE_NAME,
    }
    assert H5PLibrary.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("code", HOSTILE)
def test_a_refused_package_leaves_no_file_and_no_row(storage, code):
    import_h5p_package(builders.build_activity_package())
    files_before, rows_before = stored_files(storage), row_counts()

    with pytest.raises(H5PValidationError) as refusal:
        import_h5p_package(HOSTILE[code]())

    assert refusal.value.code == code
    assert refusal.value.message
    assert stored_files(storage) == files_before
    assert row_counts() == rows_before


@pytest.mark.django_db
def test_a_failure_half_way_through_storing_removes_what_was_written(
    storage, monkeypatch
):
    files_before = stored_files(storage)
    backend = storages["default"]
    real_save = backend.save
    saved = []

    def failing_save(name, content, max_length=None):
        if len(saved) == 3:
            raise OSError("disk full")
        saved.append(name)
        return real_save(name, content, max_length)

    monkeypatch.setattr(backend, "save", failing_save)

    with pytest.raises(OSError, match="disk full"):
        import_h5p_package(builders.build_activity_package())

    assert len(saved) == 3
    assert stored_files(storage) == files_before
    assert row_counts() == {"libraries": 0, "activities": 0, "statements": 0}


@pytest.mark.django_db
def test_a_damaged_entry_found_while_checking_stops_the_import_before_writing(
    storage,
):
    # content.json claims 2 KB but inflates to 1 GB: found by the integrity check.
    with pytest.raises(H5PValidationError):
        import_h5p_package(builders.build_package_with_lying_json_size())
    assert stored_files(storage) == []
    assert H5PActivity.objects.count() == 0


@pytest.mark.django_db
def test_import_h5p_command_prints_the_new_activity_id(tmp_path):
    package = tmp_path / "activity.h5p"
    package.write_bytes(builders.build_activity_package().getvalue())
    out = io.StringIO()

    call_command("import_h5p", str(package), stdout=out)

    assert out.getvalue().strip() == str(H5PActivity.objects.get().pk)


@pytest.mark.django_db
def test_import_h5p_command_prints_the_fault_and_leaves_nothing(tmp_path):
    package = tmp_path / "traversal.h5p"
    package.write_bytes(builders.build_package_with_path_traversal().getvalue())

    with pytest.raises(CommandError, match=r"path_traversal.*\.\./\.\./outside"):
        call_command("import_h5p", str(package), stdout=io.StringIO())

    assert stored_files() == []
    assert row_counts() == {"libraries": 0, "activities": 0, "statements": 0}


@pytest.mark.django_db
def test_import_h5p_command_exits_non_zero_on_a_refused_package(
    tmp_path, capsys, monkeypatch
):
    from django.core.management import base

    from content.management.commands.import_h5p import Command

    # run_from_argv closes the database connections as manage.py exits; the
    # test's own connection must stay open.
    monkeypatch.setattr(base.connections, "close_all", lambda: None)

    package = tmp_path / "not-a-zip.h5p"
    package.write_bytes(builders.build_not_a_zip().getvalue())

    with pytest.raises(SystemExit) as exit_status:
        Command().run_from_argv(["manage.py", "import_h5p", str(package)])

    assert exit_status.value.code != 0
    output = capsys.readouterr()
    assert "not_zip" in output.err
    assert output.out == ""
    assert row_counts() == {"libraries": 0, "activities": 0, "statements": 0}


@pytest.mark.django_db
def test_the_demo_site_has_one_interactive_activity_however_often_it_is_seeded():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    activity = H5PActivity.objects.get()
    assert H5PLibrary.objects.count() == 1
    assert f"{activity.storage_prefix}content/content.json" in stored_files()


@pytest.mark.django_db
def test_a_package_with_a_stray_top_level_file_imports_without_storing_it():
    package = builders.build_package_with_entry("README.txt", b"Made in Lumi.\n")

    activity = import_h5p_package(package)

    files = stored_files()
    assert f"{activity.storage_prefix}content/content.json" in files
    assert not [name for name in files if name.endswith("README.txt")]
