"""The H5P activity block for lessons (courses.blocks.LessonBodyBlock uses it)."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.middleware.csrf import get_token
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.snippets.blocks import SnippetChooserBlock

from .player import player_start_timeout, player_url
from .progress import (
    ActivityProgress,
    Requirement,
    activity_progress,
    h5p_blocks,
    reports_results,
)
from .services import ALLOWED_VERBS

# Where a lesson's page reports an activity's results and start failures:
# (record URL, failure URL) for a page and an activity. Lessons are courses'
# business, so courses registers it in its ready(); until then (or on a page
# that is no lesson) the block plays without reporting.
_reporting_urls: Callable[[int, int], tuple[str, str]] | None = None


def register_reporting_urls(urls: Callable[[int, int], tuple[str, str]]) -> None:
    global _reporting_urls
    _reporting_urls = urls


class H5PActivityBlock(blocks.StructBlock):
    """An uploaded H5P activity, played in a sandboxed frame."""

    activity = SnippetChooserBlock("content.H5PActivity", label=_("H5P activity"))
    requirement = blocks.ChoiceBlock(
        label=_("needed to finish the lesson"),
        choices=[
            (Requirement.NONE, _("Nothing: the activity is for practice")),
            (Requirement.COMPLETED, _("The activity completed")),
            (Requirement.PASSED, _("The activity passed")),
        ],
        default=Requirement.NONE,
        help_text=_(
            "Results come from the learner's browser: they can finish a lesson, "
            "but count toward a certificate only if the course allows it. "
            "Accordion, Dialog Cards, Image Hotspots, Timeline and Virtual Tour "
            "never report results, so they can only be for practice."
        ),
    )

    def clean(self, value):
        value = super().clean(value)
        activity = value.get("activity")
        requirement = value.get("requirement") or Requirement.NONE
        if (
            activity is not None
            and requirement != Requirement.NONE
            and not reports_results(activity)
        ):
            raise StructBlockValidationError(
                block_errors={
                    "requirement": ValidationError(
                        _(
                            "“%(title)s” is a %(type)s activity: it never tells the "
                            "platform that a learner finished it, so a lesson "
                            "requiring it could never be finished. Choose "
                            "“Nothing: the activity is for practice”."
                        ),
                        params={
                            "title": activity.title,
                            "type": activity.main_library.machine_name,
                        },
                    )
                }
            )
        return value

    class Meta:
        icon = "pick"
        template = "content/blocks/h5p_activity_block.html"
        label = _("H5P activity")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        request = parent_context.get("request")
        page = parent_context.get("page")
        activity = value.get("activity")
        if activity is None or request is None:
            return context
        language = getattr(request, "LANGUAGE_CODE", "en")
        context["player_url"] = player_url(request, activity, language)
        context["object_id"] = activity.xapi_object_id
        context["allowed_verbs"] = " ".join(sorted(ALLOWED_VERBS))
        context["start_timeout"] = player_start_timeout()
        if (
            page is not None
            and request.user.is_authenticated
            and _reporting_urls is not None
        ):
            context["record_url"], context["failure_url"] = _reporting_urls(
                page.pk, activity.pk
            )
            context["csrf"] = get_token(request)
            progress = _lesson_progress(request, page)
            context["requirement_met"] = activity.requirement_waived or progress.get(
                activity.pk, ActivityProgress()
            ).meets(value.get("requirement"))
        return context


def _lesson_progress(request, page) -> dict[int, ActivityProgress]:
    """The learner's progress in every activity of the page, read once per request
    however many H5P blocks the lesson has."""
    cache = request.__dict__.setdefault("_h5p_progress", {})
    if page.pk not in cache:
        activity_ids = [activity_id for activity_id, _ in h5p_blocks(page)]
        cache[page.pk] = activity_progress(request.user, activity_ids)
    return cache[page.pk]
