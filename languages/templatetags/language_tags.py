"""Template tags for the page's script font and the language switcher."""

from django import template
from django.utils.translation import get_language
from wagtail.models import Page

from languages import served as languages

register = template.Library()


@register.simple_tag
def script_stylesheet() -> str:
    """The stylesheet that brings the current language's font, or ""."""
    return languages.script_stylesheet(get_language() or "")


@register.simple_tag(takes_context=True)
def language_choices(context) -> list[languages.LanguageChoice]:
    page = context.get("page")
    return languages.switcher_choices(
        get_language() or "", page if isinstance(page, Page) else None
    )


@register.filter
def local_language_name(language_code: str) -> str:
    """A language's name in itself: ``"ur"`` → ``"اردو"``."""
    return languages.local_name(language_code)
