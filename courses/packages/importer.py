"""Make a draft course from a checked course package, all or nothing."""

from __future__ import annotations

import uuid
from contextlib import closing
from typing import Any, BinaryIO

from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import transaction
from wagtail.blocks import StreamValue
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page

from content.h5p import H5PValidationError
from content.h5p.errors import gettext_noop as _
from content.models import H5PLibrary
from content.services import (
    delete_files_under,
    import_h5p_package,
    rejection_message,
)

from ..authoring import programme_collection
from ..blocks import LessonBodyBlock
from ..models import (
    AnswerOption,
    CoursePackageImport,
    CoursePage,
    LessonPage,
    ModulePage,
    ProgrammePage,
    Question,
    QuestionCategory,
    QuestionImage,
    Quiz,
    QuizDrawRule,
)
from ..quiz_formats.questions import category_parts, penalise_free_wrong_options
from .archive import COURSE_PACKAGE_LIMITS, spooled_entry
from .errors import CoursePackageError
from .manifest import CourseRecord, LessonRecord, Manifest, ModuleRecord
from .reading import CheckedPackage, check_course_package
from .references import Kind, clean_rich_text, remap_rich_text, remap_stream

_BODY_BLOCK = LessonBodyBlock()


def import_course_package(
    fileobj: BinaryIO,
    programme: ProgrammePage,
    user=None,
    *,
    storage: Storage | None = None,
) -> CoursePage:
    """Check a course package whole, then create its course as a draft under
    ``programme`` (and the programme's translations), with every language, the
    question bank, quizzes, images, documents and H5P activities.

    Raises ``CoursePackageError`` naming the first fault before anything is
    written. If writing still fails, the transaction leaves no row and every file
    stored so far is deleted again. Returns the course in the package's own
    language.
    """
    checked = check_course_package(fileobj, COURSE_PACKAGE_LIMITS)
    written = _WrittenFiles(storage or default_storage)
    with closing(checked.archive):
        try:
            with transaction.atomic():
                return _PackageWriter(checked, programme, user, written).write()
        except BaseException:
            written.delete()
            raise


class _WrittenFiles:
    """Everything stored during an import, so a failure can take it back."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.names: list[str] = []
        # Folders of H5P activities and of libraries this import installed.
        self.prefixes: list[str] = []

    def delete(self) -> None:
        for name in self.names:
            self.storage.delete(name)
        for prefix in self.prefixes:
            delete_files_under(prefix, self.storage)


class _PackageWriter:
    def __init__(
        self,
        checked: CheckedPackage,
        programme: ProgrammePage,
        user,
        written: _WrittenFiles,
    ) -> None:
        self.checked = checked
        self.manifest: Manifest = checked.manifest
        self.programme = programme
        self.user = user
        self.written = written
        self.new_ids: dict[Kind, dict[int, int]] = {
            "image": {},
            "document": {},
            "h5p": {},
            "quiz": {},
            "page": {},
        }
        self.pages: dict[int, Page] = {}
        self.categories: dict[int, QuestionCategory] = {}

    def write(self) -> CoursePage:
        locales = {
            code: Locale.objects.get_or_create(language_code=code)[0]
            for code in self.manifest.languages
        }
        self._write_images()
        self._write_documents()
        self._write_activities()
        self._write_pages(locales)
        self._write_question_bank(locales)
        self._write_quizzes()
        self._finish_pages()
        course = self._main_course()
        summary = self.manifest.course
        CoursePackageImport.objects.create(
            course=course,
            imported_by=self.user if getattr(self.user, "pk", None) else None,
            source_site=self.manifest.source_site,
            source_title=summary.title,
            source_slug=summary.slug,
            source_translation_key=summary.translation_key,
            exported_at=self.manifest.exported_at,
            format_version=self.manifest.format_version,
            package_sha256=self.checked.sha256,
        )
        return course

    # Media -------------------------------------------------------------------

    def _user(self):
        return self.user if getattr(self.user, "pk", None) else None

    def _write_images(self) -> None:
        collection = programme_collection(self.programme)
        for record in self.manifest.images:
            image = get_image_model()(
                title=record.title,
                description=record.description,
                focal_point_x=record.focal_point_x,
                focal_point_y=record.focal_point_y,
                focal_point_width=record.focal_point_width,
                focal_point_height=record.focal_point_height,
                collection=collection,
                uploaded_by_user=self._user(),
            )
            with self._spooled(record.file) as spooled:
                image.file.save(record.filename, File(spooled), save=False)
            self.written.names.append(image.file.name)
            image.file.field.update_dimension_fields(image, force=True)
            image._set_image_file_metadata()
            image.save()
            self.new_ids["image"][record.id] = image.pk

    def _write_documents(self) -> None:
        collection = programme_collection(self.programme)
        for record in self.manifest.documents:
            document = get_document_model()(
                title=record.title,
                collection=collection,
                uploaded_by_user=self._user(),
            )
            with self._spooled(record.file) as spooled:
                document.file.save(record.filename, File(spooled), save=False)
            self.written.names.append(document.file.name)
            document._set_document_file_metadata()
            document.save()
            self.new_ids["document"][record.id] = document.pk

    def _write_activities(self) -> None:
        for record in self.manifest.h5p_activities:
            before = set(H5PLibrary.objects.values_list("pk", flat=True))
            with self._spooled(record.file) as spooled:
                try:
                    activity = import_h5p_package(
                        spooled,
                        uploaded_by=self._user(),
                        programme=self.programme,
                        storage=self.written.storage,
                    )
                except H5PValidationError as error:
                    # Passed the check, refused now: another upload changed the
                    # libraries in between. Still a refusal, not a crash.
                    raise CoursePackageError(
                        "bad_h5p",
                        _(
                            'The H5P activity "%(title)s" (%(name)s) was refused: '
                            "%(fault)s"
                        ),
                        title=record.title,
                        name=record.file,
                        fault=rejection_message(error),
                    ) from error
            self.written.prefixes.append(activity.storage_prefix)
            self.written.prefixes += list(
                H5PLibrary.objects.exclude(pk__in=before).values_list(
                    "storage_prefix", flat=True
                )
            )
            self.new_ids["h5p"][record.id] = activity.pk

    def _spooled(self, name: str):
        return spooled_entry(self.checked.archive, self.checked.entries[name])

    # Pages -------------------------------------------------------------------

    def _write_pages(self, locales: dict[str, Locale]) -> None:
        translation_keys: dict[uuid.UUID, uuid.UUID] = {}
        for record in self.manifest.pages:
            key = translation_keys.setdefault(record.translation_key, uuid.uuid4())
            common: dict[str, Any] = {
                "title": record.title,
                "draft_title": record.title,
                "slug": record.slug,
                "seo_title": record.seo_title,
                "search_description": record.search_description,
                "locale": locales[record.language],
                "translation_key": key,
                "live": False,
                "has_unpublished_changes": True,
                "owner": self._user(),
            }
            if isinstance(record, CourseRecord):
                fields = record.fields
                parent = self._programme_in(locales[record.language])
                page: Page = CoursePage(
                    **common,
                    summary=fields.summary,
                    learning_outcomes=fields.learning_outcomes,
                    level=fields.level,
                    cpd_hours=fields.cpd_hours,
                    estimated_minutes=fields.estimated_minutes,
                    completion_rule=fields.completion_rule,
                    open_lessons=fields.open_lessons,
                    h5p_results_count_for_certificate=(
                        fields.h5p_results_count_for_certificate
                    ),
                    final_assessment_title=fields.final_assessment_title,
                    cover_image_id=self._new_id("image", fields.cover_image),
                    licence=fields.licence,
                    attribution=fields.attribution,
                    source_url=fields.source_url,
                )
                page.slug = _available_slug(parent, record.slug)
            elif isinstance(record, ModuleRecord):
                parent = self.pages[record.parent]
                page = ModulePage(**common, summary=record.fields.summary)
            else:
                parent = self.pages[record.parent]
                page = LessonPage(
                    **common,
                    body=[],
                    required=record.fields.required,
                    estimated_minutes=record.fields.estimated_minutes,
                )
            parent.add_child(instance=page)
            self.pages[record.id] = page
            self.new_ids["page"][record.id] = page.pk

    def _programme_in(self, locale: Locale) -> Page:
        if self.programme.locale_id == locale.pk:
            return self.programme
        existing = self.programme.get_translation_or_none(locale)
        if existing is not None:
            return existing
        # As Wagtail's "Translate" does: a draft copy of the programme to hold it.
        return self.programme.copy_for_translation(locale, copy_parents=True)

    def _new_id(self, kind: Kind, old_id: int | None) -> int | None:
        if old_id is None:
            return None
        return self.new_ids[kind].get(old_id)

    def _main_course(self) -> CoursePage:
        for record in self.manifest.pages:
            if (
                isinstance(record, CourseRecord)
                and record.language == self.manifest.course.language
            ):
                return self.pages[record.id]
        return next(
            self.pages[record.id]
            for record in self.manifest.pages
            if isinstance(record, CourseRecord)
        )

    def _finish_pages(self) -> None:
        """Point bodies at the new media and quizzes, then save each page's first
        revision as a draft for review."""
        for record in self.manifest.pages:
            page = self.pages[record.id]
            if isinstance(record, LessonRecord):
                raw = remap_stream(
                    _BODY_BLOCK, record.fields.body, self._new_id, clean=True
                )
                page.body = StreamValue(page.body.stream_block, raw, is_lazy=True)
                page.save()
            elif isinstance(record, CourseRecord):
                page.learning_outcomes = clean_rich_text(
                    remap_rich_text(record.fields.learning_outcomes, self._new_id),
                    CoursePage._meta.get_field("learning_outcomes").features,
                )
                page.final_assessment_id = self._new_id(
                    "quiz", record.fields.final_assessment
                )
                page.save()
            page.save_revision(user=self._user(), log_action=True)

    # Questions and quizzes ---------------------------------------------------

    def _write_question_bank(self, locales: dict[str, Locale]) -> None:
        main_course = self._main_course()
        taken: set[tuple[int, str]] = set()
        for record in self.manifest.question_categories:
            # A programme's bank comes along as the course's own: the programme
            # it belonged to is on another site.
            course = self.pages[record.course] if record.course else main_course
            name = record.name
            number = 2
            while (course.pk, name) in taken:
                name, number = f"{record.name} ({number})", number + 1
            taken.add((course.pk, name))
            # Moodle's nesting: "Unit 1/Week 2" sits under the package's
            # "Unit 1" of the same course, if there is one.
            parent_name = "/".join(category_parts(name)[:-1])
            parent = next(
                (
                    category
                    for category in self.categories.values()
                    if category.course_id == course.pk and category.name == parent_name
                ),
                None,
            )
            self.categories[record.id] = QuestionCategory.objects.create(
                course=course,
                name=name,
                parent=parent,
                description=record.description,
            )
        translation_keys: dict[uuid.UUID, uuid.UUID] = {}
        for record in self.manifest.questions:
            question = Question.objects.create(
                category=self.categories[record.category],
                locale=locales[record.language],
                translation_key=translation_keys.setdefault(
                    record.translation_key, uuid.uuid4()
                ),
                kind=record.kind,
                name=record.name,
                text=record.text,
                text_format=record.text_format,
                points=record.points,
                partial_credit=record.partial_credit,
                feedback_correct=record.feedback_correct,
                feedback_partial=record.feedback_partial,
                feedback_incorrect=record.feedback_incorrect,
                general_feedback=record.general_feedback,
                response_lines=record.response_lines,
                response_template=record.response_template,
                grader_info=record.grader_info,
                hints=list(record.hints),
                penalty=record.penalty,
                case_sensitive=record.case_sensitive,
                shuffle_answers=record.shuffle_answers,
                idnumber=record.idnumber,
                tags=list(record.tags),
            )
            QuestionImage.objects.bulk_create(
                QuestionImage(
                    question=question,
                    name=row.name,
                    image_id=self.new_ids["image"][row.image],
                )
                for row in record.images
            )
            fractions = [option.fraction for option in record.options]
            if record.partial_credit and record.kind == Question.Kind.MULTIPLE_CHOICE:
                # A package from a site before fair partial credit: wrong options
                # that weigh 0 take Moodle's usual penalty, as file imports do.
                fractions = penalise_free_wrong_options(fractions)
            AnswerOption.objects.bulk_create(
                AnswerOption(
                    question=question,
                    sort_order=order,
                    text=option.text,
                    match_text=option.match_text,
                    value=option.value,
                    tolerance=option.tolerance,
                    fraction=fraction,
                    feedback=option.feedback,
                )
                for order, (option, fraction) in enumerate(
                    zip(record.options, fractions, strict=True)
                )
            )

    def _write_quizzes(self) -> None:
        for record in self.manifest.quizzes:
            quiz = Quiz.objects.create(
                course=self.pages[record.course],
                title=record.title,
                instructions=record.instructions,
                pass_mark=record.pass_mark,
                max_attempts=record.max_attempts,
                time_limit_minutes=record.time_limit_minutes,
                show_answers=record.show_answers,
                required=record.required,
            )
            QuizDrawRule.objects.bulk_create(
                QuizDrawRule(
                    quiz=quiz,
                    category=self.categories[rule.category],
                    count=rule.count,
                    sort_order=order,
                )
                for order, rule in enumerate(record.draw_rules)
            )
            self.new_ids["quiz"][record.id] = quiz.pk


def _available_slug(parent: Page, slug: str) -> str:
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}"[:255], number + 1
    return candidate
