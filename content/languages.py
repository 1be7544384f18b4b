"""Moved to the languages app (languages.served); kept so that older imports
(a migration names ``content.languages.content_language_choices``) still work."""

from languages.served import (
    NASKH_STYLESHEET,
    NASTALIQ_STYLESHEET,
    SCRIPT_STYLESHEETS,
    LanguageChoice,
    content_language_choices,
    is_right_to_left,
    local_name,
    primary_code,
    right_to_left_content_languages,
    script_stylesheet,
    switcher_choices,
)

__all__ = [
    "NASKH_STYLESHEET",
    "NASTALIQ_STYLESHEET",
    "SCRIPT_STYLESHEETS",
    "LanguageChoice",
    "content_language_choices",
    "is_right_to_left",
    "local_name",
    "primary_code",
    "right_to_left_content_languages",
    "script_stylesheet",
    "switcher_choices",
]
