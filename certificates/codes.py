"""Verification codes printed on certificates.

A code is 16 symbols of Crockford's base32 (``0-9`` and ``A-Z`` without ``I``,
``L``, ``O`` and ``U``), shown as four hyphenated groups of four, for example
``K7QM-3XD9-P2RT-W8HC``. Each symbol carries 5 bits, so a code holds 80 random
bits from :mod:`secrets`: far too many to guess, few enough to type from paper.

People read codes off paper and type them on phones, so :func:`normalise_code`
forgives what Crockford's alphabet was designed to forgive: any letter case,
missing or extra hyphens and spaces, ``I``/``L`` typed for ``1`` and ``O`` for
``0``. It also accepts digits typed on an Urdu keyboard (``۰``-``۹``) and
full-width forms, which phones produce easily.
"""

import secrets
import unicodedata

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUP_SIZE = 4
GROUP_COUNT = 4
CODE_LENGTH = GROUP_SIZE * GROUP_COUNT
RANDOM_BITS = CODE_LENGTH * 5

# Longer input is not a mistyped code; refusing it early bounds the work done
# on untrusted text from the public verification form.
_MAX_INPUT_LENGTH = 64
_SEPARATORS = frozenset(" -\t\u00a0\u2010\u2011\u2012\u2013\u2014\u2212")
_ALIASES = {"I": "1", "L": "1", "O": "0"}
_VALID_SYMBOLS = frozenset(ALPHABET)


def generate_verification_code() -> str:
    """Return a fresh random code in its canonical form, ``XXXX-XXXX-XXXX-XXXX``."""
    number = secrets.randbits(RANDOM_BITS)
    symbols = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, 32)
        symbols.append(ALPHABET[index])
    return _group("".join(symbols))


def normalise_code(text: str) -> str | None:
    """Return the canonical form of a typed code, or None if it cannot be one."""
    if not isinstance(text, str) or len(text) > _MAX_INPUT_LENGTH:
        return None
    symbols = []
    for char in unicodedata.normalize("NFKC", text).strip():
        if char in _SEPARATORS:
            continue
        if not char.isascii() and char.isdecimal():
            char = str(unicodedata.decimal(char))
        char = char.upper()
        char = _ALIASES.get(char, char)
        if char not in _VALID_SYMBOLS:
            return None
        symbols.append(char)
    if len(symbols) != CODE_LENGTH:
        return None
    return _group("".join(symbols))


def compact_code(code: str) -> str:
    """Return the 16 symbols of a code without hyphens, e.g. for an indexed lookup.

    Raises ValueError when the text cannot be a code.
    """
    canonical = normalise_code(code)
    if canonical is None:
        raise ValueError(f"{code!r} is not a verification code")
    return canonical.replace("-", "")


def _group(symbols: str) -> str:
    return "-".join(
        symbols[start : start + GROUP_SIZE]
        for start in range(0, CODE_LENGTH, GROUP_SIZE)
    )
