"""The site's front page."""

from __future__ import annotations

from django.db import models
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class HomePage(Page):
    """Programmes and their courses, a start for learners, and verification."""

    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("One or two sentences under the site's name."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["courses.ProgrammePage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        # When a language has no home page of its own, Wagtail routes its
        # addresses through the default language's tree, which would show English
        # pages under /ps/ as if they were Pashto. Every page answers only in its
        # own language.
        if self.locale.language_code != get_language():
            raise Http404
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from courses.models import ProgrammePage
        from events.reads import upcoming_events

        context = super().get_context(request, *args, **kwargs)
        context["programmes"] = ProgrammePage.programmes_with_courses(self)
        context["upcoming_events"] = upcoming_events()
        return context
