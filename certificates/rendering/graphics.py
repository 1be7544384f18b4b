"""Colours, ornaments and pictures shared by the parts of the certificate page."""

import io
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from .content import ImageSource

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
FRAME_MARGIN = 26  # the inner border; nothing is drawn outside it but the frame

INK = HexColor("#222222")
MUTED = HexColor("#5f6368")
PAPER = HexColor("#fffdf6")
STATUS_RED = HexColor("#b3261e")
_HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class Palette:
    primary: Color
    accent: Color

    @classmethod
    def from_hex(cls, primary: str, accent: str) -> "Palette":
        return cls(_colour(primary), _colour(accent))


def _colour(value: str) -> Color:
    if not isinstance(value, str) or not _HEX_COLOUR.match(value):
        raise ValueError(f"Colours are written #rrggbb, not {value!r}")
    return HexColor(value)


def draw_star(canvas: Canvas, x: float, y: float, radius: float, colour) -> None:
    """An eight-pointed star (two squares, one turned 45 degrees)."""
    canvas.saveState()
    canvas.setFillColor(PAPER)
    canvas.setStrokeColor(colour)
    canvas.setLineWidth(0.9)
    canvas.translate(x, y)
    side = radius * 1.25
    for angle in (0, 45):
        canvas.saveState()
        canvas.rotate(angle)
        canvas.rect(-side / 2, -side / 2, side, side, stroke=1, fill=1)
        canvas.restoreState()
    canvas.setFillColor(colour)
    canvas.circle(0, 0, radius * 0.18, stroke=0, fill=1)
    canvas.restoreState()


def draw_rule(canvas: Canvas, x: float, y: float, width: float, colour) -> None:
    canvas.saveState()
    canvas.setStrokeColor(colour)
    canvas.setFillColor(colour)
    canvas.setLineWidth(0.8)
    canvas.line(x - width / 2, y, x - 8, y)
    canvas.line(x + 8, y, x + width / 2, y)
    path = canvas.beginPath()
    path.moveTo(x - 5, y)
    path.lineTo(x, y + 3.5)
    path.lineTo(x + 5, y)
    path.lineTo(x, y - 3.5)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def draw_image(
    canvas: Canvas,
    source: ImageSource,
    centre_x: float,
    bottom: float,
    max_width: float,
    max_height: float,
) -> None:
    image = _image_reader(source if isinstance(source, bytes) else os.fspath(source))
    image_width, image_height = image.getSize()
    scale = min(max_width / image_width, max_height / image_height)
    width, height = image_width * scale, image_height * scale
    canvas.drawImage(image, centre_x - width / 2, bottom, width, height, mask="auto")


@lru_cache(maxsize=32)
def _image_reader(source: bytes | str) -> ImageReader:
    # Parse each logo or signature once per process, not once per certificate.
    return ImageReader(io.BytesIO(source) if isinstance(source, bytes) else source)
