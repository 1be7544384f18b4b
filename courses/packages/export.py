"""Write a course, in every language, with its questions and media, as one zip."""

from __future__ import annotations

import hashlib
import io
import json
import posixpath
import zipfile
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from content.models import H5PActivity
from content.services import export_h5p_package

from ..blocks import LessonBodyBlock
from ..models import (
    CoursePage,
    LessonPage,
    ModulePage,
    ProgrammeCollection,
    Question,
    QuestionCategory,
    Quiz,
)
from .manifest import FORMAT_NAME, FORMAT_VERSION, MANIFEST_NAME, MEDIA_FOLDER
from .references import (
    Kind,
    collect_references,
    collect_rich_text_references,
    remap_rich_text,
    remap_stream,
)

_BODY_BLOCK = LessonBodyBlock()


class _ProgrammeScope:
    """What belongs to ``course``'s programme, as filters for the export."""

    def __init__(self, course: CoursePage):
        programme = course.get_parent()
        programmes = Page.objects.filter(translation_key=programme.translation_key)
        under = Q(pk__in=[])
        for page in programmes:
            under |= Q(path__startswith=page.path)
        self.pages = Page.objects.filter(under).values("pk")
        self.categories = Q(course__in=self.pages) | Q(
            programme__in=programmes.values("pk")
        )
        # Site-wide activities (no programme) are the administrators' to share.
        self.activities = Q(programme__isnull=True) | Q(
            programme__translation_key=programme.translation_key
        )
        self.foreign_collections = ProgrammeCollection.objects.exclude(
            programme_key=programme.translation_key
        ).values("collection")


def export_course(course: CoursePage) -> bytes:
    """The course and all its translations as a course package (a zip's bytes).

    Pages are written as saved (drafts included), the question bank of every
    category the course owns or its quizzes draw from, the quizzes, and every
    image, document and H5P activity the pages point at, each with its SHA-256.
    """
    course = course.specific
    translations = list(
        CoursePage.objects.filter(translation_key=course.translation_key)
        .select_related("locale")
        .order_by("pk")
    )
    pages: list[Page] = []
    for translation in translations:
        pages += list(
            Page.objects.descendant_of(translation, inclusive=True)
            .select_related("locale")
            .specific()
            .order_by("path")
        )
    page_ids = {page.pk for page in pages}
    course_ids = {page.pk for page in translations}
    references: set[tuple[Kind, int]] = set()
    page_records = []
    for page in pages:
        record, found = _page_record(page, page_ids)
        page_records.append(record)
        references |= found

    # Only what belongs to the course's programme travels: a body or a draw rule
    # that names another programme's quiz, bank, file or activity exports
    # without it, so a package never carries another programme's answer keys.
    own = _ProgrammeScope(course)
    quizzes = list(
        Quiz.objects.filter(course__in=course_ids)
        | Quiz.objects.filter(pk__in=_ids(references, "quiz"), course__in=own.pages)
    )
    quizzes = sorted(set(quizzes), key=lambda quiz: quiz.pk)
    rules = {
        quiz.pk: list(quiz.draw_rules.order_by("sort_order", "pk")) for quiz in quizzes
    }
    category_ids = set(
        QuestionCategory.objects.filter(course__in=course_ids).values_list(
            "pk", flat=True
        )
    ) | {rule.category_id for quiz_rules in rules.values() for rule in quiz_rules}
    categories = list(
        QuestionCategory.objects.filter(own.categories, pk__in=category_ids).order_by(
            "pk"
        )
    )
    category_ids = {category.pk for category in categories}
    rules = {
        quiz_id: [rule for rule in quiz_rules if rule.category_id in category_ids]
        for quiz_id, quiz_rules in rules.items()
    }
    quizzes = [quiz for quiz in quizzes if rules[quiz.pk]]
    questions = list(
        Question.objects.filter(category__in=category_ids)
        .select_related("locale")
        .prefetch_related("options", "images")
        .order_by("pk")
    )
    # The images questions show travel with them (they are the programme's).
    question_image_ids = {row.image_id for q in questions for row in q.images.all()}

    files: dict[str, bytes] = {}
    images = [
        _image_record(image, files)
        for image in get_image_model()
        .objects.filter(
            Q(pk__in=_ids(references, "image")) | Q(pk__in=question_image_ids)
        )
        .exclude(collection__in=own.foreign_collections)
        .order_by("pk")
    ]
    documents = [
        _document_record(document, files)
        for document in get_document_model()
        .objects.filter(pk__in=_ids(references, "document"))
        .exclude(collection__in=own.foreign_collections)
        .order_by("pk")
    ]
    activities = [
        _activity_record(activity, files)
        for activity in H5PActivity.objects.filter(
            own.activities, pk__in=_ids(references, "h5p")
        ).order_by("pk")
    ]
    # A body may still name an image or quiz deleted since: leave it out rather
    # than write a package that points at nothing.
    present = {
        "image": {record["id"] for record in images},
        "document": {record["id"] for record in documents},
        "h5p": {record["id"] for record in activities},
        "quiz": {quiz.pk for quiz in quizzes},
    }

    def keep(kind: Kind, object_id: int) -> int | None:
        return object_id if kind == "page" or object_id in present[kind] else None

    for record in page_records:
        fields = record["fields"]
        if record["type"] == "lesson":
            fields["body"] = remap_stream(_BODY_BLOCK, fields["body"], keep)
        elif record["type"] == "course":
            fields["learning_outcomes"] = remap_rich_text(
                fields["learning_outcomes"], keep
            )
    manifest = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "source_site": settings.SITE_URL,
        "course": {
            "title": course.title,
            "slug": course.slug,
            "language": course.locale.language_code,
            "translation_key": str(course.translation_key),
        },
        "licence": course.licence,
        "licence_url": course.licence_url,
        "attribution": course.attribution,
        "source_url": course.source_url,
        "languages": sorted({page.locale.language_code for page in translations}),
        "pages": page_records,
        "question_categories": [
            {
                "id": category.pk,
                "name": category.name,
                "description": category.description,
                "course": category.course_id
                if category.course_id in course_ids
                else None,
            }
            for category in categories
        ],
        "questions": [
            _question_record(question, present["image"]) for question in questions
        ],
        "quizzes": [
            _quiz_record(quiz, rules[quiz.pk], course_ids, course.pk)
            for quiz in quizzes
        ],
        "images": images,
        "documents": documents,
        "h5p_activities": activities,
        "files": {
            name: hashlib.sha256(data).hexdigest()
            for name, data in sorted(files.items())
        },
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=1)
        )
        for name, data in sorted(files.items()):
            # Deflated even where it gains little (images, .h5p zips): stored raw,
            # an .h5p's own zip records would show through a package cut short.
            archive.writestr(name, data)
    return buffer.getvalue()


def _ids(references: set[tuple[Kind, int]], kind: Kind) -> set[int]:
    return {ref_id for ref_kind, ref_id in references if ref_kind == kind}


def _page_record(page: Page, page_ids: set[int]) -> tuple[dict[str, Any], set]:
    parent_id = page.get_parent().pk if page.depth > 1 else None
    record: dict[str, Any] = {
        "id": page.pk,
        "language": page.locale.language_code,
        "translation_key": str(page.translation_key),
        "parent": parent_id if parent_id in page_ids else None,
        "title": page.title,
        "slug": page.slug,
        "seo_title": page.seo_title,
        "search_description": page.search_description,
    }
    references: set[tuple[Kind, int]] = set()
    if isinstance(page, CoursePage):
        record["type"] = "course"
        record["fields"] = {
            "summary": page.summary,
            "learning_outcomes": page.learning_outcomes,
            "level": page.level,
            "cpd_hours": _decimal(page.cpd_hours),
            "estimated_minutes": page.estimated_minutes,
            "completion_rule": page.completion_rule,
            "open_lessons": page.open_lessons,
            "h5p_results_count_for_certificate": (
                page.h5p_results_count_for_certificate
            ),
            "final_assessment": page.final_assessment_id,
            "final_assessment_title": page.final_assessment_title,
            "cover_image": page.cover_image_id,
            "licence": page.licence,
            "attribution": page.attribution,
            "source_url": page.source_url,
        }
        references |= collect_rich_text_references(page.learning_outcomes)
        if page.final_assessment_id:
            references.add(("quiz", page.final_assessment_id))
        if page.cover_image_id:
            references.add(("image", page.cover_image_id))
    elif isinstance(page, ModulePage):
        record["type"] = "module"
        record["fields"] = {"summary": page.summary}
    elif isinstance(page, LessonPage):
        body = list(page.body.raw_data)
        record["type"] = "lesson"
        record["fields"] = {
            "body": body,
            "required": page.required,
            "estimated_minutes": page.estimated_minutes,
        }
        references |= collect_references(_BODY_BLOCK, body)
    else:
        raise TypeError(f"A course holds no {type(page).__name__}.")
    return record, references


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _question_record(
    question: Question, images: set[int] | None = None
) -> dict[str, Any]:
    """``images``: ids of the package's images; rows showing others are left out
    (None: all rows)."""
    return {
        "id": question.pk,
        "category": question.category_id,
        "language": question.locale.language_code,
        "translation_key": str(question.translation_key),
        "kind": question.kind,
        "name": question.name,
        "text": question.text,
        "text_format": question.text_format,
        "points": _decimal(question.points),
        "partial_credit": question.partial_credit,
        "feedback_correct": question.feedback_correct,
        "feedback_partial": question.feedback_partial,
        "feedback_incorrect": question.feedback_incorrect,
        "general_feedback": question.general_feedback,
        "response_lines": question.response_lines,
        "response_template": question.response_template,
        "grader_info": question.grader_info,
        "hints": list(question.hints),
        "penalty": _decimal(question.penalty),
        "case_sensitive": question.case_sensitive,
        "shuffle_answers": question.shuffle_answers,
        "idnumber": question.idnumber,
        "tags": list(question.tags),
        "images": [
            {"name": row.name, "image": row.image_id}
            for row in sorted(question.images.all(), key=lambda row: row.name)
            if images is None or row.image_id in images
        ],
        "options": [
            {
                "text": option.text,
                "match_text": option.match_text,
                "value": _decimal(option.value),
                "tolerance": _decimal(option.tolerance),
                "fraction": _decimal(option.fraction),
                "feedback": option.feedback,
            }
            for option in sorted(
                question.options.all(), key=lambda o: (o.sort_order or 0, o.pk)
            )
        ],
    }


def _quiz_record(quiz: Quiz, rules, course_ids: set[int], course_id: int) -> dict:
    return {
        "id": quiz.pk,
        # A quiz of another course that a lesson embeds comes along as this one's.
        "course": quiz.course_id if quiz.course_id in course_ids else course_id,
        "title": quiz.title,
        "instructions": quiz.instructions,
        "pass_mark": quiz.pass_mark,
        "max_attempts": quiz.max_attempts,
        "time_limit_minutes": quiz.time_limit_minutes,
        "show_answers": quiz.show_answers,
        "required": quiz.required,
        "draw_rules": [
            {"category": rule.category_id, "count": rule.count} for rule in rules
        ],
    }


def _stored_bytes(field_file) -> bytes:
    with field_file.open("rb") as stored:
        return stored.read()


def _media_name(folder: str, pk: int, filename: str) -> str:
    extension = posixpath.splitext(filename)[1].lower()
    if not extension[1:].isalnum():
        extension = ""
    return f"{MEDIA_FOLDER}{folder}/{pk}{extension}"


def _image_record(image, files: dict[str, bytes]) -> dict[str, Any]:
    filename = posixpath.basename(image.file.name)
    name = _media_name("images", image.pk, filename)
    files[name] = _stored_bytes(image.file)
    return {
        "id": image.pk,
        "title": image.title,
        "file": name,
        "filename": filename,
        "description": getattr(image, "description", ""),
        "focal_point_x": image.focal_point_x,
        "focal_point_y": image.focal_point_y,
        "focal_point_width": image.focal_point_width,
        "focal_point_height": image.focal_point_height,
    }


def _document_record(document, files: dict[str, bytes]) -> dict[str, Any]:
    filename = posixpath.basename(document.file.name)
    name = _media_name("documents", document.pk, filename)
    files[name] = _stored_bytes(document.file)
    return {
        "id": document.pk,
        "title": document.title,
        "file": name,
        "filename": filename,
    }


def _activity_record(activity: H5PActivity, files: dict[str, bytes]) -> dict[str, Any]:
    name = f"{MEDIA_FOLDER}h5p/{activity.pk}.h5p"
    files[name] = export_h5p_package(activity)
    return {
        "id": activity.pk,
        "title": activity.title,
        "file": name,
        "filename": f"{activity.key}.h5p",
    }
