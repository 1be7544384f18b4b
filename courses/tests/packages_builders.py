"""A bilingual course with every kind of content, and snapshots to compare it by.

A snapshot describes a course without any database id: pages by language and
place in the tree, references by what they point at (a file's SHA-256, a quiz's
title), so a course imported elsewhere must give the same snapshot.
"""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from content.models import H5PActivity
from content.services import import_h5p_package
from content.services.packages import _files_under
from content.tests import h5p_builders
from courses import authoring
from courses.blocks import LessonBodyBlock
from courses.models import CoursePage, LessonPage, ModulePage, Question, Quiz
from courses.packages.references import remap_rich_text, remap_stream
from courses.quiz_formats import parse_gift
from courses.quizzes import authoring as quiz_authoring

BODY_BLOCK = LessonBodyBlock()


def png_bytes(colour: str = "teal") -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return buffer.getvalue()


def build_bilingual_course(programme, user=None) -> CoursePage:
    """English and Urdu: a module, two lessons (image, document, H5P, quiz, links),
    a question bank of three questions in both languages, a final assessment."""
    collection = authoring.programme_collection(programme)
    image = get_image_model().objects.create(
        title="Classroom",
        file=ImageFile(io.BytesIO(png_bytes()), name="classroom.png"),
        collection=collection,
    )
    document = get_document_model().objects.create(
        title="Lesson plan",
        file=ContentFile(b"%PDF-1.4 lesson plan\n", name="lesson-plan.pdf"),
        collection=collection,
    )
    activity = import_h5p_package(
        h5p_builders.build_activity_package(), uploaded_by=user, programme=programme
    )
    course = authoring.create_course(
        programme,
        "Active learning",
        "active-learning",
        summary="Questioning and group work in large classes.",
        learning_outcomes="<ul><li>Plan a lesson with <b>open</b> questions</li></ul>",
        cpd_hours=Decimal("4.5"),
        cover_image=image,
        licence="cc-by-4.0",
        attribution="Alliance Teachers Forum",
        source_url="https://example.org/courses/active-learning",
    )
    category = quiz_authoring.category_for(course, "", "Questioning")
    questions = quiz_authoring.import_questions(
        course,
        parse_gift(
            "::Open::Which question invites thinking? "
            "{=Why do you think so?#Yes, it is open ~Is it red?#That is closed}\n\n"
            "::Wait::How many seconds should you wait? {#3:1}\n\n"
            "::Word::Name the teacher in Urdu. {=Ustad =Teacher}\n"
        ),
        category,
        "en",
    )
    quiz_authoring.translate_question(
        questions[0],
        "ur",
        "کون سا سوال سوچنے کی دعوت دیتا ہے؟",
        ["آپ ایسا کیوں سوچتے ہیں؟", "کیا یہ سرخ ہے؟"],
        feedback_correct="بہت خوب",
    )
    quiz_authoring.translate_question(
        questions[1], "ur", "آپ کو کتنے سیکنڈ انتظار کرنا چاہیے؟"
    )
    quiz_authoring.translate_question(
        questions[2], "ur", "استاد کا نام بتائیں۔", ["استاد", "ٹیچر"]
    )
    quiz = quiz_authoring.create_quiz(
        course,
        "Check your questioning",
        [(category, 2)],
        pass_mark=60,
        max_attempts=3,
        time_limit_minutes=20,
        show_answers=Quiz.ShowAnswers.AFTER_EACH_ATTEMPT,
    )
    course.final_assessment = quiz
    course.save_revision().publish()
    module = authoring.create_module(
        course, "Asking questions", "asking", summary="Two"
    )
    first = authoring.create_lesson(
        module,
        "Open questions",
        "open-questions",
        body=[
            (
                "text",
                # In the order the admin's editor saves attributes.
                f'<p>Read the <a id="{document.pk}" linktype="document">plan</a>.</p>',
            ),
            ("image", {"image": image, "alt_text": "A class", "caption": "Grade 5"}),
            ("document", {"document": document, "description": "Plan"}),
            ("h5p", {"activity": activity, "requirement": "completed"}),
        ],
    )
    second = authoring.create_lesson(
        course,
        "Wait time",
        "wait-time",
        body=[
            (
                "text",
                f'<p>Go back to <a id="{first.pk}" linktype="page">the first</a>.</p>',
            ),
            ("quiz", {"quiz": quiz, "heading": "Try it", "intro": "Three questions"}),
            ("callout", {"kind": "tip", "text": "<p>Count to three.</p>"}),
        ],
        required=False,
    )
    urdu_course = authoring.translate_page(
        course,
        "ur",
        title="فعال تدریس",
        summary="بڑی جماعتوں میں سوال اور گروہی کام۔",
        attribution="الائنس ٹیچرز فورم",
    )
    urdu_course.final_assessment = quiz
    urdu_course.final_assessment_title = "اپنے سوالات جانچیں"
    urdu_course.save_revision().publish()
    authoring.translate_page(module, "ur", title="سوال پوچھنا")
    authoring.translate_page(
        first,
        "ur",
        title="کھلے سوالات",
        body=[
            ("text", "<p>تصویر دیکھیں۔</p>"),
            ("image", {"image": image, "alt_text": "ایک جماعت", "caption": ""}),
            ("h5p", {"activity": activity, "requirement": "none"}),
        ],
    )
    authoring.translate_page(second, "ur", title="انتظار کا وقت")
    return CoursePage.objects.get(pk=course.pk)


# Snapshots -------------------------------------------------------------------


def _file_sha256(field_file) -> str:
    with field_file.open("rb") as stored:
        return hashlib.sha256(stored.read()).hexdigest()


def _activity_files(activity: H5PActivity) -> dict[str, str]:
    from django.core.files.storage import default_storage

    files = {}
    for name in _files_under(default_storage, activity.storage_prefix.rstrip("/")):
        with default_storage.open(name, "rb") as stored:
            digest = hashlib.sha256(stored.read()).hexdigest()
        files[name.removeprefix(activity.storage_prefix)] = digest
    return files


def _describe(kind: str, object_id: int) -> Any:
    if kind == "image":
        image = get_image_model().objects.get(pk=object_id)
        return (
            "image",
            image.title,
            image.width,
            image.height,
            _file_sha256(image.file),
        )
    if kind == "document":
        document = get_document_model().objects.get(pk=object_id)
        return ("document", document.title, _file_sha256(document.file))
    if kind == "quiz":
        return ("quiz", Quiz.objects.get(pk=object_id).title)
    if kind == "h5p":
        activity = H5PActivity.objects.get(pk=object_id)
        libraries = sorted(str(library) for library in activity.libraries.all())
        return ("h5p", activity.title, libraries, _activity_files(activity))
    page = Page.objects.get(pk=object_id)
    return ("page", page.locale.language_code, page.slug)


def snapshot(course: CoursePage) -> dict[str, Any]:
    """Everything a course carries, by content rather than by id."""
    translations = CoursePage.objects.filter(translation_key=course.translation_key)
    pages: dict[tuple[str, str], Any] = {}
    groups: dict[Any, set[str]] = {}
    for translation in translations:
        for page in Page.objects.descendant_of(translation, inclusive=True).specific():
            language = page.locale.language_code
            record: dict[str, Any] = {
                "type": type(page).__name__,
                "title": page.title,
                "seo_title": page.seo_title,
                "parent": page.get_parent().slug
                if page.depth > translation.depth
                else None,
            }
            if isinstance(page, CoursePage):
                record |= {
                    field: getattr(page, field)
                    for field in (
                        "summary",
                        "level",
                        "cpd_hours",
                        "estimated_minutes",
                        "completion_rule",
                        "open_lessons",
                        "h5p_results_count_for_certificate",
                        "final_assessment_title",
                        "licence",
                        "attribution",
                        "source_url",
                    )
                }
                record["learning_outcomes"] = remap_rich_text(
                    page.learning_outcomes, _describe
                )
                record["cover_image"] = _describe("image", page.cover_image_id)
                record["final_assessment"] = _describe("quiz", page.final_assessment_id)
            elif isinstance(page, ModulePage):
                record["summary"] = page.summary
            elif isinstance(page, LessonPage):
                record["body"] = remap_stream(
                    BODY_BLOCK, list(page.body.raw_data), _describe
                )
                record["required"] = page.required
                record["estimated_minutes"] = page.estimated_minutes
            pages[(language, page.slug if page.depth > translation.depth else "")] = (
                record
            )
            groups.setdefault(page.translation_key, set()).add(
                f"{language}:{page.title}"
            )
    questions = {}
    question_groups: dict[Any, set[str]] = {}
    for question in Question.objects.filter(
        category__course__in=translations
    ).select_related("locale", "category"):
        language = question.locale.language_code
        questions[(language, question.name)] = {
            "category": question.category.name,
            "kind": question.kind,
            "text": question.text,
            "text_format": question.text_format,
            "points": question.points,
            "partial_credit": question.partial_credit,
            "feedback": [
                question.feedback_correct,
                question.feedback_partial,
                question.feedback_incorrect,
                question.general_feedback,
            ],
            "options": [
                (o.text, o.value, o.tolerance, o.fraction, o.feedback)
                for o in question.options.order_by("sort_order", "pk")
            ],
        }
        question_groups.setdefault(question.translation_key, set()).add(
            f"{language}:{question.name}"
        )
    quizzes = {
        quiz.title: {
            "course_language": quiz.course.locale.language_code,
            "instructions": quiz.instructions,
            "pass_mark": quiz.pass_mark,
            "max_attempts": quiz.max_attempts,
            "time_limit_minutes": quiz.time_limit_minutes,
            "show_answers": quiz.show_answers,
            "required": quiz.required,
            "draw": [
                (rule.category.name, rule.count)
                for rule in quiz.draw_rules.order_by("sort_order")
            ],
        }
        for quiz in Quiz.objects.filter(course__in=translations)
    }
    return {
        "languages": sorted(t.locale.language_code for t in translations),
        "pages": pages,
        "translation_groups": sorted(sorted(group) for group in groups.values()),
        "questions": questions,
        "question_translation_groups": sorted(
            sorted(group) for group in question_groups.values()
        ),
        "quizzes": quizzes,
    }
