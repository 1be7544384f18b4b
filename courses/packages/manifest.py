"""The manifest of a course package: its schema, version 1.

A package is one zip: ``manifest.json`` at the top and every file under
``media/``. The manifest holds everything that is not a file (pages, question
bank, quizzes) and names every file with its SHA-256. Ids in the manifest are
the exporting site's primary keys; they only tie records of one package together
and are replaced on import.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ..licences import Licence
from ..models import CoursePage, Question, Quiz

FORMAT_NAME = "alliance-course-package"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
MEDIA_FOLDER = "media/"

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Title = Annotated[str, StringConstraints(min_length=1, max_length=255)]
Slug = Annotated[str, StringConstraints(pattern=r"^[-\w]+$", max_length=255)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[a-z0-9]+)?$")]
MediaPath = Annotated[str, StringConstraints(min_length=7, max_length=512)]
Id = Annotated[int, Field(ge=1)]
# Shown to learners as a link: nothing but http(s), so never "javascript:".
WebAddress = Annotated[
    str, StringConstraints(pattern=r"^(https?://[^\s<>\"]+)?$", max_length=200)
]
# A file's own name, stored under the site's folders: no folders of its own.
FileName = Annotated[
    str,
    StringConstraints(pattern=r"^[^./\\:\x00-\x1f][^/\\:\x00-\x1f]*$", max_length=100),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CourseFields(_Strict):
    summary: str = Field(max_length=600)
    learning_outcomes: str = ""
    level: Literal[tuple(CoursePage.Level.values)]  # type: ignore[valid-type]
    cpd_hours: Decimal = Field(ge=0, max_digits=5, decimal_places=1)
    estimated_minutes: int = Field(ge=0)
    completion_rule: Literal[tuple(CoursePage.CompletionRule.values)]  # type: ignore[valid-type]
    open_lessons: bool
    h5p_results_count_for_certificate: bool
    final_assessment: Id | None = None
    final_assessment_title: str = Field(default="", max_length=255)
    cover_image: Id | None = None
    licence: Literal[tuple(Licence.values)]  # type: ignore[valid-type]
    attribution: str = Field(default="", max_length=255)
    source_url: WebAddress = ""


class ModuleFields(_Strict):
    summary: str = ""


class LessonFields(_Strict):
    body: list[dict[str, Any]]
    required: bool
    estimated_minutes: int = Field(ge=0)


class _PageBase(_Strict):
    id: Id
    language: LanguageCode
    translation_key: UUID
    parent: Id | None
    title: Title
    slug: Slug
    seo_title: str = Field(default="", max_length=255)
    search_description: str = ""


class CourseRecord(_PageBase):
    type: Literal["course"]
    fields: CourseFields


class ModuleRecord(_PageBase):
    type: Literal["module"]
    fields: ModuleFields


class LessonRecord(_PageBase):
    type: Literal["lesson"]
    fields: LessonFields


PageRecord = Annotated[
    CourseRecord | ModuleRecord | LessonRecord, Field(discriminator="type")
]


class CategoryRecord(_Strict):
    id: Id
    # A Moodle path below the bank's top, such as "Unit 1/Week 2": the parent
    # categories are the package's categories of the shorter paths.
    name: Title
    description: str = ""
    # The course page (in the manifest) it belongs to; None: a programme's bank.
    course: Id | None


class OptionRecord(_Strict):
    text: str = Field(max_length=1000)
    match_text: str = Field(default="", max_length=1000)
    value: Decimal | None = Field(default=None, max_digits=20, decimal_places=8)
    tolerance: Decimal = Field(max_digits=20, decimal_places=8)
    fraction: Decimal = Field(ge=-1, le=1, max_digits=8, decimal_places=7)
    feedback: str = ""


class QuestionImageRecord(_Strict):
    name: str = Field(min_length=1, max_length=255)
    image: Id


class QuestionRecord(_Strict):
    id: Id
    category: Id
    language: LanguageCode
    translation_key: UUID
    kind: Literal[tuple(Question.Kind.values)]  # type: ignore[valid-type]
    name: Title
    text: str
    text_format: Literal[tuple(Question.TextFormat.values)]  # type: ignore[valid-type]
    # 0 for a description (text between questions), above 0 for the rest.
    points: Decimal = Field(ge=Decimal(0), max_digits=6, decimal_places=2)
    partial_credit: bool
    feedback_correct: str = ""
    feedback_partial: str = ""
    feedback_incorrect: str = ""
    general_feedback: str = ""
    response_lines: int = Field(default=15, ge=1, le=100)
    response_template: str = ""
    grader_info: str = ""
    # Kept from Moodle (optional, so packages written before them still import).
    hints: list[str] = Field(default_factory=list, max_length=100)
    penalty: Decimal = Field(
        default=Decimal("0.3333333"), ge=0, le=1, max_digits=8, decimal_places=7
    )
    case_sensitive: bool = False
    shuffle_answers: bool = True
    idnumber: str = Field(default="", max_length=100)
    tags: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        default_factory=list, max_length=100
    )
    # The package's images the texts show as @@PLUGINFILE@@/<name>.
    images: list[QuestionImageRecord] = Field(default_factory=list)
    options: list[OptionRecord]


class DrawRuleRecord(_Strict):
    category: Id
    count: int = Field(ge=1, le=32767)


class QuizRecord(_Strict):
    id: Id
    course: Id
    title: Title
    instructions: str = ""
    pass_mark: int = Field(ge=0, le=100)
    max_attempts: int | None = Field(default=None, ge=1, le=32767)
    time_limit_minutes: int | None = Field(default=None, ge=1, le=32767)
    show_answers: Literal[tuple(Quiz.ShowAnswers.values)]  # type: ignore[valid-type]
    required: bool
    draw_rules: list[DrawRuleRecord] = Field(min_length=1)


class FileRecord(_Strict):
    id: Id
    title: Title
    file: MediaPath
    filename: FileName


class ImageRecord(FileRecord):
    description: str = Field(default="", max_length=255)
    focal_point_x: int | None = Field(default=None, ge=0)
    focal_point_y: int | None = Field(default=None, ge=0)
    focal_point_width: int | None = Field(default=None, ge=0)
    focal_point_height: int | None = Field(default=None, ge=0)


class CourseSummary(_Strict):
    title: Title
    slug: Slug
    language: LanguageCode
    translation_key: UUID


class Manifest(_Strict):
    format: Literal["alliance-course-package"]
    format_version: Literal[1]
    exported_at: datetime
    source_site: str = Field(max_length=255)
    course: CourseSummary
    licence: Literal[tuple(Licence.values)]  # type: ignore[valid-type]
    licence_url: str
    attribution: str = Field(max_length=255)
    source_url: WebAddress
    languages: list[LanguageCode] = Field(min_length=1)
    pages: list[PageRecord] = Field(min_length=1)
    question_categories: list[CategoryRecord]
    questions: list[QuestionRecord]
    quizzes: list[QuizRecord]
    images: list[ImageRecord]
    documents: list[FileRecord]
    h5p_activities: list[FileRecord]
    # Every file in the package but the manifest, with its SHA-256.
    files: dict[MediaPath, Sha256]
