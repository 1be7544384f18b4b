"""Find the Noto fonts on disk and register them with ReportLab once per process.

The fonts come from the Debian package ``fonts-noto-core``; nothing is copied
into the repository. ReportLab embeds only the glyphs a PDF uses (subsets).
"""

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

DEFAULT_FONT_DIRS: tuple[str, ...] = ("/usr/share/fonts/truetype/noto",)
DEBIAN_PACKAGE = "fonts-noto-core"

# ReportLab font name -> file name in fonts-noto-core.
# One serif family and Nastaliq: every extra font is another subset to build,
# compress and embed in each certificate.
FONT_FILES = {
    "CertLatin": "NotoSerif-Regular.ttf",
    "CertLatin-Bold": "NotoSerif-Bold.ttf",
    "CertUrdu": "NotoNastaliqUrdu-Regular.ttf",
    "CertUrdu-Bold": "NotoNastaliqUrdu-Bold.ttf",
}


class FontsNotFoundError(RuntimeError):
    """A font the certificate needs is not installed."""


@dataclass(frozen=True)
class Typeface:
    """A Latin font and the Urdu font used beside it in mixed text."""

    latin: str
    urdu: str


@dataclass(frozen=True)
class FontSet:
    regular: Typeface
    bold: Typeface


FONTS = FontSet(
    regular=Typeface("CertLatin", "CertUrdu"),
    bold=Typeface("CertLatin-Bold", "CertUrdu-Bold"),
)

_lock = threading.Lock()
_registered_from: dict[str, Path] = {}


def register_fonts(font_dirs: Sequence[str | os.PathLike] | None = None) -> FontSet:
    """Register the certificate fonts, looking in ``font_dirs`` in order.

    Registration parses each font file, so it happens once per process; later
    calls return at once and ignore ``font_dirs``. ReportLab's font registry is
    global and not thread-safe: render in worker processes, not threads.
    """
    with _lock:
        missing = [name for name in FONT_FILES if name not in _registered_from]
        if missing:
            paths = find_font_files(font_dirs)
            for font_name in missing:
                path = paths[font_name]
                # shapable: ReportLab may shape this font with HarfBuzz.
                pdfmetrics.registerFont(TTFont(font_name, str(path), shapable=True))
                _registered_from[font_name] = path
    return FONTS


def find_font_files(
    font_dirs: Sequence[str | os.PathLike] | None = None,
) -> dict[str, Path]:
    """Return the path of each certificate font, searching ``font_dirs`` in order.

    Raises FontsNotFoundError, naming the Debian package, if one is missing.
    """
    dirs = [Path(d) for d in (font_dirs or DEFAULT_FONT_DIRS)]
    paths = {}
    for font_name, file_name in FONT_FILES.items():
        path = next((d / file_name for d in dirs if (d / file_name).is_file()), None)
        if path is None:
            searched = ", ".join(str(d) for d in dirs)
            raise FontsNotFoundError(
                f"Font {file_name} not found in {searched}. Install the Debian "
                f"package {DEBIAN_PACKAGE} (apt-get install {DEBIAN_PACKAGE}) or "
                "point the certificate font directories at a folder that holds it."
            )
        paths[font_name] = path
    return paths
