"""Moved to the languages app (languages.text); kept so that older imports still
work."""

from languages.text import (
    format_date,
    format_number,
    names_match,
    normalise_for_matching,
    to_ascii_digits,
    to_urdu_digits,
)

__all__ = [
    "format_date",
    "format_number",
    "names_match",
    "normalise_for_matching",
    "to_ascii_digits",
    "to_urdu_digits",
]
