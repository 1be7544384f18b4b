"""Wagtail's content checks (the "Checks" of the page editor's preview and of
the userbar on the site), with the rules our lessons need as well."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.userbar import ContentCheckerItem


class LessonContentChecker(ContentCheckerItem):
    """Wagtail's checks on the page's own content (not the header and footer),
    plus: every image has a text alternative; every ``lang`` attribute names a
    real language (an English name in an Urdu lesson is marked ``lang="en"``,
    so screen readers switch voice); and a text alternative that is a file
    name or a bare "image" or "تصویر" is flagged."""

    axe_include = ["main"]
    axe_run_only = [*ContentCheckerItem.axe_run_only, "image-alt", "valid-lang"]
    axe_custom_checks = [
        {
            "id": "check-image-alt-text",
            "options": {
                "pattern": (
                    "\\.(avif|gif|jpe?g|png|svg|webp)$|_"
                    "|^(image|picture|photo|img|تصویر|فوٹو|عکس)$"
                )
            },
        },
        *(
            check
            for check in ContentCheckerItem.axe_custom_checks
            if check["id"] != "check-image-alt-text"
        ),
    ]
    axe_messages = {
        **ContentCheckerItem.axe_messages,
        "image-alt": {
            "error_name": _("Image without a text alternative"),
            "help_text": _(
                "Say what the image shows, or tick “decorative” in its block"
            ),
        },
        "valid-lang": {
            "error_name": _("Unknown language code"),
            "help_text": _("Use a language code such as en, ur or sd"),
        },
    }


def use_lesson_content_checks(request, items, page) -> None:
    """Registered for ``construct_wagtail_userbar``: Wagtail's checker item is
    replaced by ours, in the editor's preview and on the site alike."""
    items[:] = [
        LessonContentChecker(item.in_editor)
        if isinstance(item, ContentCheckerItem)
        and not isinstance(item, LessonContentChecker)
        else item
        for item in items
    ]
