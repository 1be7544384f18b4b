"""Open content packages: a course goes out as one file and comes back whole."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import stat
import time
import zipfile

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page

from content.models import H5PActivity, H5PLibrary
from content.tests import h5p_builders
from content.tests.conftest import stored_files
from courses import authoring
from courses.models import (
    AnswerOption,
    CoursePackageImport,
    CoursePage,
    LessonPage,
    ProgrammePage,
    Question,
    QuestionCategory,
    QuestionImage,
    Quiz,
)
from courses.packages import CoursePackageError, export_course, import_course_package

from .packages_builders import build_bilingual_course, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(django_user_model):
    user = django_user_model.objects.create_user(
        "trainer@example.org", "a-long-test-password-42"
    )
    # The course brings H5P libraries this database does not have yet; installing
    # them is a right of its own (content.services.libraries).
    user.user_permissions.add(Permission.objects.get(codename="install_h5plibrary"))
    return user


def forget_course(course: CoursePage) -> None:
    """Make this database as if the course had never been here: its pages in every
    language, its quizzes and questions, its media rows and every stored file."""
    translations = list(
        CoursePage.objects.filter(translation_key=course.translation_key)
    )
    CoursePage.objects.filter(pk__in=[t.pk for t in translations]).update(
        final_assessment=None
    )
    Quiz.objects.filter(course__in=translations).delete()
    categories = QuestionCategory.objects.filter(course__in=translations)
    Question.objects.filter(category__in=categories).delete()
    categories.update(parent=None)  # nested categories protect their parents
    categories.delete()
    for translation in translations:
        Page.objects.get(pk=translation.pk).delete()
    H5PActivity.objects.all().delete()
    H5PLibrary.objects.all().delete()
    get_image_model().objects.all().delete()
    get_document_model().objects.all().delete()
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


def counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "questions": Question.objects.count(),
        "options": AnswerOption.objects.count(),
        "categories": QuestionCategory.objects.count(),
        "quizzes": Quiz.objects.count(),
        "images": get_image_model().objects.count(),
        "documents": get_document_model().objects.count(),
        "activities": H5PActivity.objects.count(),
        "libraries": H5PLibrary.objects.count(),
        "imports": CoursePackageImport.objects.count(),
    }


def rezip(data: bytes, change) -> io.BytesIO:
    """The package with its entries passed through ``change(name, bytes)``, which
    returns a list of (name, bytes) to write instead."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            for name, content in change(info.filename, source.read(info)):
                target.writestr(name, content)
    out.seek(0)
    return out


def test_a_bilingual_course_exported_imports_into_a_fresh_database_intact(
    programme, trainer
):
    course = build_bilingual_course(programme, trainer)
    before = snapshot(course)
    assert before["languages"] == ["en", "ur"]
    assert len(before["questions"]) == 6

    started = time.perf_counter()
    package = export_course(course)
    exported_in = time.perf_counter() - started
    forget_course(course)
    assert not CoursePage.objects.exists() and not stored_files()

    started = time.perf_counter()
    imported = import_course_package(io.BytesIO(package), programme, trainer)
    imported_in = time.perf_counter() - started

    after = snapshot(imported)
    assert after["languages"] == before["languages"]
    assert after["pages"].keys() == before["pages"].keys()
    for key, record in before["pages"].items():
        assert after["pages"][key] == record, key
    assert after["translation_groups"] == before["translation_groups"]
    assert after["questions"] == before["questions"]
    assert after["question_translation_groups"] == before["question_translation_groups"]
    assert after["quizzes"] == before["quizzes"]
    assert after == before
    # Imported as a draft for review, in every language, with its origin kept.
    translations = CoursePage.objects.filter(translation_key=imported.translation_key)
    assert all(not page.live for page in translations)
    assert not Page.objects.descendant_of(imported).live().exists()
    assert imported.licence == "cc-by-4.0"
    assert imported.attribution == "Alliance Teachers Forum"
    record = imported.package_import
    assert record.source_title == "Active learning"
    assert record.package_sha256 == hashlib.sha256(package).hexdigest()
    assert record.imported_by == trainer
    print(
        f"\npackage {len(package):,} bytes, export {exported_in * 1000:.0f} ms, "
        f"import {imported_in * 1000:.0f} ms"
    )


def test_the_manifest_names_licence_languages_and_every_file_by_sha256(
    programme, trainer
):
    course = build_bilingual_course(programme, trainer)
    archive = zipfile.ZipFile(io.BytesIO(export_course(course)))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["format_version"] == 1
    assert manifest["licence"] == "cc-by-4.0"
    assert manifest["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert manifest["attribution"] == "Alliance Teachers Forum"
    assert manifest["languages"] == ["en", "ur"]
    names = set(archive.namelist()) - {"manifest.json"}
    assert names == set(manifest["files"])
    for name, digest in manifest["files"].items():
        assert name.startswith("media/")
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest
    assert {page["type"] for page in manifest["pages"]} == {
        "course",
        "module",
        "lesson",
    }
    assert len(manifest["pages"]) == 8


def test_a_truncated_package_is_refused_and_creates_nothing(programme, trainer):
    course = build_bilingual_course(programme, trainer)
    package = export_course(course)
    before, files = counts(), stored_files()
    with pytest.raises(CoursePackageError) as refused:
        import_course_package(
            io.BytesIO(package[: len(package) // 2]), programme, trainer
        )
    assert refused.value.code == "not_zip"
    assert "cut short" in refused.value.message
    assert counts() == before and stored_files() == files


@pytest.mark.parametrize(
    "escaping_name",
    ["media/../../settings.py", "../outside.txt", "/etc/cron.d/evil", "notes.txt"],
)
def test_a_package_with_a_path_escaping_the_media_folder_is_refused(
    programme, trainer, escaping_name
):
    course = build_bilingual_course(programme, trainer)
    package = export_course(course)
    hostile = rezip(
        package,
        lambda name, data: (
            [(name, data)]
            + ([(escaping_name, b"evil")] if name == "manifest.json" else [])
        ),
    )
    before, files = counts(), stored_files()
    with pytest.raises(CoursePackageError) as refused:
        import_course_package(hostile, programme, trainer)
    assert refused.value.code in {"path_traversal", "absolute_path", "path_escape"}
    assert escaping_name in refused.value.message
    assert counts() == before and stored_files() == files


def test_a_manifest_pointing_outside_the_media_folder_is_refused(programme, trainer):
    package = export_course(build_bilingual_course(programme, trainer))

    def change(name, data):
        if name != "manifest.json":
            return [(name, data)]
        manifest = json.loads(data)
        old = manifest["images"][0]["file"]
        manifest["images"][0]["file"] = "media/../../../etc/passwd"
        manifest["files"]["media/../../../etc/passwd"] = manifest["files"].pop(old)
        return [(name, json.dumps(manifest))]

    before = counts()
    with pytest.raises(CoursePackageError) as refused:
        import_course_package(rezip(package, change), programme, trainer)
    assert refused.value.code == "path_traversal"
    assert "media/../../../etc/passwd" in refused.value.message
    assert counts() == before


def test_a_changed_file_is_refused_by_its_sha256(programme, trainer):
    package = export_course(build_bilingual_course(programme, trainer))
    hostile = rezip(
        package,
        lambda name, data: [
            (name, data + b"x" if name.startswith("media/doc") else data)
        ],
    )
    before, files = counts(), stored_files()
    with pytest.raises(CoursePackageError) as refused:
        import_course_package(hostile, programme, trainer)
    assert refused.value.code == "hash_mismatch"
    assert "media/documents/" in refused.value.message
    assert counts() == before and stored_files() == files


def test_a_missing_file_and_an_unknown_version_are_refused(programme, trainer):
    package = export_course(build_bilingual_course(programme, trainer))
    without_image = rezip(
        package,
        lambda name, data: [] if name.startswith("media/images/") else [(name, data)],
    )
    with pytest.raises(CoursePackageError) as refused:
        import_course_package(without_image, programme, trainer)
    assert refused.value.code == "missing_file"

    def version_2(name, data):
        if name == "manifest.json":
            return [(name, json.dumps({**json.loads(data), "format_version": 2}))]
        return [(name, data)]

    with pytest.raises(CoursePackageError) as refused:
        import_course_package(rezip(package, version_2), programme, trainer)
    assert refused.value.code == "unknown_version"
    assert "version 2" in refused.value.message


def test_an_imported_course_shows_its_licence_and_attribution_to_learners(
    programme, trainer, client
):
    course = build_bilingual_course(programme, trainer)
    package = export_course(course)
    forget_course(course)
    imported = import_course_package(io.BytesIO(package), programme, trainer)
    imported.open_lessons = True
    imported.save()
    for page in [imported, *imported.get_descendants().specific()]:
        page.save_revision().publish()
    lesson = imported.get_descendants().type(LessonPage).first()
    licence_link = 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"'
    for page in [imported, lesson]:
        response = client.get(page.url)
        assert response.status_code == 200
        html = response.content.decode()
        assert licence_link in html
        assert "CC BY 4.0" in html and "Made by Alliance Teachers Forum." in html
        assert "https://example.org/courses/active-learning" in html


def test_rich_text_from_a_package_is_cleaned_as_the_editor_would(programme, trainer):
    """A package's author is not trusted with raw HTML: no scripts reach learners."""
    course = build_bilingual_course(programme, trainer)
    package = export_course(course)
    forget_course(course)

    def change(name, data):
        if name != "manifest.json":
            return [(name, data)]
        manifest = json.loads(data)
        lesson = next(p for p in manifest["pages"] if p["type"] == "lesson")
        lesson["fields"]["body"][0]["value"] = (
            '<p onclick="steal()">Hi<script>steal()</script>'
            '<a href="javascript:steal()">x</a><img src=x onerror=steal()></p>'
        )
        return [(name, json.dumps(manifest))]

    imported = import_course_package(rezip(package, change), programme, trainer)
    bodies = " ".join(
        str(lesson.specific.body.raw_data)
        for lesson in Page.objects.descendant_of(imported).type(LessonPage)
    )
    assert "<p>Hi" in bodies
    for hostile in ("onclick", "<script", "javascript:", "onerror", "<img"):
        assert hostile not in bodies


def test_a_source_address_that_is_not_a_web_address_is_refused(programme, trainer):
    package = export_course(build_bilingual_course(programme, trainer))

    def change(name, data):
        if name != "manifest.json":
            return [(name, data)]
        return [(name, json.dumps({**json.loads(data), "source_url": "javascript:x"}))]

    before = counts()
    with pytest.raises(CoursePackageError) as refused:
        import_course_package(rezip(package, change), programme, trainer)
    assert refused.value.code == "bad_manifest"
    assert "source_url" in refused.value.message
    assert counts() == before


def test_a_symbolic_link_in_the_package_is_refused(programme, trainer):
    package = export_course(build_bilingual_course(programme, trainer))
    link = zipfile.ZipInfo("media/images/link.png")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    hostile = rezip(
        package,
        lambda name, data: (
            [(name, data)]
            + ([(link, b"/etc/passwd")] if name == "manifest.json" else [])
        ),
    )
    before = counts()
    with pytest.raises(CoursePackageError) as refused:
        import_course_package(hostile, programme, trainer)
    assert refused.value.code == "symlink"
    assert "media/images/link.png" in refused.value.message
    assert counts() == before


def test_an_h5p_activity_the_h5p_validator_refuses_is_refused(programme, trainer):
    package = export_course(build_bilingual_course(programme, trainer))
    bad_h5p = h5p_builders.build_package_with_php_file().getvalue()

    def change(name, data):
        if name.startswith("media/h5p/"):
            return [(name, bad_h5p)]
        if name == "manifest.json":
            manifest = json.loads(data)
            for file_name in manifest["files"]:
                if file_name.startswith("media/h5p/"):
                    digest = hashlib.sha256(bad_h5p).hexdigest()
                    manifest["files"][file_name] = digest
            return [(name, json.dumps(manifest))]
        return [(name, data)]

    before, files = counts(), stored_files()
    with pytest.raises(CoursePackageError) as refused:
        import_course_package(rezip(package, change), programme, trainer)
    assert refused.value.code == "bad_h5p"
    assert ".php" in refused.value.message
    assert counts() == before and stored_files() == files


def test_a_zip_bomb_is_refused_before_anything_is_inflated(programme, trainer):
    package = export_course(build_bilingual_course(programme, trainer))
    zeros = b"\0" * (20 * 1024 * 1024)
    digest = hashlib.sha256(zeros).hexdigest()

    def change(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["files"]["media/documents/zeros.pdf"] = digest
            return [(name, json.dumps(manifest)), ("media/documents/zeros.pdf", zeros)]
        return [(name, data)]

    before = counts()
    with pytest.raises(CoursePackageError) as refused:
        import_course_package(rezip(package, change), programme, trainer)
    assert refused.value.code == "compression_ratio"
    assert "zip bomb" in refused.value.message
    assert counts() == before


def test_a_programme_without_a_translation_gets_one_to_hold_the_translated_course(
    home_page, trainer
):
    english_only = authoring.create_programme(
        home_page, "Lecturers", "lecturers", audience=ProgrammePage.Audience.LECTURERS
    )
    authoring.translate_page(home_page, "ur", title="الائنس لرننگ")
    source = authoring.create_programme(
        home_page, "NTTP", "nttp", audience=ProgrammePage.Audience.TEACHERS
    )
    authoring.translate_page(source, "ur", title="این ٹی ٹی پی")
    package = export_course(build_bilingual_course(source, trainer))

    imported = import_course_package(io.BytesIO(package), english_only, trainer)

    urdu = imported.get_translation(Locale.objects.get(language_code="ur"))
    assert urdu.get_parent().translation_key == english_only.translation_key
    assert not urdu.live


def test_a_package_keeps_every_question_kind_setting_image_and_nested_category(
    programme, trainer
):
    from courses.quizzes import bank_import

    from .moodle_files import moodle_xml_bank
    from .test_quiz_round_trip import stored_bank

    def question_images(course):
        return {
            (row.question.name, row.name): hashlib.sha256(
                row.image.file.open("rb").read()
            ).hexdigest()
            for row in QuestionImage.objects.filter(
                question__category__course=course
            ).select_related("question", "image")
        }

    course = build_bilingual_course(programme, trainer)
    bank_import.import_bank(course, "moodle.xml", moodle_xml_bank(supported_only=True))
    Question.objects.filter(category__course=course, name="Capital").update(
        hints=["<p>Think of the map.</p>", "Starts with I"],
        tags=["unit 1", "capitals"],
        idnumber="CAP-1",
        case_sensitive=True,
        penalty="0.1",
        shuffle_answers=False,
    )
    before, images = stored_bank(course), question_images(course)
    kinds = {row["kind"] for row in before["questions"]}
    assert {"matching", "description", "essay", "cloze"} <= kinds
    assert len(images) == 1

    package = export_course(course)
    forget_course(course)
    imported = import_course_package(io.BytesIO(package), programme, trainer)
    assert stored_bank(imported) == before
    assert question_images(imported) == images
    week = QuestionCategory.objects.get(course=imported, name="Unit 1/Week 2")
    assert week.parent.name == "Unit 1"
    assert week.description == "Second week's questions"


def test_a_package_with_a_question_that_cannot_be_read_is_refused(programme, trainer):
    course = build_bilingual_course(programme, trainer)
    package = export_course(course)

    def break_cloze(name, content):
        if name == "manifest.json":
            manifest = json.loads(content)
            question = manifest["questions"][0]
            question |= {"kind": "cloze", "text": "Lahore is in {1:SA:=Punjab"}
            content = json.dumps(manifest).encode()
        return [(name, content)]

    forget_course(course)
    before = counts()
    with pytest.raises(CoursePackageError) as error:
        import_course_package(rezip(package, break_cloze), programme, trainer)
    assert "cannot be read" in str(error.value)
    assert counts() == before
