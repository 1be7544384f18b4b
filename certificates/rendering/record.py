"""A learner's CPD record as a PDF: A4 portrait, English and Urdu, the same
shaped, extractable text as the certificates (see text.py)."""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas

from .content import format_date, format_hours
from .fonts import FontSet, register_fonts
from .graphics import INK, MUTED
from .text import Span, fitted_line, wrap

WIDTH, HEIGHT = 595.27, 841.89  # A4 portrait, points
MARGIN = 48
TEXT_WIDTH = WIDTH - 2 * MARGIN
BRAND = HexColor("#0b5d3b")

LABELS = {
    "title": (
        "Continuing professional development record",
        "پیشہ ورانہ ترقی کا ریکارڈ",
    ),
    "total": ("Total CPD hours", "کل سی پی ڈی گھنٹے"),
    "by_year": ("Hours by year", "سال بہ سال گھنٹے"),
    "year": ("Year", "سال"),
    "certificates": ("Certificates", "اسناد"),
    "issued_on": ("Issued on", "تاریخِ اجرا"),
    "expires_on": ("Valid until", "تاریخِ اختتام"),
    "cpd_hours": ("CPD hours", "سی پی ڈی گھنٹے"),
    "code": ("Code", "کوڈ"),
    "none": ("No certificates yet.", "ابھی کوئی سند نہیں۔"),
    "awards": ("Awards", "اعزازات"),
    "verify": (
        "Each certificate can be checked at the address under it. The signed, "
        "machine-readable record (Open Badges 3.0) is at:",
        "ہر سند اس کے نیچے دیے گئے پتے پر جانچی جا سکتی ہے۔ دستخط شدہ، مشین سے "
        "پڑھا جانے والا ریکارڈ (اوپن بیجز 3.0) اس پتے پر ہے:",
    ),
    "printed": ("Printed on", "طباعت کی تاریخ"),
}


@dataclass(frozen=True)
class RecordEntry:
    course_en: str
    course_ur: str
    issued_on: date
    expires_on: date | None
    cpd_hours: Decimal
    code: str
    verification_url: str


@dataclass(frozen=True)
class RecordAwardEntry:
    title_en: str
    title_ur: str
    issued_on: date


@dataclass(frozen=True)
class RecordYear:
    year: int
    hours: Decimal
    certificates: int


@dataclass(frozen=True)
class RecordFacts:
    holder_en: str
    holder_ur: str
    issuer_en: str
    issuer_ur: str
    total_hours: Decimal
    years: Sequence[RecordYear]
    entries: Sequence[RecordEntry]
    record_url: str  # the signed presentation, or "" when not shared
    printed_on: date
    awards: Sequence[RecordAwardEntry] = ()


class _Writer:
    """Lines down the page, a new page when the next would not fit."""

    def __init__(self, canvas: Canvas, fonts: FontSet, facts: RecordFacts):
        self.canvas, self.fonts, self.facts = canvas, fonts, facts
        self.page = 1
        self.y = HEIGHT - MARGIN

    def room(self, needed: float) -> None:
        if self.y - needed < MARGIN + 24:
            self._page_footer()
            self.canvas.showPage()
            self.page += 1
            self.y = HEIGHT - MARGIN

    def _page_footer(self) -> None:
        self.canvas.setFillColor(MUTED)
        text = f"{self.facts.holder_en or self.facts.holder_ur} \u2022 {self.page}"
        fitted_line([Span(text, self.fonts.regular)], 8, TEXT_WIDTH, False).draw(
            self.canvas, WIDTH / 2, MARGIN - 8, "centre"
        )

    def line(self, spans, size, *, rtl=False, colour=INK, gap=0.4, align=None):
        for shaped in wrap(spans, size, TEXT_WIDTH, rtl):
            ascent = max(shaped.ascent, 0.8 * size)
            descent = max(shaped.descent, 0.3 * size)
            self.room(ascent + descent)
            self.y -= ascent
            self.canvas.setFillColor(colour)
            where = align or ("right" if rtl else "left")
            x = {"left": MARGIN, "right": WIDTH - MARGIN, "centre": WIDTH / 2}[where]
            shaped.draw(self.canvas, x, self.y, where)
            self.y -= descent + gap * size

    def bilingual(self, key, size, *, bold=False, colour=INK, align=None):
        english, urdu = LABELS[key]
        face = self.fonts.bold if bold else self.fonts.regular
        self.line([Span(english, face)], size, colour=colour, gap=0.1, align=align)
        self.line([Span(urdu, face)], size * 0.9, rtl=True, colour=colour, align=align)

    def pairs(self, pairs: list, size: float, **kwargs) -> None:
        """Labelled values, once in English and once in Urdu: each line in one
        direction, so a number never lands on the wrong side of a label."""
        for index, language in enumerate(("en", "ur")):
            spans: list[Span] = []
            for key, value in pairs:
                if spans:
                    spans.append(Span("   \u2022   ", self.fonts.regular))
                spans += [
                    Span(f"{LABELS[key][index]}: ", self.fonts.regular),
                    Span(
                        value(language) if callable(value) else value, self.fonts.bold
                    ),
                ]
            gap = 0.1 if language == "en" else 0.4
            self.line(spans, size, rtl=language == "ur", gap=gap, **kwargs)

    def row(self, cells: list[list[Span]], size: float, widths: list[float]) -> None:
        lines = [
            fitted_line(cell, size, width - 8, False)
            for cell, width in zip(cells, widths, strict=True)
        ]
        ascent = max(max(line.ascent for line in lines), 0.8 * size)
        descent = max(max(line.descent for line in lines), 0.3 * size)
        self.room(ascent + descent)
        self.y -= ascent
        x = MARGIN
        self.canvas.setFillColor(INK)
        for line, width in zip(lines, widths, strict=True):
            line.draw(self.canvas, x, self.y, "left")
            x += width
        self.y -= descent + 0.5 * size

    def rule(self, gap: float = 8) -> None:
        self.room(gap * 2)
        self.y -= gap
        self.canvas.setStrokeColor(BRAND)
        self.canvas.setLineWidth(0.6)
        self.canvas.line(MARGIN, self.y, WIDTH - MARGIN, self.y)
        self.y -= gap

    def finish(self) -> None:
        self._page_footer()


def render_record_pdf(
    facts: RecordFacts, *, font_dirs: Sequence[str | os.PathLike] | None = None
) -> bytes:
    """Return the PDF of a learner's CPD record."""
    fonts = register_fonts(font_dirs)
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(WIDTH, HEIGHT),
        initialFontName=fonts.regular.latin,
        pageCompression=1,
        lang="en",
    )
    holder = facts.holder_en or facts.holder_ur
    canvas.setTitle(f"{LABELS['title'][0]}: {holder}")
    canvas.setAuthor(facts.issuer_en)
    canvas.setCreator("Alliance LMS")
    canvas.setViewerPreference("DisplayDocTitle", "true")
    out = _Writer(canvas, fonts, facts)

    issuer = [Span(facts.issuer_en, fonts.bold)]
    if facts.issuer_ur:
        issuer += [Span("   \u2022   ", fonts.bold), Span(facts.issuer_ur, fonts.bold)]
    out.line(issuer, 10, colour=BRAND, align="centre")
    out.bilingual("title", 18, bold=True, colour=BRAND, align="centre")
    out.rule()
    if facts.holder_en:
        out.line([Span(facts.holder_en, fonts.bold)], 18, align="centre", gap=0.1)
    if facts.holder_ur:
        out.line([Span(facts.holder_ur, fonts.bold)], 15, rtl=True, align="centre")
    out.pairs([("total", format_hours(facts.total_hours))], 13, align="centre")

    out.bilingual("by_year", 12, bold=True, colour=BRAND)
    widths = [120.0, 140.0, 140.0]
    header = [
        [Span(f"{english}  ", fonts.bold), Span(urdu, fonts.bold)]
        for english, urdu in (
            LABELS["year"],
            LABELS["cpd_hours"],
            LABELS["certificates"],
        )
    ]
    out.row(header, 9, widths)
    for year in facts.years:
        cells = [str(year.year), format_hours(year.hours), str(year.certificates)]
        out.row([[Span(cell, fonts.regular)] for cell in cells], 10, widths)
    out.rule()

    out.bilingual("certificates", 12, bold=True, colour=BRAND)
    if not facts.entries:
        out.bilingual("none", 10)
    for entry in facts.entries:
        out.room(80)  # keep an entry's lines together
        if entry.course_en:
            out.line([Span(entry.course_en, fonts.bold)], 11, gap=0.15)
        if entry.course_ur:
            out.line([Span(entry.course_ur, fonts.bold)], 10, rtl=True, gap=0.15)
        details = [
            ("issued_on", lambda lang, day=entry.issued_on: format_date(day, lang)),
            ("cpd_hours", format_hours(entry.cpd_hours)),
        ]
        if entry.expires_on:
            details.append(
                (
                    "expires_on",
                    lambda lang, day=entry.expires_on: format_date(day, lang),
                )
            )
        out.pairs(details, 9)
        out.line(
            [
                Span(f"{LABELS['code'][0]}: ", fonts.regular),
                Span(entry.code, fonts.bold),
            ],
            9,
            gap=0.15,
        )
        out.line([Span(entry.verification_url, fonts.regular)], 8, colour=MUTED)
        out.y -= 6
    if facts.awards:
        out.rule()
        out.bilingual("awards", 12, bold=True, colour=BRAND)
        for award in facts.awards:
            out.room(60)
            if award.title_en:
                out.line([Span(award.title_en, fonts.bold)], 11, gap=0.15)
            if award.title_ur:
                out.line([Span(award.title_ur, fonts.bold)], 10, rtl=True, gap=0.15)
            out.pairs(
                [
                    (
                        "issued_on",
                        lambda lang, day=award.issued_on: format_date(day, lang),
                    )
                ],
                9,
            )
            out.y -= 6
    out.rule()
    out.line([Span(LABELS["verify"][0], fonts.regular)], 9, colour=MUTED, gap=0.1)
    out.line([Span(LABELS["verify"][1], fonts.regular)], 9, rtl=True, colour=MUTED)
    if facts.record_url:
        out.line([Span(facts.record_url, fonts.regular)], 8, colour=MUTED)
    printed = facts.printed_on
    out.pairs([("printed", lambda lang: format_date(printed, lang))], 8, colour=MUTED)
    out.finish()
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
