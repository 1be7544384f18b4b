"""Urdu and Arabic-script text handling, kept in one place.

``normalise_for_matching`` turns text into a key for comparing what people type:
search, short quiz answers and name matching all go through it, so the same
spelling variants match everywhere. The key is for comparison only; never show it.

Learners type Urdu on phone keyboards that follow Arabic, Persian or Urdu layouts,
paste text from PDFs that carry presentation forms, and mix Urdu and Latin digits.
The folds below make those variants equal, and nothing more:

- Presentation forms (U+FB50-U+FDFF, U+FE70-U+FEFF) become base letters (NFKC).
- Arabic yeh ``ي`` and alef maksura ``ى`` become Urdu yeh ``ی``; Arabic kaf ``ك``
  becomes keheh ``ک``.
- Sindhi swash kaf ``ڪ`` becomes keheh ``ک`` too: Sindhi typed on an Urdu keyboard
  has only ``ک``. In Sindhi ``ک`` is also the aspirated "kh", so, as with heh below,
  Sindhi "k" and "kh" then match.
- Every heh becomes heh goal ``ہ``: Arabic heh ``ه``, do-chashmi heh ``ھ``, ae ``ە``,
  teh marbuta ``ة`` / ``ۃ`` and heh with hamza ``ۂ`` / ``ۀ``. Keyboards and old
  encodings confuse these, so folding them is the only safe rule, but it has a cost:
  aspirated and plain pairs then match (``کھا`` "eat" equals ``کہا`` "said").
- Alef with hamza or wasla (``أ``, ``إ``, ``ٱ``) becomes bare alef ``ا``, as Urdu writes
  Arabic loan words; alef madda ``آ`` stays, it is a letter of its own in Urdu.
- Yeh with hamza ``ئ`` and waw with hamza ``ؤ`` stay letters of their own. Yeh followed
  by a combining hamza becomes ``ئ``; yeh barree with hamza ``ۓ`` becomes ``ئے``; a
  hamza mark on any other letter is dropped.
- Yeh barree ``ے``, noon ghunna ``ں`` and the retroflex letters stay distinct.
- Harakat, the superscript alef, Quranic and honorific marks and tatweel are removed,
  as are format characters (zero-width joiner and non-joiner, bidi marks, BOM).
- Arabic-Indic and Urdu digits become ASCII digits; Arabic punctuation
  (``،`` ``؛`` ``؟`` ``۔`` ``٫`` ``٬`` ``٪``) becomes its Latin counterpart.
- Latin text is case-folded; runs of whitespace become one space; ends are stripped.
"""

from __future__ import annotations

import datetime
import unicodedata
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as format_babel_date
from babel.numbers import format_decimal
from django.utils.translation import to_locale

__all__ = [
    "format_date",
    "format_number",
    "names_match",
    "normalise_for_matching",
    "to_ascii_digits",
    "to_urdu_digits",
]

URDU_YEH = "\u06cc"  # ی
URDU_HEH = "\u06c1"  # ہ heh goal
KEHEH = "\u06a9"  # ک
YEH_WITH_HAMZA = "\u0626"  # ئ
YEH_BARREE = "\u06d2"  # ے
HAMZA_ABOVE = "\u0654"
HAMZA_BELOW = "\u0655"

_ASCII_DIGITS = "0123456789"
_URDU_DIGITS = "".join(chr(0x06F0 + i) for i in range(10))  # ۰۱۲۳۴۵۶۷۸۹
_ARABIC_INDIC_DIGITS = "".join(chr(0x0660 + i) for i in range(10))  # ٠١٢٣٤٥٦٧٨٩

_TO_ASCII_DIGITS = str.maketrans(
    _URDU_DIGITS + _ARABIC_INDIC_DIGITS, _ASCII_DIGITS + _ASCII_DIGITS
)
_TO_URDU_DIGITS = str.maketrans(_ASCII_DIGITS, _URDU_DIGITS)


def _arabic_marks() -> set[int]:
    """Combining marks that change pronunciation, not spelling, for matching."""
    ranges = [
        (0x0610, 0x061A),  # honorifics and small high letters
        (0x064B, 0x065F),  # harakat, shadda, sukun, madda and the like
        (0x0670, 0x0670),  # superscript alef (khari zabar)
        (0x06D6, 0x06DC),  # Quranic annotation marks
        (0x06DF, 0x06E4),
        (0x06E7, 0x06E8),
        (0x06EA, 0x06ED),
        (0x08D3, 0x08E1),  # Arabic Extended-A marks
        (0x08E3, 0x08FF),
    ]
    marks = {cp for start, end in ranges for cp in range(start, end + 1)}
    # Hamza marks spell ئ and friends; they are resolved after the other marks go.
    return marks - {ord(HAMZA_ABOVE), ord(HAMZA_BELOW)}


_LETTER_FOLDS: dict[int, str] = {
    0x064A: URDU_YEH,  # ي Arabic yeh
    0x0649: URDU_YEH,  # ى alef maksura
    0x0643: KEHEH,  # ك Arabic kaf
    0x06AA: KEHEH,  # ڪ Sindhi swash kaf
    0x0647: URDU_HEH,  # ه Arabic heh
    0x06BE: URDU_HEH,  # ھ do-chashmi heh
    0x06D5: URDU_HEH,  # ە ae
    0x0629: URDU_HEH,  # ة teh marbuta
    0x06C3: URDU_HEH,  # ۃ teh marbuta goal
    0x06C0: URDU_HEH,  # ۀ heh with yeh above (izafat)
    0x06C2: URDU_HEH,  # ۂ heh goal with hamza (izafat)
    0x0623: "\u0627",  # أ alef with hamza above
    0x0625: "\u0627",  # إ alef with hamza below
    0x0671: "\u0627",  # ٱ alef wasla
    0x0672: "\u0627",  # ٲ alef with wavy hamza above
    0x0673: "\u0627",  # ٳ alef with wavy hamza below
    0x06D3: YEH_WITH_HAMZA + YEH_BARREE,  # ۓ written as ئے
    0x0640: "",  # tatweel
    0x066B: ".",  # ٫ Arabic decimal separator
    0x066C: ",",  # ٬ Arabic thousands separator
    0x066A: "%",  # ٪
    0x060C: ",",  # ،
    0x061B: ";",  # ؛
    0x061F: "?",  # ؟
    0x06D4: ".",  # ۔ Urdu full stop
}
_MATCHING_TABLE: dict[int, str | None] = {
    **dict.fromkeys(_arabic_marks()),
    **_LETTER_FOLDS,
    **{ord(d): str(i) for i, d in enumerate(_URDU_DIGITS)},
    **{ord(d): str(i) for i, d in enumerate(_ARABIC_INDIC_DIGITS)},
}


def _presentation_form_table() -> dict[int, str]:
    """Isolated harakat presentation forms decompose to a space plus the mark.

    NFKC would leave that space inside the word, so these forms map to the bare
    mark (which is removed later) before NFKC runs.
    """
    table = {}
    for cp in [*range(0xFB50, 0xFE00), *range(0xFE70, 0xFF00)]:
        decomposed = unicodedata.normalize("NFKC", chr(cp))
        if decomposed.startswith(" ") and all(
            unicodedata.combining(ch) for ch in decomposed[1:]
        ):
            table[cp] = decomposed[1:]
    return table


_PRESENTATION_MARKS = _presentation_form_table()


def normalise_for_matching(text: str, *, keep_case: bool = False) -> str:
    """Return the comparison key of ``text``; equal keys mean "the same words".

    See the module docstring for exactly what is folded and why; ``keep_case``
    folds everything but capital and small letters.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text.translate(_PRESENTATION_MARKS))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = text.translate(_MATCHING_TABLE)
    # Yeh followed by a combining hamza is how some keyboards type ئ.
    text = text.replace(URDU_YEH + HAMZA_ABOVE, YEH_WITH_HAMZA)
    text = text.replace(HAMZA_ABOVE, "").replace(HAMZA_BELOW, "")
    return " ".join((text if keep_case else text.casefold()).split())


def _name_key(name: str) -> str:
    key = normalise_for_matching(name)
    # Punctuation in names is decoration ("M. Ali", "Ali-Khan", "علی، خان").
    key = "".join(" " if unicodedata.category(ch).startswith("P") else ch for ch in key)
    return " ".join(key.split())


def names_match(first: str, second: str) -> bool:
    """Whether two people's names are the same name, however they were typed.

    Spelling variants fold as in ``normalise_for_matching``; punctuation and
    spacing are ignored. Word order and initials are not guessed at: "Ali Khan"
    and "Khan Ali" are different names. Empty names match nothing.
    """
    first_key = _name_key(first)
    return bool(first_key) and first_key == _name_key(second)


def to_ascii_digits(text: str) -> str:
    """Replace Urdu (U+06F0-U+06F9) and Arabic-Indic (U+0660-U+0669) digits."""
    return text.translate(_TO_ASCII_DIGITS)


def to_urdu_digits(value: str | int | Decimal) -> str:
    """Write the ASCII digits of ``value`` as Urdu digits (U+06F0-U+06F9)."""
    if isinstance(value, bool):
        raise TypeError("to_urdu_digits() takes text or a number, not a bool")
    return str(value).translate(_TO_URDU_DIGITS)


# Babel's (CLDR's) name for a language we serve, where it differs from ours.
_BABEL_LOCALES = {"pnb": "pa_Arab"}
# Babel picks a numbering system's separators but leaves the digits Latin;
# these write the digits of the systems our languages use.
_DIGITS_OF_SYSTEM = {
    "arab": str.maketrans(_ASCII_DIGITS, _ARABIC_INDIC_DIGITS),
    "arabext": _TO_URDU_DIGITS,
}
DATE_PATTERN = "d MMMM y"  # 25 November 2026, in every language


def _locale(language_code: str) -> Locale:
    """The Babel locale for a language code ("ur", "ur-pk", "pnb"); English if
    CLDR does not know it."""
    code = to_locale(language_code.replace("_", "-"))
    code = _BABEL_LOCALES.get(code.split("_", 1)[0].lower(), code)
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def _numbering_system(locale: Locale) -> str:
    # CLDR's default for Urdu is Latin digits; we write Urdu digits, its native
    # system, as Urdu readers here expect. Other languages follow CLDR.
    if locale.language == "ur":
        return "arabext"
    system = locale.default_numbering_system
    return system if system in _DIGITS_OF_SYSTEM else "latn"


def _with_digits(text: str, system: str) -> str:
    table = _DIGITS_OF_SYSTEM.get(system)
    return text.translate(table) if table else text


def format_number(
    value: int | float | Decimal,
    language_code: str,
    decimal_places: int | None = None,
) -> str:
    """Format ``value`` with thousands grouping for a reader of ``language_code``,
    through Babel (CLDR): separators and digits of the language's number system.

    Urdu ("ur", "ur-pk", ...) gets Urdu digits with the Arabic separators of that
    system (``۱٬۲۳۴٫۵``); English gets ASCII digits, "," and "." (``1,234.5``).
    ``decimal_places`` rounds half-even; without it the value keeps its own places.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"format_number() takes a number, not {type(value).__name__}")
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise ValueError(f"cannot format {value!r}")
    if decimal_places is None:
        exponent = number.as_tuple().exponent
        decimal_places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    pattern = "#,##0" + ("." + "0" * decimal_places if decimal_places else "")
    locale = _locale(language_code)
    system = _numbering_system(locale)
    text = format_decimal(
        number, format=pattern, locale=locale, numbering_system=system
    )
    return _with_digits(text, system)


def format_date(
    value: datetime.date, language_code: str, *, latin_digits: bool = False
) -> str:
    """Format a date as "25 November 2026", or "۲۵ نومبر ۲۰۲۶" in Urdu.

    Month names come from Babel (CLDR), not the process locale, so output does
    not depend on how the server is configured. A datetime is formatted by its
    own date, so convert an aware datetime to the reader's local time first.
    ``latin_digits`` keeps ASCII digits (the printed certificate uses them).
    """
    if not isinstance(value, datetime.date):
        raise TypeError(f"format_date() takes a date, not {type(value).__name__}")
    if isinstance(value, datetime.datetime):
        value = value.date()
    locale = _locale(language_code)
    text = format_babel_date(value, DATE_PATTERN, locale=locale)
    return text if latin_digits else _with_digits(text, _numbering_system(locale))
