"""Entry names in an .h5p zip: which may be unpacked, and where they belong."""

import re
import unicodedata

from .errors import H5PValidationError
from .errors import gettext_noop as _

MACOS_METADATA_FOLDER = "__MACOSX"

_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_DRIVE_LETTER = re.compile(r"^[A-Za-z]:")


def check_entry_name(name: str) -> None:
    """Refuse a name that could land outside the package folder or hide a file."""
    path = name.removesuffix("/")
    if not path or path.startswith(("/", "\\")) or _DRIVE_LETTER.match(path):
        raise H5PValidationError(
            "absolute_path",
            _(
                'The package holds "%(name)s", an absolute path; every file in an '
                "H5P package must sit inside the package."
            ),
            name=name,
        )
    segments = re.split(r"[/\\]", path)
    if ".." in segments:
        raise H5PValidationError(
            "path_traversal",
            _(
                'The package holds "%(name)s", which climbs out of the package '
                'folder with "..".'
            ),
            name=name,
        )
    if "\\" in path or ":" in path or any(_is_control(char) for char in path):
        raise H5PValidationError(
            "bad_path",
            _(
                'The package holds "%(name)s", a name with a backslash, colon or '
                "control character, which H5P files never have."
            ),
            name=name,
        )
    for segment in segments:
        if segment in ("", "."):
            raise H5PValidationError(
                "bad_path",
                _('The package holds "%(name)s", a name with an empty or "." part.'),
                name=name,
            )
        if segment.startswith(".") or segment == MACOS_METADATA_FOLDER:
            # Hidden files (.htaccess, .DS_Store) and macOS's __MACOSX copies are
            # never part of H5P content; H5P core skips them, we refuse them so
            # nothing unvalidated rides along into storage.
            raise H5PValidationError(
                "dotfile",
                _(
                    'The package holds the hidden file or folder "%(name)s". '
                    "Hidden files and macOS __MACOSX folders are not allowed; "
                    "export the package from H5P again instead of re-zipping it."
                ),
                name=name,
            )
        if len(segment.encode()) > 255:
            raise H5PValidationError(
                "bad_path",
                _('The package holds "%(name)s", a name with a part too long.'),
                name=name,
            )


def file_extension(name: str) -> str:
    """Lower-case extension of the last part of ``name``, "" when it has none."""
    last = name.rsplit("/", 1)[-1]
    stem, dot, extension = last.rpartition(".")
    return extension.lower() if dot and stem else ""


def _is_control(char: str) -> bool:
    # Bidi overrides can make "evil\u202egnp.js" display as "evil.js.png"; the
    # zero-width joiners Urdu text uses stay allowed.
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in _BIDI_CONTROLS
