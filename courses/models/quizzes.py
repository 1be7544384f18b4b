"""Question banks, quizzes and learners' attempts.

Questions are translatable snippets: an Urdu question is a translation of the
English one (same ``translation_key``), so reports add up both. A quiz is not
translated itself; each attempt shows the questions in the learner's language
where a translation exists. Correct answers live only on ``AnswerOption`` rows,
which no page renders before an attempt is submitted.
"""

from __future__ import annotations

import html
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, TranslatableMixin
from wagtail.search import index

from ..quizzes.forms import QuestionForm, QuizForm, ScopedBankForm


class QuestionCategory(models.Model):
    """A group of questions in one course's (or one programme's) bank.

    Categories nest as in Moodle: ``name`` is the whole path below the bank's
    top, such as ``Unit 1/Week 2`` (a ``/`` inside a name is written ``//``), and
    ``parent`` is the category ``Unit 1``. Keeping the path in the name keeps
    names unique per bank and lists a tree in name order. A quiz's draw rule takes
    questions from its own category only, never from its subcategories.
    """

    name = models.CharField(_("name"), max_length=255)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent category"),
    )
    description = models.TextField(_("description"), blank=True)
    course = models.ForeignKey(
        "courses.CoursePage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="question_categories",
        verbose_name=_("course"),
    )
    programme = models.ForeignKey(
        "courses.ProgrammePage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="question_categories",
        verbose_name=_("programme"),
        help_text=_("For a bank shared by every course of a programme."),
    )

    # The pages that own a category (content.scoping): a trainer of the course's
    # or the programme's pages may see and use it, nobody else.
    programme_lookups = ("course", "programme")
    base_form_class = ScopedBankForm
    panels = [
        FieldPanel("name"),
        FieldPanel("parent"),
        FieldPanel("description"),
        FieldPanel("course"),
        FieldPanel("programme"),
    ]

    class Meta:
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(course__isnull=False, programme__isnull=True)
                | models.Q(course__isnull=True, programme__isnull=False),
                name="question_category_course_or_programme",
            ),
            models.UniqueConstraint(
                fields=["course", "name"], name="question_category_unique_in_course"
            ),
            models.UniqueConstraint(
                fields=["programme", "name"],
                name="question_category_unique_in_programme",
            ),
        ]

    def __str__(self) -> str:
        owner = self.course or self.programme
        return f"{owner.title if owner else '?'} / {self.name}"

    def clean(self):
        if bool(self.course_id) == bool(self.programme_id):
            raise ValidationError(_("Choose a course or a programme, not both."))
        if self.parent is None:
            return
        parent = self.parent
        if (parent.course_id, parent.programme_id) != (
            self.course_id,
            self.programme_id,
        ):
            raise ValidationError(
                {"parent": _("The parent category must be in the same bank.")}
            )
        if not self.name.startswith(parent.name + "/") or self.name == parent.name:
            raise ValidationError(
                {
                    "name": _(
                        "A subcategory's name starts with its parent's name "
                        "and a /, such as %(example)s."
                    )
                    % {"example": f"{parent.name}/…"}
                }
            )


class Question(TranslatableMixin, index.Indexed, ClusterableModel):
    class Kind(models.TextChoices):
        SINGLE_CHOICE = "single_choice", _("Single choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
        TRUE_FALSE = "true_false", _("True or false")
        NUMERIC = "numeric", _("Number")
        SHORT_TEXT = "short_text", _("Short text")
        MATCHING = "matching", _("Matching")
        DESCRIPTION = "description", _("Description")
        ESSAY = "essay", _("Essay")
        CLOZE = "cloze", _("Embedded answers (cloze)")

    class TextFormat(models.TextChoices):
        PLAIN = "plain", _("Plain text")
        HTML = "html", _("HTML")
        MARKDOWN = "markdown", _("Markdown")
        MOODLE = "moodle", _("Moodle auto-format")

    category = models.ForeignKey(
        QuestionCategory,
        on_delete=models.PROTECT,
        related_name="questions",
        verbose_name=_("category"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255)
    text = models.TextField(
        _("question"),
        help_text=_(
            "Embedded answers (cloze): write each gap in the text as Moodle does, "
            "such as {1:SHORTANSWER:=Lahore#Right} or {1:MULTICHOICE:=Punjab~Sindh}, "
            "and add no answers below."
        ),
    )
    text_format = models.CharField(
        _("text format"),
        max_length=10,
        choices=TextFormat.choices,
        default=TextFormat.PLAIN,
    )
    points = models.DecimalField(
        _("points"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        # Above 0 for every kind but a description (see clean).
        validators=[MinValueValidator(Decimal(0))],
    )
    partial_credit = models.BooleanField(
        _("partial credit"),
        default=True,
        help_text=_(
            "Multiple choice: each option ticked adds its share, right ones "
            "positive and wrong ones negative, the total held between 0 and the "
            "points. Without it only the exact set of right options earns the "
            "points."
        ),
    )
    feedback_correct = models.TextField(_("feedback for a right answer"), blank=True)
    feedback_partial = models.TextField(
        _("feedback for a partly right answer"), blank=True
    )
    feedback_incorrect = models.TextField(_("feedback for a wrong answer"), blank=True)
    general_feedback = models.TextField(_("general feedback"), blank=True)
    # Essays only (Moodle's responsefieldlines, responsetemplate, graderinfo).
    response_lines = models.PositiveSmallIntegerField(
        _("answer box lines"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Essay: how many lines the answer box shows."),
    )
    response_template = models.TextField(
        _("answer template"),
        blank=True,
        help_text=_("Essay: text the answer box starts with."),
    )
    grader_info = models.TextField(
        _("information for markers"),
        blank=True,
        help_text=_("Essay: what a trainer marking the answer should look for."),
    )
    # Kept from Moodle so that banks go out as they came in (edited in the admin
    # as text boxes, QuestionForm).
    hints = models.JSONField(
        _("hints"),
        default=list,
        blank=True,
        help_text=_("Moodle's hints, a list of texts; kept for export."),
    )
    penalty = models.DecimalField(
        _("penalty"),
        max_digits=8,
        decimal_places=7,
        default=Decimal("0.3333333"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_(
            "Share of the points Moodle takes off for each wrong try; kept for export."
        ),
    )
    case_sensitive = models.BooleanField(
        _("case sensitive"),
        default=False,
        help_text=_("Short text: capital and small letters must match."),
    )
    shuffle_answers = models.BooleanField(
        _("shuffle answers"),
        default=True,
        help_text=_("Choices and matching: show the answers in a new order each time."),
    )
    idnumber = models.CharField(_("ID number"), max_length=100, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)

    search_fields = [index.SearchField("name"), index.SearchField("text")]
    programme_lookups = ("category__course", "category__programme")
    base_form_class = QuestionForm
    panels = [
        FieldPanel("category"),
        FieldPanel("kind"),
        FieldPanel("name"),
        FieldPanel("text"),
        FieldPanel("points"),
        FieldPanel("partial_credit"),
        InlinePanel(
            "options",
            label=_("Answers"),
            help_text=_(
                "Choices: the option text and the share of the points it earns "
                "(1 right; with partial credit, right options add up to 1 and "
                "wrong ones take points away, e.g. -0.5 each of two). "
                "Number: the value and tolerance. "
                "Short text: each accepted answer. Matching: each item and the "
                "answer it matches."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("feedback_correct"),
                FieldPanel("feedback_partial"),
                FieldPanel("feedback_incorrect"),
                FieldPanel("general_feedback"),
            ],
            heading=_("Feedback"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("response_lines"),
                FieldPanel("response_template"),
                FieldPanel("grader_info"),
            ],
            heading=_("Essay"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("case_sensitive"),
                FieldPanel("shuffle_answers"),
                FieldPanel("penalty"),
                FieldPanel("idnumber"),
                FieldPanel("hints"),
                FieldPanel("tags"),
            ],
            heading=_("More settings (as in Moodle)"),
        ),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.kind == self.Kind.DESCRIPTION:
            self.points = Decimal(0)
        elif self.points is not None and self.points < Decimal("0.01"):
            raise ValidationError(
                {"points": _("Ensure this value is greater than or equal to 0.01.")}
            )
        # Only options held in memory (a cluster being saved whole): during an
        # admin form's validation the stored options are the old ones, and the
        # form checks the new ones itself (QuestionForm).
        if not self.options.is_deferring:
            return
        from ..quiz_formats import QuestionFormatError
        from ..quiz_formats.questions import check_wrong_options_subtract

        try:
            check_wrong_options_subtract(
                self.kind,
                self.partial_credit,
                [option.fraction for option in self.options.all()],
            )
        except QuestionFormatError as error:
            raise ValidationError(error.message) from None

    @property
    def is_description(self) -> bool:
        return self.kind == self.Kind.DESCRIPTION

    @property
    def display_text(self) -> str:
        """The text as plain text: imported HTML is shown without its tags.

        A cloze question's gaps (which hold its answers) show as [1], [2]...
        """
        if self.is_cloze:
            from ..quiz_formats.cloze import blank_out

            return self.plain(blank_out(self.text))
        return self.plain(self.text)

    @property
    def is_cloze(self) -> bool:
        return self.kind == self.Kind.CLOZE

    def plain(self, text: str) -> str:
        """One of this question's texts as plain text, in its text format."""
        if self.text_format in (self.TextFormat.HTML, self.TextFormat.MOODLE):
            return html.unescape(strip_tags(text)).strip()
        return text

    @property
    def is_essay(self) -> bool:
        return self.kind == self.Kind.ESSAY

    @property
    def is_choice(self) -> bool:
        return self.kind in (
            self.Kind.SINGLE_CHOICE,
            self.Kind.MULTIPLE_CHOICE,
            self.Kind.TRUE_FALSE,
        )


class AnswerOption(Orderable):
    """A choice, an accepted short answer, a numeric answer with tolerance, or an
    item of a matching question with the answer it matches (``match_text``)."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("text"), max_length=1000, blank=True)
    match_text = models.CharField(
        _("matching answer"),
        max_length=1000,
        blank=True,
        help_text=_(
            "Matching: the answer this item matches. An answer with no item text "
            "is offered as a wrong choice."
        ),
    )
    value = models.DecimalField(
        _("number"), max_digits=20, decimal_places=8, null=True, blank=True
    )
    tolerance = models.DecimalField(
        _("tolerance"), max_digits=20, decimal_places=8, default=Decimal(0)
    )
    fraction = models.DecimalField(
        _("share of points"),
        max_digits=8,
        decimal_places=7,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(-1)), MaxValueValidator(Decimal(1))],
    )
    feedback = models.TextField(_("feedback"), blank=True)

    panels = [
        FieldPanel("text"),
        FieldPanel("match_text"),
        FieldPanel("value"),
        FieldPanel("tolerance"),
        FieldPanel("fraction"),
        FieldPanel("feedback"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("answer")

    def __str__(self) -> str:
        return self.text or str(self.value)


class Quiz(ClusterableModel):
    """What a learner takes: questions drawn from categories, and its rules."""

    class ShowAnswers(models.TextChoices):
        NEVER = "never", _("Never")
        AFTER_EACH_ATTEMPT = "each_attempt", _("After each attempt")
        AFTER_PASSING = "passed", _("After passing")
        AFTER_LAST_ATTEMPT = "last_attempt", _("After the last attempt")

    title = models.CharField(_("title"), max_length=255)
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.PROTECT,
        related_name="quizzes",
        verbose_name=_("course"),
    )
    instructions = models.TextField(_("instructions"), blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=70,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("maximum attempts"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no limit."),
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no limit."),
    )
    show_answers = models.CharField(
        _("show correct answers"),
        max_length=16,
        choices=ShowAnswers.choices,
        default=ShowAnswers.AFTER_PASSING,
    )
    required = models.BooleanField(
        _("required for completion"),
        default=True,
        help_text=_("The course is complete only once this quiz is passed."),
    )

    programme_lookups = ("course",)
    base_form_class = QuizForm
    panels = [
        FieldPanel("title"),
        FieldPanel("course"),
        FieldPanel("instructions"),
        InlinePanel("draw_rules", label=_("Questions"), min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("pass_mark"),
                FieldPanel("max_attempts"),
                FieldPanel("time_limit_minutes"),
                FieldPanel("show_answers"),
                FieldPanel("required"),
            ],
            heading=_("Rules"),
        ),
    ]

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def question_count(self) -> int:
        return sum(rule.count for rule in self.draw_rules.all())


class QuizDrawRule(Orderable):
    """Draw ``count`` questions at random from ``category`` for each attempt."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="draw_rules")
    category = models.ForeignKey(
        QuestionCategory,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("category"),
    )
    count = models.PositiveSmallIntegerField(
        _("number of questions"), default=5, validators=[MinValueValidator(1)]
    )

    panels = [FieldPanel("category"), FieldPanel("count")]

    class Meta(Orderable.Meta):
        verbose_name = _("questions from a category")


class QuizAttempt(models.Model):
    """One sitting of a quiz. Graded once: ``submitted_at`` is set exactly once.

    ``questions`` holds the draw, in the order shown:
    ``[{"id": question id, "options": [option ids in shown order]}, ...]``.
    ``answers`` holds what the learner has saved so far, keyed by question id;
    choices are saved as positions in the shown order, never as option ids.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    language = models.CharField(max_length=16)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    answers_saved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    questions = models.JSONField(default=list)
    answers = models.JSONField(default=dict)
    points_earned = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True
    )
    points_possible = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True
    )
    score = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(null=True)
    # An attempt holding an essay is submitted, then waits for a trainer: score
    # and passed stay empty until ``mark_attempt`` sets them.
    awaiting_marking = models.BooleanField(_("waiting for marking"), default=False)
    marked_at = models.DateTimeField(_("marked"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("marked by"),
    )

    programme_lookups = ("quiz__course",)

    class Meta:
        verbose_name = _("quiz attempt")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz", "number"], name="quiz_attempt_unique_number"
            ),
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=models.Q(submitted_at__isnull=True),
                name="quiz_attempt_one_open",
            ),
        ]
        indexes = [
            models.Index(fields=["quiz", "submitted_at"]),
            models.Index(
                fields=["submitted_at"],
                condition=models.Q(awaiting_marking=True),
                name="quiz_attempt_marking_queue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.quiz_id} #{self.number}"

    @property
    def waiting_for_marking(self) -> bool:
        return self.submitted_at is not None and self.awaiting_marking

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None

    @property
    def question_ids(self) -> list[int]:
        return [item["id"] for item in self.questions]


class QuestionResponse(models.Model):
    """A graded answer to one question of one attempt, for item analysis."""

    attempt = models.ForeignKey(
        QuizAttempt, on_delete=models.CASCADE, related_name="responses"
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    # The same for every translation of the question, so reports add them up.
    question_key = models.UUIDField()
    position = models.PositiveSmallIntegerField()
    response = models.JSONField(null=True)
    fraction = models.DecimalField(max_digits=8, decimal_places=7)
    points = models.DecimalField(max_digits=8, decimal_places=2)
    # An essay's mark comes from a trainer, with a comment for the learner.
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("question response")
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="question_response_once"
            )
        ]
        indexes = [models.Index(fields=["question_key"])]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.question_id}"

    @property
    def correct(self) -> bool:
        return self.fraction >= 1
