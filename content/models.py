"""H5P libraries, activities and the xAPI results learners' browsers report."""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .h5p.libraries import LibraryRef

H5P_STORAGE_ROOT = "h5p"
_ORIGIN = re.compile(r"https?://[a-z0-9.-]+(:[0-9]{1,5})?")


def media_origin_list(text: str) -> list[str]:
    """Each line of ``text`` as an origin: lower case, no trailing slash."""
    return [
        line.strip().rstrip("/").lower() for line in text.splitlines() if line.strip()
    ]


def validate_media_origins(text: str) -> None:
    for origin in media_origin_list(text):
        if not _ORIGIN.fullmatch(origin):
            raise ValidationError(
                _("“%(origin)s” is not a website address such as https://example.org."),
                params={"origin": origin},
            )


class H5PLibrary(models.Model):
    """One H5P library version, stored once and shared by every activity using it.

    H5P names a library by machine name, major and minor version; a later upload of
    the same major.minor is the same library: a higher patch version replaces
    these files for every activity using it, a lower one is ignored, and the same
    patch version must bring the same files.
    """

    machine_name = models.CharField(_("machine name"), max_length=255)
    major_version = models.PositiveIntegerField(_("major version"))
    minor_version = models.PositiveIntegerField(_("minor version"))
    patch_version = models.PositiveIntegerField(_("patch version"))
    runnable = models.BooleanField(_("runnable"), default=False)
    library_json = models.JSONField(_("library.json"))
    # Where the folder's files are in the default storage, ending with "/".
    storage_prefix = models.CharField(max_length=512, unique=True)
    # SHA-256 over the folder's file names and contents: the same version with
    # other bytes is refused. Blank for libraries installed before it was kept.
    files_digest = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("H5P library")
        verbose_name_plural = _("H5P libraries")
        permissions = [
            (
                "install_h5plibrary",
                _("Can install H5P libraries the site does not have, and updates"),
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["machine_name", "major_version", "minor_version"],
                name="h5p_library_one_per_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.machine_name} {self.version}"

    @property
    def version(self) -> str:
        return f"{self.major_version}.{self.minor_version}.{self.patch_version}"

    def activities_using(self) -> str:
        """The titles of the activities that play with this library (admin)."""
        return ", ".join(
            self.activities.order_by("title").values_list("title", flat=True)
        )

    activities_using.short_description = _("activities using it")

    @property
    def folder_name(self) -> str:
        return f"{self.machine_name}-{self.major_version}.{self.minor_version}"

    @property
    def versioned_folder_name(self) -> str:
        """The folder's address with the patch version: new with every update."""
        return f"{self.folder_name}.{self.patch_version}"

    @property
    def ref(self) -> LibraryRef:
        return LibraryRef(self.machine_name, self.major_version, self.minor_version)


class H5PActivity(models.Model):
    """An uploaded H5P package: its content, and the libraries it plays with."""

    title = models.CharField(_("title"), max_length=255)
    # Random, so storage paths and player addresses reveal nothing and never clash.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    language = models.CharField(_("language"), max_length=10, blank=True)
    main_library = models.ForeignKey(
        H5PLibrary,
        on_delete=models.PROTECT,
        related_name="main_of",
        verbose_name=_("main library"),
    )
    libraries = models.ManyToManyField(
        H5PLibrary, related_name="activities", verbose_name=_("libraries")
    )
    h5p_json = models.JSONField()
    # Where content/ and h5p.json are in the default storage, ending with "/".
    storage_prefix = models.CharField(max_length=512, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # The programme page that owns the activity (content.scoping); a plain page
    # here, so this app needs nothing from the courses app. Empty: site-wide,
    # for administrators only.
    programme = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("programme"),
    )

    remote_media_origins = models.TextField(
        _("websites its videos may come from"),
        blank=True,
        validators=[validate_media_origins],
        help_text=_(
            "One address a line, such as https://www.youtube.com or "
            "https://videos.example.org. Nothing else outside this site is played."
        ),
    )
    requirement_waived = models.BooleanField(
        _("lessons do not wait for this activity"),
        default=False,
        help_text=_(
            "For an activity that does not start for learners: lessons that "
            "require it can be finished without it until it is fixed."
        ),
    )

    programme_lookups = ("programme",)

    class Meta:
        verbose_name = _("H5P activity")
        verbose_name_plural = _("H5P activities")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def content_language(self) -> str:
        """The language the package's text is written in, or "" if it does not
        say: H5P's editor writes "und" in ``language`` and the author's language
        in ``defaultLanguage``."""
        for code in (self.language, self.h5p_json.get("defaultLanguage")):
            if isinstance(code, str) and code and code != "und":
                return code
        return ""

    @property
    def media_origins(self) -> list[str]:
        """The origins the trainer allowed, as the player's CSP names them."""
        return media_origin_list(self.remote_media_origins)

    @property
    def xapi_object_id(self) -> str:
        """The IRI the player names this activity by in its xAPI statements."""
        return f"{settings.SITE_URL}/h5p/activities/{self.key}"


class H5PStartFailure(models.Model):
    """An activity that did not start for a learner, as their player reported it.

    One row per activity and learner (repeats count up), so trainers see who is
    stuck without a flood of rows.
    """

    class Reason(models.TextChoices):
        SCRIPT_ERROR = "script-error", _("a script error")
        TIMEOUT = "timeout", _("nothing shown in time")
        REMOTE_MEDIA = "remote-media", _("remote media not allowed")

    activity = models.ForeignKey(
        H5PActivity,
        on_delete=models.CASCADE,
        related_name="start_failures",
        verbose_name=_("activity"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("learner"),
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    # What the browser said (an error message), shortened; never shown as markup.
    message = models.CharField(_("message"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    times = models.PositiveIntegerField(_("times"), default=1)
    first_failed_at = models.DateTimeField(_("first failed at"), auto_now_add=True)
    last_failed_at = models.DateTimeField(_("last failed at"))

    # Trainers see the failures of their programmes' activities only.
    programme_lookups = ("activity__programme",)

    class Meta:
        verbose_name = _("H5P activity that failed to start")
        verbose_name_plural = _("H5P activities that failed to start")
        ordering = ["-last_failed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "user"], name="h5p_start_failure_one_per_learner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity} ({self.get_reason_display()})"


class XAPIStatement(models.Model):
    """One validated xAPI statement a learner's browser reported.

    Everything here was computed in the browser, so it is marked self-reported:
    it may complete a lesson, but it is not a server-graded result.
    """

    class Verb(models.TextChoices):
        ANSWERED = "answered", _("answered")
        COMPLETED = "completed", _("completed")
        PASSED = "passed", _("passed")
        FAILED = "failed", _("failed")
        SCORED = "scored", _("scored")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    activity = models.ForeignKey(
        H5PActivity, on_delete=models.CASCADE, related_name="statements"
    )
    verb = models.CharField(max_length=16, choices=Verb.choices)
    # Empty for the activity itself; H5P's subContentId for a question inside it.
    sub_content_id = models.CharField(max_length=64, blank=True)
    score_raw = models.FloatField(null=True, blank=True)
    score_max = models.FloatField(null=True, blank=True)
    score_scaled = models.FloatField(null=True, blank=True)
    success = models.BooleanField(null=True, blank=True)
    completion = models.BooleanField(null=True, blank=True)
    self_reported = models.BooleanField(default=True)
    # The statement's xAPI id: a replay of the same statement is recorded once.
    # Empty only for rows recorded before it was kept.
    statement_id = models.UUIDField(null=True, blank=True, unique=True)
    statement = models.JSONField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("xAPI statement")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score_raw__isnull=True)
                | models.Q(score_raw__gte=0, score_raw__lte=models.F("score_max")),
                name="xapi_score_within_range",
            ),
            models.CheckConstraint(
                condition=models.Q(score_scaled__isnull=True)
                | models.Q(score_scaled__gte=0, score_scaled__lte=1),
                name="xapi_scaled_score_within_range",
            ),
        ]
        indexes = [models.Index(fields=["user", "activity"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.verb} {self.activity_id}"

    @property
    def counts_as_completed(self) -> bool:
        return (
            self.verb in (self.Verb.COMPLETED, self.Verb.PASSED, self.Verb.FAILED)
            or self.completion is True
        )

    @property
    def counts_as_passed(self) -> bool:
        return self.verb == self.Verb.PASSED or self.success is True


class H5PHeldPackage(models.Model):
    """A trainer's upload that needs libraries this site does not have yet, held
    for a programme manager: nothing is installed and nothing plays until one
    approves it (content.services.approvals)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")

    title = models.CharField(_("title"), max_length=255)
    # The .h5p file as uploaded, in the default storage; removed once decided.
    storage_name = models.CharField(max_length=512, unique=True)
    programme = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("programme"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("sent by"),
    )
    submitted_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    # "H5P.Foo 1.2.3" for each library the package would install or update.
    libraries = models.JSONField(_("libraries it would install"), default=list)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    activity = models.ForeignKey(
        H5PActivity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("activity created"),
    )
    # When the trainer was told the outcome: told once.
    notified_at = models.DateTimeField(null=True, blank=True)

    programme_lookups = ("programme",)

    class Meta:
        verbose_name = _("H5P package awaiting approval")
        verbose_name_plural = _("H5P packages sent for approval")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return self.title

    def libraries_to_install(self) -> str:
        return ", ".join(self.libraries)

    libraries_to_install.short_description = _("libraries it would install")
