"""The certificate page: A4 landscape, English and Urdu, with a QR code to verify."""

import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from .content import (
    CertificateFacts,
    CertificateStyle,
    ImageSource,
    Signatory,
    fill_wording,
    format_date,
    format_hours,
    wording_values,
)
from .fonts import FontSet, register_fonts
from .qr import draw_qr
from .text import Line, Span, fit_size, shape_line, wrap

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
OUTER_MARGIN = 18
FRAME_MARGIN = 26
CENTRE_X = PAGE_WIDTH / 2
CONTENT_WIDTH = 680
INK = HexColor("#222222")
MUTED = HexColor("#5f6368")
PAPER = HexColor("#fffdf6")
STATUS_RED = HexColor("#b3261e")
_HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")

# The bottom band: facts, signatories and the QR code.
QR_SIZE = 104
QR_CENTRE_X = PAGE_WIDTH - FRAME_MARGIN - 100
QR_BOTTOM = 82
FACTS_BASELINE = 164
BODY_BOTTOM = 184  # the middle text must stay above this
TITLE_BASELINE = 470

LABELS = {
    "issued_on": ("Issued on", "تاریخِ اجرا"),
    "expires_on": ("Valid until", "تاریخِ اختتام"),
    "cpd_hours": ("CPD hours", "سی پی ڈی گھنٹے"),
    "scan": ("Scan or visit to verify:", "تصدیق کے لیے اسکین کریں"),
}


@dataclass(frozen=True)
class _Palette:
    primary: Color
    accent: Color


def render_certificate_pdf(
    facts: CertificateFacts,
    style: CertificateStyle,
    *,
    font_dirs: Sequence[str | os.PathLike] | None = None,
) -> bytes:
    """Return the PDF of one certificate (unsigned)."""
    fonts = register_fonts(font_dirs)
    palette = _Palette(_colour(style.primary_colour), _colour(style.accent_colour))
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        initialFontName=fonts.regular.latin,
        pageCompression=1,
        lang="en",
    )
    canvas.setTitle(f"{style.title_en}: {facts.holder_name_en}")
    canvas.setAuthor(facts.issuer_en)
    canvas.setSubject(f"Verification code {facts.verification_code}")
    canvas.setCreator("Alliance LMS")

    _draw_frame(canvas, palette)
    body_top = _draw_heading(canvas, facts, style, fonts, palette)
    _draw_body(canvas, body_top, facts, style, fonts, palette)
    _draw_facts(canvas, facts, fonts, palette)
    _draw_signatories(canvas, style.signatories, fonts)
    _draw_verification(canvas, facts, fonts, palette)
    if facts.status_en or facts.status_ur:
        _draw_status_watermark(canvas, facts, fonts)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _colour(value: str) -> Color:
    if not isinstance(value, str) or not _HEX_COLOUR.match(value):
        raise ValueError(f"Colours are written #rrggbb, not {value!r}")
    return HexColor(value)


def _draw_frame(canvas: Canvas, palette: _Palette) -> None:
    canvas.setFillColor(PAPER)
    canvas.rect(0, 0, PAGE_WIDTH, PAGE_HEIGHT, stroke=0, fill=1)
    canvas.setStrokeColor(palette.primary)
    canvas.setLineWidth(3)
    inset = OUTER_MARGIN
    canvas.rect(inset, inset, PAGE_WIDTH - 2 * inset, PAGE_HEIGHT - 2 * inset)
    canvas.setStrokeColor(palette.accent)
    canvas.setLineWidth(0.8)
    inset = FRAME_MARGIN
    canvas.rect(inset, inset, PAGE_WIDTH - 2 * inset, PAGE_HEIGHT - 2 * inset)
    for x in (FRAME_MARGIN, PAGE_WIDTH - FRAME_MARGIN):
        for y in (FRAME_MARGIN, PAGE_HEIGHT - FRAME_MARGIN):
            _draw_star(canvas, x, y, 9, palette.accent)


def _draw_star(canvas: Canvas, x: float, y: float, radius: float, colour) -> None:
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


def _draw_heading(
    canvas: Canvas,
    facts: CertificateFacts,
    style: CertificateStyle,
    fonts: FontSet,
    palette: _Palette,
) -> float:
    """Draw logo, issuer and titles; return the height where the body may start."""
    if style.logo is not None:
        _draw_image(canvas, style.logo, CENTRE_X, 518, max_width=170, max_height=42)
    else:
        _draw_star(canvas, CENTRE_X, 537, 14, palette.accent)
    issuer = [Span(facts.issuer_en, fonts.bold)]
    if facts.issuer_ur:
        issuer += [
            Span("   \u2022   ", fonts.bold),
            Span(facts.issuer_ur, fonts.bold),
        ]
    canvas.setFillColor(palette.primary)
    _fitted(issuer, 11, CONTENT_WIDTH, rtl=False).draw(canvas, CENTRE_X, 505, "centre")
    title_en = _fitted([Span(style.title_en, fonts.bold)], 30, CONTENT_WIDTH, False)
    title_en.draw(canvas, CENTRE_X, TITLE_BASELINE, "centre")
    title_ur = _fitted([Span(style.title_ur, fonts.bold)], 22, CONTENT_WIDTH, True)
    title_ur_baseline = TITLE_BASELINE - max(title_en.descent, 8) - 4 - title_ur.ascent
    title_ur.draw(canvas, CENTRE_X, title_ur_baseline, "centre")
    rule_y = title_ur_baseline - max(title_ur.descent, 6) - 8
    _draw_rule(canvas, CENTRE_X, rule_y, 220, palette.accent)
    return rule_y - 6


def _draw_rule(canvas: Canvas, x: float, y: float, width: float, colour) -> None:
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


@dataclass(frozen=True)
class _BodyLine:
    line: Line
    ascent: float  # room above the baseline
    descent: float  # room below it, including the gap to the next line
    colour: Color

    @property
    def height(self) -> float:
        return self.ascent + self.descent


def _draw_body(
    canvas: Canvas,
    top: float,
    facts: CertificateFacts,
    style: CertificateStyle,
    fonts: FontSet,
    palette: _Palette,
) -> None:
    """The status, the holder's name and the wording, shrunk until they fit."""
    available = top - BODY_BOTTOM
    for scale in (1.0, 0.93, 0.86, 0.8, 0.74, 0.68, 0.62):
        lines = _body_lines(facts, style, fonts, palette, scale)
        if sum(line.height for line in lines) <= available:
            break
    y = top - (available - sum(line.height for line in lines)) / 2
    for body_line in lines:
        y -= body_line.ascent
        canvas.setFillColor(body_line.colour)
        body_line.line.draw(canvas, CENTRE_X, y, "centre")
        y -= body_line.descent


def _body_lines(
    facts: CertificateFacts,
    style: CertificateStyle,
    fonts: FontSet,
    palette: _Palette,
    scale: float,
) -> list[_BodyLine]:
    lines: list[_BodyLine] = []

    def add(spans, size, rtl, colour, gap=0.0, many=True):
        size *= scale
        if many:
            shaped = wrap(spans, size, CONTENT_WIDTH, rtl)
        else:
            shaped = [_fitted(spans, size, CONTENT_WIDTH, rtl)]
        for line in shaped:
            ascent, descent = _line_extent(line, size)
            descent += (0.3 * size + gap) * scale
            lines.append(_BodyLine(line, ascent, descent, colour))

    if facts.status_en:
        add([Span(facts.status_en, fonts.bold)], 11, False, STATUS_RED)
    if facts.status_ur:
        add([Span(facts.status_ur, fonts.bold)], 11, True, STATUS_RED, gap=4)
    presented = [Span(style.presented_en, fonts.regular)]
    if style.presented_ur:
        bullet = Span("   \u2022   ", fonts.regular)
        presented += [bullet, Span(style.presented_ur, fonts.regular)]
    add(presented, 12, False, MUTED, gap=4, many=False)
    name_en = [Span(facts.holder_name_en, fonts.bold)]
    add(name_en, 28, False, palette.primary, many=False)
    if facts.holder_name_ur:
        name_ur = [Span(facts.holder_name_ur, fonts.bold)]
        add(name_ur, 20, True, palette.primary, many=False)
    lines[-1] = replace(lines[-1], descent=lines[-1].descent + 4 * scale)
    for template, language in ((style.wording_en, "en"), (style.wording_ur, "ur")):
        if template:
            spans = _wording_spans(template, facts, language, fonts)
            add(spans, 12.5, language == "ur", INK, gap=2)
    for text, rtl in ((style.validity_en, False), (style.validity_ur, True)):
        if text:
            add([Span(text, fonts.regular)], 9, rtl, MUTED)
    return lines


def _wording_spans(
    template: str, facts: CertificateFacts, language: str, fonts: FontSet
) -> list[Span]:
    pieces = fill_wording(template, wording_values(facts, language))
    return [
        Span(text, fonts.bold if is_value else fonts.regular)
        for text, is_value in pieces
    ]


def _draw_facts(
    canvas: Canvas, facts: CertificateFacts, fonts: FontSet, palette: _Palette
) -> None:
    cells = [
        ("issued_on", format_date(facts.issued_on)),
        ("cpd_hours", format_hours(facts.cpd_hours)),
    ]
    if facts.expires_on is not None:
        cells.append(("expires_on", format_date(facts.expires_on)))
    left = FRAME_MARGIN + 40
    width = (QR_CENTRE_X - 110 - left) / len(cells)
    for index, (key, value) in enumerate(cells):
        x = left + width * (index + 0.5)
        label_en, label_ur = LABELS[key]
        label = [
            Span(label_en.upper(), fonts.regular),
            Span("  ", fonts.regular),
            Span(label_ur, fonts.regular),
        ]
        canvas.setFillColor(MUTED)
        _fitted(label, 7.5, width - 12, rtl=False).draw(
            canvas, x, FACTS_BASELINE + 16, "centre"
        )
        canvas.setFillColor(INK)
        _fitted([Span(value, fonts.bold)], 13, width - 12, rtl=False).draw(
            canvas, x, FACTS_BASELINE, "centre"
        )
    canvas.setStrokeColor(palette.accent)
    canvas.setLineWidth(0.5)
    canvas.line(
        left, FACTS_BASELINE - 12, left + width * len(cells), FACTS_BASELINE - 12
    )


def _draw_signatories(
    canvas: Canvas, signatories: Sequence[Signatory], fonts: FontSet
) -> None:
    if not signatories:
        return
    left = FRAME_MARGIN + 40
    width = (QR_CENTRE_X - 110 - left) / len(signatories)
    line_y = 90
    for index, signatory in enumerate(signatories):
        x = left + width * (index + 0.5)
        column = min(width - 20, 180)
        if signatory.signature is not None:
            _draw_image(canvas, signatory.signature, x, line_y + 3, column, 38)
        canvas.setStrokeColor(MUTED)
        canvas.setLineWidth(0.6)
        canvas.line(x - column / 2, line_y, x + column / 2, line_y)
        canvas.setFillColor(INK)
        _fitted([Span(signatory.name_en, fonts.bold)], 9.5, column, False).draw(
            canvas, x, line_y - 12, "centre"
        )
        canvas.setFillColor(MUTED)
        if signatory.title_en:
            _fitted([Span(signatory.title_en, fonts.regular)], 8, column, False).draw(
                canvas, x, line_y - 23, "centre"
            )
        urdu = "\u060c ".join(t for t in (signatory.name_ur, signatory.title_ur) if t)
        if urdu:
            _fitted([Span(urdu, fonts.regular)], 8, column, True).draw(
                canvas, x, line_y - 42, "centre"
            )


def _draw_verification(
    canvas: Canvas, facts: CertificateFacts, fonts: FontSet, palette: _Palette
) -> None:
    x = QR_CENTRE_X
    draw_qr(canvas, facts.verification_url, x - QR_SIZE / 2, QR_BOTTOM, QR_SIZE)
    canvas.setFillColor(INK)
    code = [Span(facts.verification_code, fonts.bold)]
    _fitted(code, 13, 176, False).draw(canvas, x, QR_BOTTOM - 15, "centre")
    canvas.setFillColor(MUTED)
    verify_en, verify_ur = LABELS["scan"]
    verify = [
        Span(verify_en, fonts.regular),
        Span("  ", fonts.regular),
        Span(verify_ur, fonts.regular),
    ]
    _fitted(verify, 7.5, 190, False).draw(canvas, x, QR_BOTTOM - 30, "centre")
    url = [Span(facts.verification_url, fonts.regular)]
    _fitted(url, 7.5, 190, False).draw(canvas, x, QR_BOTTOM - 42, "centre")


def _draw_status_watermark(canvas: Canvas, facts: CertificateFacts, fonts) -> None:
    text = facts.status_en or facts.status_ur
    canvas.saveState()
    canvas.translate(CENTRE_X, PAGE_HEIGHT / 2)
    canvas.rotate(24)
    canvas.setFillColor(STATUS_RED, alpha=0.13)
    spans = [Span(text, fonts.bold)]
    _fitted(spans, 80, PAGE_WIDTH * 0.8, rtl=not facts.status_en).draw(
        canvas, 0, -25, "centre"
    )
    canvas.restoreState()


def _line_extent(line: Line, size: float) -> tuple[float, float]:
    """Room a line needs above and below its baseline.

    Latin lines get steady spacing from the type size; Nastaliq words can
    climb far higher, so their shaped ink decides.
    """
    return max(line.ascent, 0.8 * size), max(line.descent, 0.3 * size)


def _fitted(spans: list[Span], size: float, width: float, rtl: bool) -> Line:
    return shape_line(spans, fit_size(spans, size, width, rtl), rtl)


def _draw_image(
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
