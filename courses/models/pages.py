"""The page tree trainers build: Home → Programme → Course → (Module →) Lesson."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Window
from django.db.models.functions import Length, RowNumber, Substr
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from languages.text import normalise_for_matching

from ..blocks import LessonBodyBlock
from ..licences import DEFAULT_LICENCE, Licence, licence_url
from ..page_forms import ProgrammeReferencesPageForm


class ProgrammePage(Page):
    """A training track, such as the National Teachers Training Program."""

    class Audience(models.TextChoices):
        TEACHERS = "teachers", _("School teachers")
        LECTURERS = "lecturers", _("College and university lecturers")

    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "link"])

    content_panels = [
        *Page.content_panels,
        FieldPanel("short_name"),
        FieldPanel("audience"),
        FieldPanel("intro"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("programme")

    # The home page shows the first few courses of each programme and links to
    # the rest, so it stays the same size however many courses there are.
    HOME_COURSES_PER_PROGRAMME = 6

    @classmethod
    def programmes_with_courses(cls, home: Page) -> list[ProgrammePage]:
        """Live programmes under ``home``, each with its first courses attached as
        ``live_courses`` and their number as ``course_count``: 2 queries."""
        programmes = list(cls.objects.child_of(home).live().public())
        parent_path = Substr("path", 1, Length("path") - CoursePage.steplen)
        courses = (
            CoursePage.objects.live()
            .public()
            .filter(path__startswith=home.path, depth=home.depth + 2)
            .annotate(
                position=Window(
                    RowNumber(), partition_by=[parent_path], order_by="path"
                ),
                in_programme=Window(Count("pk"), partition_by=[parent_path]),
            )
            .filter(position__lte=cls.HOME_COURSES_PER_PROGRAMME)
            .select_related("cover_image", "locale")
            .order_by("path")
        )
        by_parent: dict[str, list[CoursePage]] = defaultdict(list)
        for course in courses:
            by_parent[course.path[: -course.steplen]].append(course)
        for programme in programmes:
            programme.live_courses = by_parent.get(programme.path, [])
            programme.course_count = (
                programme.live_courses[0].in_programme if programme.live_courses else 0
            )
        return programmes

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = (
            CoursePage.objects.child_of(self)
            .live()
            .public()
            .select_related("cover_image", "locale")
        )
        return context


class CoursePage(Page):
    """A course: what a learner enrols in and is certified for."""

    base_form_class = ProgrammeReferencesPageForm

    class Level(models.TextChoices):
        INTRODUCTORY = "introductory", _("Introductory")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    class CompletionRule(models.TextChoices):
        REQUIRED = (
            "required",
            _("Every required lesson complete and every required assessment passed"),
        )
        ALL = "all", _("Every lesson complete and every required assessment passed")

    summary = models.TextField(_("summary"), max_length=600)
    learning_outcomes = RichTextField(
        _("learning outcomes"), blank=True, features=["ul", "ol", "bold"]
    )
    level = models.CharField(
        _("level"), max_length=16, choices=Level.choices, default=Level.INTRODUCTORY
    )
    cpd_hours = models.DecimalField(
        _("CPD hours"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Continuing professional development hours a completion earns."),
    )
    estimated_minutes = models.PositiveIntegerField(
        _("estimated time (minutes)"), default=60
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cover image"),
    )
    prerequisites = ParentalManyToManyField(
        "self",
        blank=True,
        symmetrical=False,
        verbose_name=_("prerequisites"),
        help_text=_("Courses a learner must complete before enrolling."),
    )
    completion_rule = models.CharField(
        _("completion rule"),
        max_length=16,
        choices=CompletionRule.choices,
        default=CompletionRule.REQUIRED,
    )
    open_lessons = models.BooleanField(
        _("lessons open to everyone"),
        default=False,
        help_text=_(
            "For public outreach: anyone may read the lessons without enrolling. "
            "Progress and certificates still need enrolment."
        ),
    )
    h5p_results_count_for_certificate = models.BooleanField(
        _("H5P results count toward the certificate"),
        default=False,
        help_text=_(
            "H5P activities report their results from the learner's browser, so "
            "by default they only finish lessons, and the certificate rests on "
            "quizzes graded by the server. Tick to make the H5P activities the "
            "lessons require count as assessments of the course."
        ),
    )
    final_assessment = models.ForeignKey(
        "courses.Quiz",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("final assessment"),
        help_text=_("A quiz learners take at the end of the course."),
    )
    final_assessment_title = models.CharField(
        _("final assessment title"),
        max_length=255,
        blank=True,
        help_text=_(
            "The assessment's title on this course's pages, in the course's "
            "language. Empty: the quiz's own title."
        ),
    )
    licence = models.CharField(
        _("licence"),
        max_length=32,
        choices=Licence.choices,
        default=DEFAULT_LICENCE,
        help_text=_(
            "How others may reuse this course. Creative Commons licences let other "
            "institutions share and adapt it; learners see the licence on every "
            "page of the course."
        ),
    )
    attribution = models.CharField(
        _("made by"),
        max_length=255,
        blank=True,
        help_text=_(
            "Who made the course, as they should be credited, e.g. "
            '"Alliance Teachers Forum".'
        ),
    )
    source_url = models.URLField(
        _("source address"),
        blank=True,
        help_text=_(
            "Where the original course is published, if it came from elsewhere."
        ),
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("search_text"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("learning_outcomes"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [
                FieldPanel("level"),
                FieldPanel("cpd_hours"),
                FieldPanel("estimated_minutes"),
                FieldPanel("completion_rule"),
                FieldPanel("open_lessons"),
                FieldPanel("prerequisites"),
                FieldPanel("final_assessment"),
                FieldPanel("final_assessment_title"),
                FieldPanel("h5p_results_count_for_certificate"),
            ],
            heading=_("Enrolment and completion"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("licence"),
                FieldPanel("attribution"),
                FieldPanel("source_url"),
            ],
            heading=_("Licence and attribution"),
        ),
    ]
    parent_page_types = ["courses.ProgrammePage"]
    subpage_types = ["courses.ModulePage", "courses.LessonPage"]

    class Meta:
        verbose_name = _("course")

    @property
    def search_text(self) -> str:
        return normalise_for_matching(f"{self.title} {self.summary}")

    @property
    def licence_url(self) -> str:
        return licence_url(self.licence)

    def lessons(self) -> models.QuerySet[LessonPage]:
        """Live lessons in reading order, modules flattened: one query."""
        return (
            LessonPage.objects.live()
            .filter(path__startswith=self.path)
            .order_by("path")
        )

    def get_context(self, request, *args, **kwargs):
        from ..learning import course_outline
        from ..quizzes.reads import course_assessments

        context = super().get_context(request, *args, **kwargs)
        context.update(course_outline(request.user, self))
        context["assessments"] = course_assessments(request.user, self)
        return context


class ModulePage(Page):
    """An optional group of lessons inside a course."""

    summary = models.TextField(_("summary"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("module")

    def serve(self, request: HttpRequest, *args, **kwargs):
        # A module has no page of its own; its course's outline shows it.
        course = CoursePage.objects.ancestor_of(self).first()
        return redirect(course.url if course else "/")


class LessonPage(Page):
    """One sitting of learning: text, images, video, documents and activities."""

    body = StreamField(LessonBodyBlock(), verbose_name=_("body"))
    base_form_class = ProgrammeReferencesPageForm
    required = models.BooleanField(
        _("required for completion"),
        default=True,
        help_text=_("Optional lessons add to progress but are not needed to finish."),
    )
    estimated_minutes = models.PositiveIntegerField(
        _("estimated time (minutes)"), default=15
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("search_text"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("body"),
        FieldPanel("required"),
        FieldPanel("estimated_minutes"),
    ]
    parent_page_types = ["courses.CoursePage", "courses.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")

    @property
    def search_text(self) -> str:
        text_parts = [self.title]
        for block in self.body:
            if block.block_type == "text":
                text_parts.append(block.value.source)
            elif block.block_type == "callout":
                text_parts.append(block.value["text"].source)
        return normalise_for_matching(strip_tags(" ".join(text_parts)))

    def serve(self, request: HttpRequest, *args, **kwargs):
        from ..learning import lesson_access

        refusal = lesson_access(request, self)
        if refusal is not None:
            return refusal
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from ..learning import lesson_context

        context = super().get_context(request, *args, **kwargs)
        context.update(
            lesson_context(request.user, self, getattr(request, "lesson_course", None))
        )
        return context
