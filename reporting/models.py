"""Data built for reading: one summary row per enrolment.

The dashboard never reads the 2,000,000 progress rows: ``summaries.refresh``
folds them, with the learner's profile, certificate and quiz results, into one
row per enrolment, so every figure is one scan (or one index range) of this
table, however far learners have got.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EnrolmentSummary(models.Model):
    enrolment = models.OneToOneField(
        "courses.Enrolment",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="summary",
    )
    # Copied from the enrolment and the profile, so filters need no join.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="+"
    )
    programme = models.ForeignKey(
        "courses.ProgrammePage",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    province = models.ForeignKey(
        "accounts.Province", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    district = models.ForeignKey(
        "accounts.District", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    gender = models.CharField(max_length=16, blank=True)
    sector = models.CharField(max_length=16, blank=True)
    role = models.CharField(max_length=16, blank=True)
    enrolled_at = models.DateTimeField()
    enrolled_week = models.DateField()  # the Monday of the enrolment's week
    started_at = models.DateTimeField(null=True)
    last_activity_at = models.DateTimeField()
    lessons_done = models.PositiveIntegerField(default=0)
    lessons_total = models.PositiveIntegerField(default=0)
    halfway = models.BooleanField(default=False)
    completed_at = models.DateTimeField(null=True)
    completed_week = models.DateField(null=True)
    days_to_complete = models.FloatField(null=True)
    certified = models.BooleanField(default=False)
    cpd_hours = models.DecimalField(max_digits=7, decimal_places=2, default=0)
    quiz_attempts_graded = models.PositiveIntegerField(default=0)
    quiz_attempts_passed = models.PositiveIntegerField(default=0)
    # The lesson a learner who has not finished would resume: where they stopped.
    stopped_at_lesson = models.ForeignKey(
        "courses.LessonPage", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("enrolment summary")
        verbose_name_plural = _("enrolment summaries")
        indexes = [
            models.Index(fields=["course", "enrolled_at"]),
            models.Index(fields=["programme", "enrolled_at"]),
            models.Index(fields=["province", "enrolled_at"]),
            models.Index(fields=["district", "enrolled_at"]),
            models.Index(fields=["enrolled_at"]),
            models.Index(fields=["days_to_complete"]),
            # The median for one programme or course, read from the middle.
            models.Index(fields=["programme", "days_to_complete"]),
            models.Index(fields=["course", "days_to_complete"]),
            models.Index(fields=["refreshed_at"]),
        ]

    def __str__(self) -> str:
        return f"summary of enrolment {self.enrolment_id}"


class CourseRollup(models.Model):
    """Figures added up per course by the refresh, for the views that need
    nothing finer than a programme or a course (a manager's first look).

    Each row counts the enrolments of one course whose ``dimension`` has one
    ``value``: the course itself, a province, district, gender, sector or role,
    the week they enrolled, the week they completed, or the lesson where the
    unfinished stopped. Adding rows of one dimension gives exactly what adding
    the summary rows would: the whole programme is a few thousand rows, not
    hundreds of thousands.
    """

    class Dimension(models.TextChoices):
        COURSE = "course", _("course")
        PROVINCE = "province", _("province")
        DISTRICT = "district", _("district")
        GENDER = "gender", _("gender")
        SECTOR = "sector", _("sector")
        ROLE = "role", _("role")
        ENROLLED_WEEK = "enrolled_week", _("week enrolled")
        COMPLETED_WEEK = "completed_week", _("week completed")
        STOPPED_AT = "stopped_at", _("lesson stopped at")

    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="+"
    )
    programme = models.ForeignKey(
        "courses.ProgrammePage",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dimension = models.CharField(max_length=16, choices=Dimension.choices)
    # An id or a date as text, or the stored text; "" for none.
    value = models.CharField(max_length=32, blank=True)
    enrolments = models.PositiveIntegerField(default=0)
    started = models.PositiveIntegerField(default=0)
    halfway = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    certified = models.PositiveIntegerField(default=0)
    cpd_hours = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    quiz_attempts_graded = models.PositiveIntegerField(default=0)
    quiz_attempts_passed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("course rollup")
        verbose_name_plural = _("course rollups")
        indexes = [
            models.Index(fields=["dimension", "course"]),
            models.Index(fields=["dimension", "programme"]),
        ]

    def __str__(self) -> str:
        return f"{self.dimension}={self.value} in course {self.course_id}"


class LearnerActivity(models.Model):
    """A learner's last activity, over everything (``everywhere``) and per
    programme, kept by the refresh: "learners" and "active in the last 7 days"
    count people, who cannot be added up course by course."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    everywhere = models.BooleanField()
    programme = models.ForeignKey(
        "courses.ProgrammePage",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_activity_at = models.DateTimeField()

    class Meta:
        verbose_name = _("learner activity")
        verbose_name_plural = _("learner activities")
        indexes = [
            models.Index(fields=["everywhere", "programme", "last_activity_at"]),
        ]

    def __str__(self) -> str:
        return f"activity of user {self.user_id}"
