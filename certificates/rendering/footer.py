"""The bottom band of the certificate: key facts, signatories and the QR code."""

from collections.abc import Sequence

from reportlab.pdfgen.canvas import Canvas

from .content import CertificateFacts, Signatory, format_date, format_hours
from .fonts import FontSet
from .graphics import FRAME_MARGIN, INK, MUTED, PAGE_WIDTH, Palette, draw_image
from .qr import draw_qr
from .text import Line, Span, fit_size, fitted_line

QR_SIZE = 104
QR_CENTRE_X = PAGE_WIDTH - FRAME_MARGIN - 100
QR_BOTTOM = 82
FACTS_BASELINE = 164
TOP = 184  # the band ends here; the body stays above it
_LEFT = FRAME_MARGIN + 40
_RIGHT = QR_CENTRE_X - 110

LABELS = {
    "issued_on": ("Issued on", "تاریخِ اجرا"),
    "expires_on": ("Valid until", "تاریخِ اختتام"),
    "cpd_hours": ("CPD hours", "سی پی ڈی گھنٹے"),
    "scan": ("Scan or visit to verify:", "تصدیق کے لیے اسکین کریں"),
}


def draw_footer(
    canvas: Canvas,
    facts: CertificateFacts,
    signatories: Sequence[Signatory],
    fonts: FontSet,
    palette: Palette,
) -> None:
    _draw_facts(canvas, facts, fonts, palette)
    _draw_signatories(canvas, signatories, fonts)
    _draw_verification(canvas, facts, fonts)


def _draw_facts(
    canvas: Canvas, facts: CertificateFacts, fonts: FontSet, palette: Palette
) -> None:
    cells = [
        ("issued_on", format_date(facts.issued_on)),
        ("cpd_hours", format_hours(facts.cpd_hours)),
    ]
    if facts.expires_on is not None:
        cells.append(("expires_on", format_date(facts.expires_on)))
    left = _LEFT
    width = (_RIGHT - left) / len(cells)
    for index, (key, value) in enumerate(cells):
        x = left + width * (index + 0.5)
        label_en, label_ur = LABELS[key]
        label = [
            Span(label_en.upper(), fonts.regular),
            Span("  ", fonts.regular),
            Span(label_ur, fonts.regular),
        ]
        canvas.setFillColor(MUTED)
        fitted_line(label, 7.5, width - 12, rtl=False).draw(
            canvas, x, FACTS_BASELINE + 16, "centre"
        )
        canvas.setFillColor(INK)
        fitted_line([Span(value, fonts.bold)], 13, width - 12, rtl=False).draw(
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
    left = _LEFT
    width = (_RIGHT - left) / len(signatories)
    line_y = 90
    for index, signatory in enumerate(signatories):
        x = left + width * (index + 0.5)
        column = min(width - 20, 180)
        if signatory.signature is not None:
            draw_image(canvas, signatory.signature, x, line_y + 3, column, 38)
        canvas.setStrokeColor(MUTED)
        canvas.setLineWidth(0.6)
        canvas.line(x - column / 2, line_y, x + column / 2, line_y)
        canvas.setFillColor(INK)
        fitted_line([Span(signatory.name_en, fonts.bold)], 9.5, column, False).draw(
            canvas, x, line_y - 12, "centre"
        )
        canvas.setFillColor(MUTED)
        if signatory.title_en:
            title = [Span(signatory.title_en, fonts.regular)]
            fitted_line(title, 8, column, False).draw(canvas, x, line_y - 23, "centre")
        urdu = "\u060c ".join(t for t in (signatory.name_ur, signatory.title_ur) if t)
        if urdu:
            fitted_line([Span(urdu, fonts.regular)], 8, column, True).draw(
                canvas, x, line_y - 42, "centre"
            )


def _draw_verification(canvas: Canvas, facts: CertificateFacts, fonts: FontSet) -> None:
    x = QR_CENTRE_X
    qr_data = facts.qr_data or facts.verification_url
    draw_qr(canvas, qr_data, x - QR_SIZE / 2, QR_BOTTOM, QR_SIZE)
    canvas.setFillColor(INK)
    code = [Span(facts.verification_code, fonts.bold)]
    fitted_line(code, 13, 176, False).draw(canvas, x, QR_BOTTOM - 15, "centre")
    canvas.setFillColor(MUTED)
    verify_en, verify_ur = LABELS["scan"]
    verify = [
        Span(verify_en, fonts.regular),
        Span("  ", fonts.regular),
        Span(verify_ur, fonts.regular),
    ]
    fitted_line(verify, 7.5, 190, False).draw(canvas, x, QR_BOTTOM - 30, "centre")
    for index, line in enumerate(_url_lines(facts.verification_url, fonts, 190)):
        line.draw(canvas, x, QR_BOTTOM - 42 - 8 * index, "centre")


def _url_lines(url: str, fonts: FontSet, width: float) -> list[Line]:
    """The URL on one line, or broken after a slash onto two to stay legible."""
    size, smallest = 7.5, 6.0
    one_line = fit_size([Span(url, fonts.regular)], size, width, False)
    if one_line >= smallest or "/" not in url.rstrip("/"):
        return [fitted_line([Span(url, fonts.regular)], size, width, False)]
    middle = len(url) // 2
    breaks = [i + 1 for i, char in enumerate(url.rstrip("/")) if char == "/"]
    cut = min(breaks, key=lambda i: abs(i - middle))
    return [
        fitted_line([Span(part, fonts.regular)], smallest, width, False)
        for part in (url[:cut], url[cut:])
    ]
