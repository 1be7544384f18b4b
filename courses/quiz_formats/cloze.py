"""Moodle's embedded answers (cloze, ``multianswer``): gaps written in the text.

A cloze question is stored as Moodle writes it: the text with each gap in place,
such as ``{2:SHORTANSWER:=Lahore#Right~%50%Karachi#Close}``, so that exports give
back the very same text. ``parse_cloze`` reads the gaps from it each time they
are needed (grading, showing, validating); it never changes the text.

A gap is ``{weight:TYPE:alternatives}``: the weight (empty for 1) is the gap's
share of the question's mark; the alternatives are separated by ``~``, each an
optional ``=`` (full marks) or ``%n%`` (n percent), the answer, and ``#feedback``.
A backslash escapes ``}``, ``#``, ``~``, ``/``, ``"`` and ``\\`` (and any other
character). The type names are Moodle's, upper case as Moodle reads them:

========================================= =====================================
``SHORTANSWER`` ``SA`` ``MW``              short text, any case
``SHORTANSWER_C`` ``SAC`` ``MWC``          short text, case must match
``NUMERICAL`` ``NM``                       number, ``value:tolerance``
``MULTICHOICE`` ``MC`` (``_S``/``S``)      drop-down list (shuffled)
``MULTICHOICE_V`` ``MCV`` (``_VS``/``VS``) radio buttons in a column (shuffled)
``MULTICHOICE_H`` ``MCH`` (``_HS``/``HS``) radio buttons in a row (shuffled)
``MULTIRESPONSE`` ``MR`` (``_H``, ``_S``,  check boxes: each right one ticked
``_HS``; ``MRH``, ``MRS``, ``MRHS``)       adds its share, wrong ones subtract
========================================= =====================================

As in Moodle, the right answers of a multi-response gap share 100% (``=`` each
counts one share), and when no ``%n%`` is given each wrong one takes away one
right one's share. Faults raise QuestionFormatError naming the gap.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from .questions import (
    QuestionFormatError,
    decimal_text,
    fill,
    fraction_to_percent,
    parse_decimal,
)

__all__ = [
    "Gap",
    "GapAnswer",
    "GapKind",
    "Layout",
    "blank_out",
    "gaps_of",
    "parse_cloze",
    "total_weight",
]


class GapKind(StrEnum):
    SHORT_TEXT = "short_text"
    NUMERIC = "numeric"
    CHOICE = "choice"  # one answer: a drop-down list or radio buttons
    MULTI_RESPONSE = "multi_response"  # check boxes


class Layout(StrEnum):
    DROPDOWN = "dropdown"
    VERTICAL = "vertical"
    HORIZONTAL = "horizontal"


# Moodle's type names: (kind, layout, shuffled, case sensitive).
_TYPES: dict[str, tuple[GapKind, Layout, bool, bool]] = {}
for _names, _spec in (
    (("SHORTANSWER", "SA", "MW"), (GapKind.SHORT_TEXT, Layout.DROPDOWN, False, False)),
    (
        ("SHORTANSWER_C", "SAC", "MWC"),
        (GapKind.SHORT_TEXT, Layout.DROPDOWN, False, True),
    ),
    (("NUMERICAL", "NM"), (GapKind.NUMERIC, Layout.DROPDOWN, False, False)),
    (("MULTICHOICE", "MC"), (GapKind.CHOICE, Layout.DROPDOWN, False, False)),
    (("MULTICHOICE_S", "MCS"), (GapKind.CHOICE, Layout.DROPDOWN, True, False)),
    (("MULTICHOICE_V", "MCV"), (GapKind.CHOICE, Layout.VERTICAL, False, False)),
    (("MULTICHOICE_VS", "MCVS"), (GapKind.CHOICE, Layout.VERTICAL, True, False)),
    (("MULTICHOICE_H", "MCH"), (GapKind.CHOICE, Layout.HORIZONTAL, False, False)),
    (("MULTICHOICE_HS", "MCHS"), (GapKind.CHOICE, Layout.HORIZONTAL, True, False)),
    (
        ("MULTIRESPONSE", "MR"),
        (GapKind.MULTI_RESPONSE, Layout.VERTICAL, False, False),
    ),
    (
        ("MULTIRESPONSE_H", "MRH"),
        (GapKind.MULTI_RESPONSE, Layout.HORIZONTAL, False, False),
    ),
    (
        ("MULTIRESPONSE_S", "MRS"),
        (GapKind.MULTI_RESPONSE, Layout.VERTICAL, True, False),
    ),
    (
        ("MULTIRESPONSE_HS", "MRHS"),
        (GapKind.MULTI_RESPONSE, Layout.HORIZONTAL, True, False),
    ),
):
    for _name in _names:
        _TYPES[_name] = _spec

# Where a gap starts: "{", a weight (digits, maybe none), ":", a type name, ":".
_GAP_START = re.compile(r"\{(\d*):([A-Za-z_]+):")
_NUMBER = r"-?(?:\d+[.,]?\d*|[.,]\d+)(?:[eE][-+]?\d+)?"
_NUMERIC_ANSWER = re.compile(rf"({_NUMBER})(?::({_NUMBER}))?")
_PERCENT = re.compile(r"%(-?\d+(?:[.,]\d*)?)%")
# "\*" stays written so: a short answer's "*" is a wildcard, "\*" an asterisk.
_ESCAPE = re.compile(r"\\([^*])", re.DOTALL)


@dataclass(frozen=True)
class GapAnswer:
    text: str  # as shown, escapes and HTML entities undone; "" for a number
    fraction: Decimal
    feedback: str = ""
    value: Decimal | None = None  # numeric gaps; None for Moodle's "*"
    tolerance: Decimal = Decimal(0)

    @property
    def shown_text(self) -> str:
        return self.text.replace("\\*", "*")

    @property
    def catch_all(self) -> bool:
        """Moodle's ``*``: any answer not listed before it."""
        return self.text == "*" and self.value is None


@dataclass(frozen=True)
class Gap:
    number: int  # 1 for the first gap
    weight: int
    kind: GapKind
    layout: Layout
    shuffle: bool
    case_sensitive: bool
    answers: tuple[GapAnswer, ...]
    source: str  # the gap as written, braces included

    @property
    def has_choices(self) -> bool:
        return self.kind in (GapKind.CHOICE, GapKind.MULTI_RESPONSE)


def parse_cloze(text: str) -> list[str | Gap]:
    """The text cut into plain pieces and gaps, in order; raises on a fault."""
    pieces: list[str | Gap] = []
    position = 0
    number = 0
    while True:
        match = _GAP_START.search(text, position)
        if match is None:
            break
        number += 1
        type_name = match.group(2)
        if type_name not in _TYPES:
            raise _gap_error(
                number,
                fill(
                    _(
                        '"%(type)s" is not a gap type (such as SHORTANSWER, '
                        "NUMERICAL, MULTICHOICE or MULTIRESPONSE)"
                    ),
                    {"type": type_name},
                ),
            )
        end = _closing_brace(text, match.end())
        if end is None:
            raise _gap_error(number, _("the gap's { is not closed by }"))
        pieces.append(text[position : match.start()])
        pieces.append(
            _read_gap(
                number,
                match.group(1),
                type_name,
                text[match.end() : end],
                text[match.start() : end + 1],
            )
        )
        position = end + 1
    pieces.append(text[position:])
    if number == 0:
        raise QuestionFormatError(
            _(
                "a cloze question needs at least one gap, such as "
                "{1:SHORTANSWER:=answer}"
            )
        )
    return pieces


def gaps_of(text: str) -> list[Gap]:
    return [piece for piece in parse_cloze(text) if isinstance(piece, Gap)]


def total_weight(text: str) -> int:
    """The question's mark as Moodle counts it: the gaps' weights added up."""
    return sum(gap.weight for gap in gaps_of(text))


def blank_out(text: str) -> str:
    """The text with each gap written ``[1]``, ``[2]``...: nothing of its answers.

    For places that show a question's text without its gaps (reports, the
    admin); a text that does not parse is blanked from each ``{`` on.
    """
    try:
        pieces = parse_cloze(text)
    except QuestionFormatError:
        start = text.find("{")
        return text if start < 0 else text[:start] + "[…]"
    return "".join(
        f"[{piece.number}]" if isinstance(piece, Gap) else piece for piece in pieces
    )


def _gap_error(number: int, message) -> QuestionFormatError:
    return QuestionFormatError(
        fill(_("gap %(number)s: %(message)s"), {"number": number, "message": message})
    )


def _closing_brace(text: str, start: int) -> int | None:
    """The index of the ``}`` that ends a gap's body, skipping escaped ones."""
    index = start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "}":
            return index
        if char == "{" and _GAP_START.match(text, index):
            return None  # another gap starts before this one is closed
        index += 1
    return None


def _split(body: str, separator: str) -> list[str]:
    """Split on ``separator`` where it is not escaped; a ``#`` right after ``&``
    (an HTML entity such as ``&#39;``) does not separate either."""
    parts, current, index = [], [], 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            current.append(body[index : index + 2])
            index += 2
            continue
        if char == separator and not (
            separator == "#" and "".join(current).endswith(("&", "&amp;"))
        ):
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    parts.append("".join(current))
    return parts


def _unescape(text: str) -> str:
    return html.unescape(_ESCAPE.sub(r"\1", text)).strip()


def _read_gap(number: int, weight: str, type_name: str, body: str, source: str) -> Gap:
    kind, layout, shuffle, case_sensitive = _TYPES[type_name]
    alternatives = _split(body, "~")
    if alternatives and not alternatives[0].strip():
        alternatives = alternatives[1:]  # "{1:MC:~=a~b}": a leading ~ is allowed
    answers: list[GapAnswer] = []
    specific = False
    for raw in alternatives:
        fraction = Decimal(0)
        rest = raw
        if rest.startswith("="):
            fraction, rest = Decimal(1), rest[1:]
        elif match := _PERCENT.match(rest):
            percent = match.group(1).replace(",", ".")
            fraction = parse_decimal(percent, _("weight")) / 100
            rest, specific = rest[match.end() :], True
        answer_text, *feedback = _split(rest, "#")
        feedback_text = _unescape("#".join(feedback))
        if not answer_text.strip():
            raise _gap_error(number, _("an answer is empty"))
        if not -1 <= fraction <= 1:
            raise _gap_error(
                number,
                fill(
                    _("an answer is worth %(percent)s%%; it must be -100%% to 100%%"),
                    {"percent": fraction_to_percent(fraction)},
                ),
            )
        answers.append(_answer(number, kind, answer_text, fraction, feedback_text))
    gap = Gap(
        number=number,
        weight=int(weight) if weight else 1,
        kind=kind,
        layout=layout,
        shuffle=shuffle,
        case_sensitive=case_sensitive,
        answers=tuple(answers),
        source=source,
    )
    _validate(gap)
    if kind == GapKind.MULTI_RESPONSE:
        gap = _share_multi_response(gap, specific)
    return gap


def _answer(
    number: int, kind: GapKind, raw: str, fraction: Decimal, feedback: str
) -> GapAnswer:
    if kind != GapKind.NUMERIC or raw.strip() == "*":
        return GapAnswer(_unescape(raw), fraction, feedback)
    match = _NUMERIC_ANSWER.fullmatch(raw.strip())
    if match is None:
        raise _gap_error(
            number,
            fill(
                _(
                    '"%(answer)s" is not a number (write value:tolerance, such as '
                    "3.14:0.01)"
                ),
                {"answer": raw.strip()},
            ),
        )
    value = parse_decimal(match.group(1).replace(",", "."), _("the numeric answer"))
    tolerance = (
        abs(parse_decimal(match.group(2).replace(",", "."), _("the tolerance")))
        if match.group(2)
        else Decimal(0)
    )
    return GapAnswer(
        decimal_text(value), fraction, feedback, value=value, tolerance=tolerance
    )


def _validate(gap: Gap) -> None:
    if not gap.answers:
        raise _gap_error(gap.number, _("the gap has no answer"))
    if gap.has_choices and len(gap.answers) < 2:
        raise _gap_error(gap.number, _("a choice gap needs at least two answers"))
    if gap.kind == GapKind.MULTI_RESPONSE:
        if not any(answer.fraction > 0 for answer in gap.answers):
            raise _gap_error(gap.number, _("no answer of the gap is marked right"))
    elif not any(answer.fraction == 1 for answer in gap.answers):
        raise _gap_error(
            gap.number,
            _("no answer of the gap is worth full marks (mark one with =)"),
        )


def _share_multi_response(gap: Gap, specific: bool) -> Gap:
    """Right answers share 100%; without ``%n%`` a wrong one cancels a right one."""
    total = sum((a.fraction for a in gap.answers if a.fraction > 0), Decimal(0))
    answers = []
    for answer in gap.answers:
        if answer.fraction > 0:
            fraction = answer.fraction / total
        elif not specific:
            fraction = -1 / total
        else:
            fraction = answer.fraction
        answers.append(
            GapAnswer(
                answer.text,
                fraction.quantize(Decimal("0.0000001")),
                answer.feedback,
            )
        )
    return Gap(
        gap.number,
        gap.weight,
        gap.kind,
        gap.layout,
        gap.shuffle,
        gap.case_sensitive,
        tuple(answers),
        gap.source,
    )
