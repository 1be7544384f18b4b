"""Bidirectional, shaped lines of mixed Urdu and English for a ReportLab canvas.

ReportLab draws glyphs left to right in the order it is given them, so a line
is prepared here in four steps:

1. python-bidi resolves the Unicode bidi embedding level of every character for
   the paragraph direction (rules X1-I2 of UAX #9). Its pure-Python
   ``bidi.algorithm`` is used because the Rust ``get_display`` returns only the
   reordered string, not the levels needed to split runs between fonts; it
   predates isolates (LRI/RLI/FSI), which certificates do not need.
2. Each character gets a font: Arabic-script characters the Nastaliq face,
   Latin letters and European digits the Latin face; spaces and punctuation
   follow the direction they resolved to, so a colon after an Urdu word is
   Nastaliq and the full stop in ``12.5`` is Latin.
3. Neighbouring characters with the same level and font form a run; the runs
   are put in visual order by rule L2 of UAX #9.
4. HarfBuzz (through ReportLab's ``shapeStr``) shapes each run: it joins the
   Urdu letters, picks their Nastaliq forms and positions, and returns the
   glyphs of a right-to-left run already in visual order.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import uharfbuzz
from bidi import algorithm as bidi_algorithm
from bidi.mirror import MIRRORED
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr, shapeStr
from reportlab.pdfgen.textobject import PDFTextObject

from .fonts import Typeface

_ARABIC_SCRIPT = re.compile(
    "[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]"
)
# Characters that can make any part of a line right-to-left: Hebrew, Arabic
# script and the explicit bidi controls.
_RIGHT_TO_LEFT = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\u200f\u202b\u202e\u2067"
    "\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_STRONG_RTL = frozenset({"R", "AL"})
# Nastaliq looks about 15% smaller than Noto Serif at the same point size; sizes
# given here are Latin sizes, and Urdu runs are enlarged to match them.
URDU_SCALE = 1.15
_LATIN_TYPES = frozenset({"L", "EN"})


@dataclass(frozen=True)
class Span:
    """Text in logical (typing) order, set in one typeface."""

    text: str
    typeface: Typeface


@dataclass(frozen=True)
class GlyphRun:
    font_name: str
    font_size: float
    glyphs: str  # a ReportLab ShapedStr in visual order
    width: float
    rtl: bool
    text: str  # the characters the run came from, in logical order
    ascent: float  # highest ink above the baseline, in points
    descent: float  # lowest ink below the baseline, in points (positive)


@dataclass(frozen=True)
class Line:
    runs: tuple[GlyphRun, ...]
    width: float

    @property
    def ascent(self) -> float:
        return max((run.ascent for run in self.runs), default=0.0)

    @property
    def descent(self) -> float:
        return max((run.descent for run in self.runs), default=0.0)

    def draw(self, canvas, x: float, y: float, align: str = "left") -> None:
        """Draw the line with its baseline at ``y``, aligned on ``x``."""
        if align == "centre":
            x -= self.width / 2
        elif align == "right":
            x -= self.width
        text = _TextObject(canvas)
        for run in self.runs:
            text.setFont(run.font_name, run.font_size)
            text.setTextOrigin(x, y)
            for glyphs, actual_text in _marked_segments(run):
                if actual_text:
                    text._code.append(_actual_text_begin(actual_text))
                text.textOut(glyphs)
                if actual_text:
                    text._code.append("EMC")
            x += run.width
        canvas.drawText(text)


class _TextObject(PDFTextObject):
    """ReportLab's text object, for drawing a shaped run in several pieces."""

    def setRise(self, rise: float) -> None:  # noqa: N802 - ReportLab's name
        # ReportLab 5.1 reads the operator before a rise to merge two rises,
        # and fails when a piece's first glyph is raised (none came before it
        # in the piece); a blank gives it something to read and changes nothing.
        if not self._code:
            self._code.append("")
        super().setRise(rise)


def _marked_segments(run: GlyphRun) -> list[tuple[str, str]]:
    """The run's glyphs in drawing order, cut into words, each with the text it
    stands for ("" where the glyphs' own code points serve).

    Shaped Nastaliq glyphs have no code points of their own (the font subset
    maps them to the private use area), so each Urdu word is drawn inside a
    marked-content span whose /ActualText is the word: copying, searching and
    screen readers get the real text. One span a word: Nastaliq letters climb
    and overlap, so extractors that place each glyph by its position break
    words apart. A span's text is laid out across its box from left to right
    and read like the glyphs it replaces, which right-to-left scripts draw in
    visual order (poppler's pdftotext puts such a line in reading order, as
    for every right-to-left PDF): so the text of a right-to-left word is given
    in the order its letters are drawn, and comes out in reading order.
    """
    if not _ARABIC_SCRIPT.search(run.text):
        return [(run.glyphs, "")]

    def drawn(text: str) -> str:
        return text[::-1] if run.rtl else text

    if not _shaped_in_logical_order(run.text, run.rtl):
        # Punctuation between right-to-left words (shaped reversed), or
        # Arabic-Indic digits (shaped one at a time): one span for the run.
        return [(run.glyphs, drawn(run.text))]
    word_at: list[int | None] = []  # character index -> its word's start
    for piece in re.finditer(r"\S+|\s+", run.text):
        start = None if piece.group().isspace() else piece.start()
        word_at.extend([start] * len(piece.group()))
    words = {piece.start(): piece.group() for piece in re.finditer(r"\S+", run.text)}
    glyphs, clusters = run.glyphs, [data.cluster for data in run.glyphs.__shapeData__]
    segments: list[tuple[str, str]] = []
    begin = 0
    for index in range(1, len(glyphs) + 1):
        word = word_at[clusters[begin]]
        if index == len(glyphs) or word_at[clusters[index]] != word:
            text = "" if word is None else drawn(words[word])
            segments.append((glyphs[begin:index], text))
            begin = index
    return segments


def _shaped_in_logical_order(text: str, rtl: bool) -> bool:
    """Whether ``_shape_run`` shaped ``text`` as it is (its glyphs' clusters
    then index ``text``), rather than reversed or one character at a time."""
    if rtl:
        return any(unicodedata.bidirectional(c) in _STRONG_RTL for c in text)
    return not _ARABIC_SCRIPT.search(text)


def _actual_text_begin(text: str) -> str:
    """The operator opening a marked-content span whose /ActualText is ``text``
    (a UTF-16BE string with its byte-order mark, as PDF 32000 §14.9.4 asks)."""
    language = "ur" if _ARABIC_SCRIPT.search(text) else "en"
    encoded = ("\ufeff" + text).encode("utf-16-be").hex().upper()
    return f"/Span <</Lang ({language}) /ActualText <{encoded}>>> BDC"


def shape_line(spans: Sequence[Span], size: float, rtl: bool) -> Line:
    """Lay out one line; ``rtl`` is the paragraph direction (True for Urdu)."""
    runs = tuple(run.at_size(size) for run in _layout(tuple(spans), bool(rtl)))
    return Line(runs=runs, width=sum(run.width for run in runs))


def wrap(spans: Sequence[Span], size: float, max_width: float, rtl: bool) -> list[Line]:
    """Break text into lines no wider than ``max_width`` where words allow.

    Lines break at spaces only; a single word wider than the measure keeps a
    line to itself (the caller may choose a smaller size).
    """
    return list(_wrap(tuple(spans), float(size), float(max_width), bool(rtl)))


@lru_cache(maxsize=1024)
def _wrap(
    spans: tuple[Span, ...], size: float, max_width: float, rtl: bool
) -> tuple[Line, ...]:
    # Cached: a cohort's certificates share their wording, so bulk issuing
    # breaks each paragraph into lines once.
    words = list(_words(spans))
    if not words:
        return ()
    measure = max_width / size  # widths below are per point of type size
    lines: list[list[tuple[Span, ...]]] = [[words[0]]]
    width = _unit_width(words[0], rtl)
    for word in words[1:]:
        word_width = _unit_width(word, rtl)
        space = _unit_width((Span(" ", word[0].typeface),), rtl)
        if width + space + word_width <= measure:
            lines[-1].append(word)
            width += space + word_width
        else:
            lines.append([word])
            width = word_width
    return tuple(shape_line(_join_words(line), size, rtl) for line in lines)


def fit_size(spans: Sequence[Span], size: float, max_width: float, rtl: bool) -> float:
    """Return ``size``, or the size at which one line of ``spans`` fits."""
    width = shape_line(spans, size, rtl).width
    if width <= max_width:
        return size
    return size * max_width / width


def fitted_line(
    spans: Sequence[Span], size: float, max_width: float, rtl: bool
) -> Line:
    """One line of ``spans`` at ``size``, or smaller if that is needed to fit."""
    return shape_line(spans, fit_size(spans, size, max_width, rtl), rtl)


@dataclass(frozen=True)
class _UnitRun:
    """A shaped run measured at a type size of 1 pt.

    HarfBuzz positions are proportional to the type size (these fonts have no
    optical sizes), so one shaping serves every size a line is tried at.
    """

    font_name: str
    glyphs: str
    width: float
    ascent: float
    descent: float
    rtl: bool
    text: str
    scale: float  # URDU_SCALE for Nastaliq runs, else 1

    def at_size(self, size: float) -> GlyphRun:
        size *= self.scale
        return GlyphRun(
            font_name=self.font_name,
            font_size=size,
            glyphs=self.glyphs,
            width=self.width * size,
            rtl=self.rtl,
            text=self.text,
            ascent=self.ascent * size,
            descent=self.descent * size,
        )


def _unit_width(spans: tuple[Span, ...], rtl: bool) -> float:
    return sum(run.width * run.scale for run in _layout(spans, rtl))


@lru_cache(maxsize=4096)
def _layout(spans: tuple[Span, ...], rtl: bool) -> tuple[_UnitRun, ...]:
    """Split a line into runs, order them visually and shape each one."""
    text = "".join(span.text for span in spans)
    if not text:
        return ()
    typefaces = [span.typeface for span in spans for _ in span.text]
    levels = bidi_levels(text, rtl)
    fonts = [
        _font_for(char, level, typeface)
        for char, level, typeface in zip(text, levels, typefaces, strict=True)
    ]
    runs = []  # (start, end, level, font) in logical order
    start = 0
    for index in range(1, len(text) + 1):
        if (
            index == len(text)
            or levels[index] != levels[start]
            or fonts[index] != fonts[start]
        ):
            runs.append((start, index, levels[start], fonts[start]))
            start = index
    urdu_fonts = {span.typeface.urdu for span in spans}
    shaped = []
    for index in _visual_order([level for _, _, level, _ in runs]):
        start, end, level, font = runs[index]
        run = _shape_run(text[start:end], font, level % 2 == 1)
        if font in urdu_fonts:
            run = replace(run, scale=URDU_SCALE)
        shaped.append(run)
    return tuple(shaped)


def bidi_levels(text: str, rtl: bool) -> list[int]:
    """Return the resolved UAX #9 embedding level of each character of ``text``."""
    if not rtl and not _RIGHT_TO_LEFT.search(text):
        return [0] * len(text)  # left-to-right text in a left-to-right line
    storage = bidi_algorithm.get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    bidi_algorithm.get_embedding_levels(text, storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    bidi_algorithm.explicit_embed_and_overrides(storage)
    bidi_algorithm.resolve_weak_types(storage)
    bidi_algorithm.resolve_neutral_types(storage, False)
    bidi_algorithm.resolve_implicit_levels(storage, False)
    levels: list[int | None] = [None] * len(text)
    for char in storage["chars"]:
        levels[char["index"]] = char["level"]
    # Rule X9 drops format characters such as ZERO WIDTH NON-JOINER, which
    # Urdu needs; they stay in the run of the character before them.
    previous = storage["base_level"]
    for index, level in enumerate(levels):
        if level is None:
            levels[index] = previous
        else:
            previous = level
    # Rule L1: trailing whitespace takes the paragraph level.
    for index in range(len(text) - 1, -1, -1):
        if not text[index].isspace():
            break
        levels[index] = storage["base_level"]
    return levels


def _visual_order(levels: Sequence[int]) -> list[int]:
    """Rule L2 of UAX #9 applied to runs: indices of the runs in visual order."""
    order = list(range(len(levels)))
    odd_levels = [level for level in levels if level % 2]
    if not odd_levels:
        return order
    for level in range(max(levels), min(odd_levels) - 1, -1):
        index = 0
        while index < len(order):
            if levels[order[index]] < level:
                index += 1
                continue
            end = index
            while end < len(order) and levels[order[end]] >= level:
                end += 1
            order[index:end] = reversed(order[index:end])
            index = end
    return order


def is_arabic_script(char: str) -> bool:
    return _ARABIC_SCRIPT.match(char) is not None


def _font_for(char: str, level: int, typeface: Typeface) -> str:
    if is_arabic_script(char):
        preferred, other = typeface.urdu, typeface.latin
    elif unicodedata.bidirectional(char) in _LATIN_TYPES or char.isalnum():
        preferred, other = typeface.latin, typeface.urdu
    elif level % 2:
        preferred, other = typeface.urdu, typeface.latin
    else:
        preferred, other = typeface.latin, typeface.urdu
    if not _has_glyph(preferred, char) and _has_glyph(other, char):
        return other
    return preferred


def _has_glyph(font_name: str, char: str) -> bool:
    if unicodedata.category(char) == "Cf":  # joiners and marks need no glyph
        return True
    return ord(char) in pdfmetrics.getFont(font_name).face.charToGlyph


@lru_cache(maxsize=8192)
def _shape_run(text: str, font_name: str, rtl: bool) -> _UnitRun:
    if rtl and not any(unicodedata.bidirectional(c) in _STRONG_RTL for c in text):
        # Only spaces and punctuation: HarfBuzz would set them left to right,
        # so reverse them here and mirror brackets as rule L4 requires.
        glyphs = _shape("".join(MIRRORED.get(c, c) for c in reversed(text)), font_name)
    elif not rtl and _ARABIC_SCRIPT.search(text):
        # Arabic-Indic digits at an even level: HarfBuzz would guess a
        # right-to-left direction from their script, so shape them one by one.
        glyphs = _shape(text[0], font_name)
        for char in text[1:]:
            glyphs = glyphs + _shape(char, font_name)
    else:
        glyphs = _shape(text, font_name)
    width = sum(data.x_advance for data in glyphs.__shapeData__) / 1000
    ascent, descent = _ink_extent(glyphs, font_name)
    return _UnitRun(
        font_name=font_name,
        glyphs=glyphs,
        width=width,
        ascent=ascent,
        descent=descent,
        rtl=rtl,
        text=text,
        scale=1.0,
    )


def _ink_extent(glyphs: ShapedStr, font_name: str) -> tuple[float, float]:
    """How far the glyphs' ink reaches above and below the baseline.

    Nastaliq words climb diagonally and a kaf can stand two ems tall, so line
    spacing is taken from the shaped glyphs rather than from font metrics.
    """
    font = pdfmetrics.getFont(font_name)
    hb_font = _harfbuzz_font(font_name)
    units = 1 / font.face.unitsPerEm
    top = bottom = 0.0
    for char, data in zip(glyphs, glyphs.__shapeData__, strict=True):
        extents = hb_font.get_glyph_extents(font.face.charToGlyph.get(ord(char), 0))
        if extents is None:
            continue
        rise = data.y_offset / 1000
        top = max(top, rise + extents.y_bearing * units)
        bottom = min(bottom, rise + (extents.y_bearing + extents.height) * units)
    return top, -bottom


@lru_cache(maxsize=16)
def _harfbuzz_font(font_name: str) -> uharfbuzz.Font:
    return uharfbuzz.Font(pdfmetrics.getFont(font_name).hbFace)


def _shape(text: str, font_name: str) -> ShapedStr:
    # force=True: always return a ShapedStr, whose advances give the width.
    # The size only sets HarfBuzz's ptem, which matters for fonts with optical
    # sizes or tracking tables; these have neither.
    return shapeStr(text, font_name, 10, force=True)


def _words(spans: Iterable[Span]) -> Iterable[tuple[Span, ...]]:
    pieces: list[Span] = []
    for span in spans:
        parts = span.text.split(" ")
        for position, part in enumerate(parts):
            if position > 0 and pieces:
                yield tuple(pieces)
                pieces = []
            if part:
                pieces.append(Span(part, span.typeface))
    if pieces:
        yield tuple(pieces)


def _join_words(words: list[tuple[Span, ...]]) -> list[Span]:
    spans: list[Span] = []
    for position, word in enumerate(words):
        if position > 0:
            spans.append(Span(" ", word[0].typeface))
        spans.extend(word)
    return spans
