"""Course packages from the admin and the command line, and clean-up on failure."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from content.tests.conftest import stored_files
from courses import authoring
from courses.models import CoursePage, ProgrammePage
from courses.packages import export_course, importer

from .packages_builders import build_bilingual_course
from .test_course_packages import counts, forget_course

pytestmark = pytest.mark.django_db


def trainer_of(programme, make_learner, group_name: str):
    group, _created = Group.objects.get_or_create(name=group_name)
    authoring.grant_programme_to_group(programme, group)
    user = make_learner()
    user.groups.add(group)
    return user


@pytest.fixture
def trainer(programme, make_learner):
    user = trainer_of(programme, make_learner, "NTTP trainers")
    # The course brings H5P libraries this database does not have yet; installing
    # them is a right of its own (content.services.libraries).
    user.user_permissions.add(Permission.objects.get(codename="install_h5plibrary"))
    return user


@pytest.fixture
def package_bytes(programme, trainer) -> bytes:
    course = build_bilingual_course(programme, trainer)
    data = export_course(course)
    forget_course(course)
    return data


def test_a_trainer_of_the_programme_downloads_the_package(client, programme, trainer):
    course = build_bilingual_course(programme, trainer)
    client.force_login(trainer)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk]))
    export_url = reverse("courses_package_export", args=[course.pk])
    assert export_url in edit.content.decode()
    # Trainers set the licence and attribution in the page editor.
    for field in ("licence", "attribution", "source_url"):
        assert f'name="{field}"' in edit.content.decode()
    response = client.get(export_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "active-learning.course.zip" in response["Content-Disposition"]
    assert "manifest.json" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()


def test_a_trainer_of_another_programme_cannot_export(
    client, home_page, programme, trainer, make_learner
):
    course = build_bilingual_course(programme, trainer)
    other = authoring.create_programme(
        home_page, "Lecturers", "lecturers", audience=ProgrammePage.Audience.LECTURERS
    )
    outsider = trainer_of(other, make_learner, "Lecturer trainers")
    client.force_login(outsider)
    response = client.get(reverse("courses_package_export", args=[course.pk]))
    # Wagtail's admin turns a refusal into a redirect with a message.
    assert response.status_code in (302, 403)
    assert response.get("Content-Type") != "application/zip"


def test_a_trainer_uploads_a_package_and_gets_a_draft_course(
    client, programme, trainer, package_bytes
):
    client.force_login(trainer)
    response = client.post(
        reverse("courses_package_import"),
        {
            "programme": programme.pk,
            "file": SimpleUploadedFile("course.zip", package_bytes),
        },
        follow=True,
    )
    assert response.status_code == 200
    course = CoursePage.objects.get(locale__language_code="en")
    assert "was imported as a draft" in response.content.decode()
    assert not course.live
    assert course.package_import.imported_by == trainer
    assert (
        CoursePage.objects.filter(translation_key=course.translation_key).count() == 2
    )


def test_a_refused_upload_names_the_fault_and_imports_nothing(
    client, programme, trainer, package_bytes
):
    client.force_login(trainer)
    before, files = counts(), stored_files()
    response = client.post(
        reverse("courses_package_import"),
        {
            "programme": programme.pk,
            "file": SimpleUploadedFile("course.zip", package_bytes[:5000]),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported." in html and "cut short" in html
    assert counts() == before and stored_files() == files


def test_a_learner_cannot_open_the_import_page(client, make_learner):
    client.force_login(make_learner())
    response = client.get(reverse("courses_package_import"))
    assert response.status_code in (302, 403)


def test_the_commands_export_and_import_a_course(tmp_path, programme, trainer):
    course = build_bilingual_course(programme, trainer)
    path = tmp_path / "course.zip"
    out = io.StringIO()
    call_command("export_course", "active-learning", str(path), stdout=out)
    assert "bytes written" in out.getvalue()
    forget_course(course)
    out = io.StringIO()
    call_command("import_course", str(path), "--programme", "nttp", stdout=out)
    assert "Imported Active learning (en, ur) as a draft" in out.getvalue()

    path.write_bytes(path.read_bytes()[:-100])
    before = counts()
    with pytest.raises(CommandError, match=r"Refused \(not_zip\)"):
        call_command("import_course", str(path), "--programme", "nttp")
    assert counts() == before


def test_a_failure_while_writing_leaves_no_rows_and_no_files(
    monkeypatch, programme, trainer, package_bytes
):
    before, files = counts(), stored_files()

    def fail(self):
        raise RuntimeError("the database went away")

    # Images, documents, H5P files and pages are written by then.
    monkeypatch.setattr(importer._PackageWriter, "_write_quizzes", fail)
    with pytest.raises(RuntimeError):
        importer.import_course_package(io.BytesIO(package_bytes), programme, trainer)
    assert counts() == before
    assert stored_files() == files
