import re

import pytest

from certificates.codes import (
    ALPHABET,
    RANDOM_BITS,
    compact_code,
    generate_verification_code,
    normalise_code,
)

CANONICAL = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")


def test_alphabet_is_crockford_base32():
    assert len(ALPHABET) == 32
    assert len(set(ALPHABET)) == 32
    assert not set("ILOU") & set(ALPHABET)


def test_codes_carry_at_least_80_random_bits():
    assert RANDOM_BITS >= 80


def test_generated_code_has_four_groups_of_four_crockford_symbols():
    for _ in range(200):
        assert CANONICAL.match(generate_verification_code())


def test_generated_codes_do_not_repeat_and_use_the_whole_alphabet():
    codes = [generate_verification_code() for _ in range(2000)]
    assert len(set(codes)) == len(codes)
    symbols = "".join(codes).replace("-", "")
    assert set(symbols) == set(ALPHABET)
    # 32,000 symbols over 32 values: each should appear ~1000 times; a biased
    # encoder (for example one that never emits the top symbols) fails this.
    counts = [symbols.count(symbol) for symbol in ALPHABET]
    assert min(counts) > 800
    assert max(counts) < 1200


def test_generated_code_is_its_own_normal_form():
    code = generate_verification_code()
    assert normalise_code(code) == code


@pytest.mark.parametrize(
    "typed",
    [
        "K7QM-3XD9-P2RT-W8HC",
        "k7qm-3xd9-p2rt-w8hc",
        "K7QM3XD9P2RTW8HC",
        " k7qm 3xd9 p2rt w8hc ",
        "K7QM--3XD9 - P2RT-W8HC",
        "K7QM\u20133XD9\u2013P2RT\u2013W8HC",  # en dashes from a phone keyboard
        "Ｋ７ＱＭ３ＸＤ９Ｐ２ＲＴＷ８ＨＣ",  # full-width forms
        "K\u06f7QM-\u06f3XD\u06f9-P\u06f2RT-W\u06f8HC",  # Urdu keyboard digits
    ],
)
def test_normalise_accepts_case_spacing_and_hyphen_variants(typed):
    assert normalise_code(typed) == "K7QM-3XD9-P2RT-W8HC"


def test_normalise_maps_crockford_lookalikes_to_digits():
    assert normalise_code("IL0O-iloo-1234-5678") == "1100-1100-1234-5678"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "K7QM-3XD9-P2RT",  # too short
        "K7QM-3XD9-P2RT-W8HC-A",  # too long
        "K7QM-3XD9-P2RT-W8HU",  # U is not in Crockford's alphabet
        "K7QM-3XD9-P2RT-W8H*",
        "K7QM-3XD9-P2RT-W8H\u00e9",
        "K7QM_3XD9_P2RT_W8HC",
        "K7QM-3XD9-P2RT-W8HC" + " " * 100,  # absurdly long input
    ],
)
def test_normalise_rejects_what_cannot_be_a_code(typed):
    assert normalise_code(typed) is None


def test_normalise_rejects_non_strings():
    assert normalise_code(None) is None
    assert normalise_code(b"K7QM3XD9P2RTW8HC") is None


def test_compact_code_drops_hyphens_after_normalising():
    assert compact_code("k7qm-3xd9-p2rt-w8hc") == "K7QM3XD9P2RTW8HC"


def test_compact_code_refuses_text_that_is_not_a_code():
    with pytest.raises(ValueError, match="not a verification code"):
        compact_code("hello")
