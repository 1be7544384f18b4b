"""Which languages the site offers, how each is written, and which font it needs.

Content may be in any of ``settings.LANGUAGES``; the interface has catalogues for
``settings.INTERFACE_LANGUAGES`` only (the others borrow Urdu's, see the
``compile_translations`` command). Each right-to-left language names the
stylesheet that brings its script's web font, so a page loads at most one font.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language_info

# Urdu and Punjabi (Shahmukhi) are written in Nastaliq; Sindhi and Pashto in Naskh.
NASTALIQ_STYLESHEET = "css/nastaliq.css"
NASKH_STYLESHEET = "css/naskh.css"
SCRIPT_STYLESHEETS = {
    "ur": NASTALIQ_STYLESHEET,
    "pnb": NASTALIQ_STYLESHEET,
    "sd": NASKH_STYLESHEET,
    "ps": NASKH_STYLESHEET,
}


@dataclass(frozen=True)
class LanguageChoice:
    code: str
    name_local: str
    url: str = ""


def primary_code(language_code: str) -> str:
    return (language_code or "").replace("_", "-").split("-", 1)[0].lower()


def script_stylesheet(language_code: str) -> str:
    """The static path of the stylesheet with this language's font, or ""."""
    return SCRIPT_STYLESHEETS.get(primary_code(language_code), "")


def is_right_to_left(language_code: str) -> bool:
    return primary_code(language_code) in settings.LANGUAGES_BIDI


def right_to_left_content_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if is_right_to_left(code)]


def local_name(language_code: str) -> str:
    """A language's name in itself ("اردو", "سنڌي"), as a switcher shows it."""
    try:
        return get_language_info(language_code)["name_local"]
    except KeyError:
        return language_code


def content_language_choices() -> list[tuple[str, str]]:
    """Every language content may be written in, each named in itself: the
    choices of a field that names a content language (a video's captions)."""
    return [(code, local_name(code)) for code, _name in settings.LANGUAGES]


def switcher_choices(current: str, page=None) -> list[LanguageChoice]:
    """What the language switcher offers on a page in ``current``.

    Always the interface languages (English, Urdu); other content languages only
    where this page has a live translation in them, with that translation's URL,
    so a learner is never sent to a Sindhi address that has no Sindhi page.
    """
    interface = [code for code, _name in settings.INTERFACE_LANGUAGES]
    choices = [
        LanguageChoice(code, local_name(code)) for code in interface if code != current
    ]
    if page is not None and getattr(page, "pk", None):
        translations = (
            page.get_translations()
            .live()
            .exclude(locale__language_code__in=[*interface, current])
            .select_related("locale")
            .order_by("locale__language_code")
        )
        choices.extend(
            LanguageChoice(
                translation.locale.language_code,
                local_name(translation.locale.language_code),
                translation.get_url(),
            )
            for translation in translations
        )
    return choices
