"""The certificate page: A4 landscape, English and Urdu, with a QR code to verify."""

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

from . import footer
from .content import CertificateFacts, CertificateStyle, fill_wording, wording_values
from .fonts import FontSet, register_fonts
from .graphics import (
    FRAME_MARGIN,
    INK,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    PAPER,
    STATUS_RED,
    Palette,
    draw_image,
    draw_rule,
    draw_star,
)
from .text import Line, Span, fitted_line, wrap

OUTER_MARGIN = 18
CENTRE_X = PAGE_WIDTH / 2
CONTENT_WIDTH = 680
ISSUER_BASELINE = 505
TITLE_BASELINE = 470


def render_certificate_pdf(
    facts: CertificateFacts,
    style: CertificateStyle,
    *,
    font_dirs: Sequence[str | os.PathLike] | None = None,
) -> bytes:
    """Return the PDF of one certificate (unsigned)."""
    fonts = register_fonts(font_dirs)
    palette = Palette.from_hex(style.primary_colour, style.accent_colour)
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
    # Viewers and screen readers announce the title, not the file name. The
    # text is drawn in reading order (heading, holder, course, dates, then the
    # verification block), and Urdu words carry /Lang (ur) with their text.
    canvas.setViewerPreference("DisplayDocTitle", "true")

    _draw_frame(canvas, palette)
    if facts.status_en or facts.status_ur:
        _draw_status_watermark(canvas, facts, fonts)
    body_top = _draw_heading(canvas, facts, style, fonts, palette)
    _draw_body(canvas, body_top, facts, style, fonts, palette)
    footer.draw_footer(canvas, facts, style.signatories, fonts, palette)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_frame(canvas: Canvas, palette: Palette) -> None:
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
            draw_star(canvas, x, y, 9, palette.accent)


def _draw_heading(
    canvas: Canvas,
    facts: CertificateFacts,
    style: CertificateStyle,
    fonts: FontSet,
    palette: Palette,
) -> float:
    """Draw logo, issuer and titles; return the height where the body may start."""
    if style.logo is not None:
        draw_image(canvas, style.logo, CENTRE_X, 518, max_width=170, max_height=42)
    else:
        draw_star(canvas, CENTRE_X, 537, 14, palette.accent)
    issuer = [Span(facts.issuer_en, fonts.bold)]
    if facts.issuer_ur:
        issuer += [
            Span("   \u2022   ", fonts.bold),
            Span(facts.issuer_ur, fonts.bold),
        ]
    canvas.setFillColor(palette.primary)
    issuer_line = fitted_line(issuer, 11, CONTENT_WIDTH, rtl=False)
    issuer_line.draw(canvas, CENTRE_X, ISSUER_BASELINE, "centre")
    title_en = fitted_line([Span(style.title_en, fonts.bold)], 30, CONTENT_WIDTH, False)
    title_en.draw(canvas, CENTRE_X, TITLE_BASELINE, "centre")
    title_ur = fitted_line([Span(style.title_ur, fonts.bold)], 22, CONTENT_WIDTH, True)
    title_ur_baseline = TITLE_BASELINE - max(title_en.descent, 8) - 4 - title_ur.ascent
    title_ur.draw(canvas, CENTRE_X, title_ur_baseline, "centre")
    rule_y = title_ur_baseline - max(title_ur.descent, 6) - 8
    draw_rule(canvas, CENTRE_X, rule_y, 220, palette.accent)
    return rule_y - 6


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
    palette: Palette,
) -> None:
    """The status, the holder's name and the wording, shrunk until they fit."""
    available = top - footer.TOP
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
    palette: Palette,
    scale: float,
) -> list[_BodyLine]:
    lines: list[_BodyLine] = []

    def add(spans, size, rtl, colour, gap=0.0, many=True):
        size *= scale
        if many:
            shaped = wrap(spans, size, CONTENT_WIDTH, rtl)
        else:
            shaped = [fitted_line(spans, size, CONTENT_WIDTH, rtl)]
        for line in shaped:
            ascent, descent = _line_extent(line, size)
            descent += 0.3 * size + gap * scale
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


def _draw_status_watermark(canvas: Canvas, facts: CertificateFacts, fonts) -> None:
    text = facts.status_en or facts.status_ur
    canvas.saveState()
    canvas.translate(CENTRE_X, PAGE_HEIGHT / 2)
    canvas.rotate(24)
    canvas.setFillColor(STATUS_RED, alpha=0.13)
    spans = [Span(text, fonts.bold)]
    fitted_line(spans, 80, PAGE_WIDTH * 0.8, rtl=not facts.status_en).draw(
        canvas, 0, -25, "centre"
    )
    canvas.restoreState()


def _line_extent(line: Line, size: float) -> tuple[float, float]:
    """Room a line needs above and below its baseline.

    Latin lines get steady spacing from the type size; Nastaliq words can
    climb far higher, so their shaped ink decides.
    """
    return max(line.ascent, 0.8 * size), max(line.descent, 0.3 * size)
