import datetime
from decimal import Decimal

import pytest

from languages.text import (
    format_date,
    format_number,
    names_match,
    normalise_for_matching,
    to_ascii_digits,
    to_urdu_digits,
)

KITAB = "کتاب"  # ک keheh, ت, ا, ب


def test_arabic_kaf_matches_urdu_keheh():
    assert "\u0643" in "كتاب"
    assert normalise_for_matching("كتاب") == normalise_for_matching(KITAB) == KITAB


@pytest.mark.parametrize("arabic_yeh", ["\u064a", "\u0649"])
def test_arabic_yeh_and_alef_maksura_match_urdu_yeh(arabic_yeh):
    assert normalise_for_matching("عل" + arabic_yeh) == "علی"
    assert normalise_for_matching(f"ٹ{arabic_yeh}چر") == normalise_for_matching("ٹیچر")


def test_presentation_forms_match_base_letters():
    pasted_from_pdf = "\ufedb\ufe98\ufe8e\ufe8f"  # ﻛﺘﺎﺏ
    assert pasted_from_pdf != KITAB
    assert normalise_for_matching(pasted_from_pdf) == KITAB


def test_lam_alef_ligature_becomes_two_letters():
    assert normalise_for_matching("\ufefb") == "\u0644\u0627"


def test_isolated_harakat_presentation_form_leaves_no_space_inside_a_word():
    assert normalise_for_matching("ک\ufe7aتاب") == KITAB  # ﹺ isolated kasra


def test_tatweel_is_removed():
    assert normalise_for_matching("کـتـاب") == KITAB


def test_diacritics_and_superscript_alef_are_removed():
    assert normalise_for_matching("کِتاب") == KITAB
    assert normalise_for_matching("اعلیٰ") == "اعلی"
    assert normalise_for_matching("مُعَلِّم") == "معلم"


def test_zero_width_and_bidi_characters_are_removed():
    assert normalise_for_matching("کتا\u200cب") == KITAB
    assert normalise_for_matching("\u200fکتاب\u200d\u061c\ufeff") == KITAB
    assert normalise_for_matching("\u200eTeacher\u200e") == "teacher"


def test_arabic_and_urdu_digits_become_ascii():
    assert normalise_for_matching("۲۰۲۶") == "2026"
    assert normalise_for_matching("٢٠٢٦") == "2026"
    assert normalise_for_matching("۳٫۱۴") == "3.14"


def test_latin_is_case_folded():
    assert normalise_for_matching("Lahore") == normalise_for_matching("LAHORE")
    assert normalise_for_matching("Straße") == "strasse"


def test_whitespace_is_collapsed_and_stripped():
    assert (
        normalise_for_matching("  پاکستان\u00a0 \t زندہ\n باد ") == "پاکستان زندہ باد"
    )


@pytest.mark.parametrize("blank", ["", "   ", "\u200c", "\u0640"])
def test_empty_and_invisible_input_normalises_to_empty(blank):
    assert normalise_for_matching(blank) == ""


@pytest.mark.parametrize("heh", ["\u0647", "\u06c1", "\u06be", "\u06d5", "\u0629"])
def test_heh_forms_fold_to_heh_goal(heh):
    assert normalise_for_matching("زندہ".replace("ہ", heh)) == "زندہ"


def test_aspirated_and_plain_heh_match_as_documented():
    # The fold the module docstring warns about: "eat" and "said" share a key.
    assert normalise_for_matching("کھا") == normalise_for_matching("کہا")


def test_izafat_hamza_on_heh_is_dropped():
    assert normalise_for_matching("خانۂ") == normalise_for_matching("خانہ")
    assert normalise_for_matching("خانہ\u0654") == "خانہ"


def test_yeh_with_hamza_is_kept_and_spelled_one_way():
    composed = "مئی"
    typed_with_mark = "می\u0654ی"
    assert normalise_for_matching(typed_with_mark) == composed
    assert normalise_for_matching(composed) == composed
    assert normalise_for_matching(composed) != normalise_for_matching("میی")


def test_yeh_barree_with_hamza_is_spelled_as_yeh_hamza_and_yeh_barree():
    assert normalise_for_matching("گۓ") == normalise_for_matching("گئے") == "گئے"


def test_alef_with_hamza_folds_but_alef_madda_stays():
    assert normalise_for_matching("أحمد") == "احمد"
    assert normalise_for_matching("آپ") == "آپ"
    assert normalise_for_matching("ا\u0653پ") == "آپ"  # alef + combining madda


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("کے", "کی"),  # yeh barree stays apart from yeh
        ("ماں", "مان"),  # noon ghunna stays apart from noon
        ("ٹب", "تب"),  # retroflex letters stay apart
        ("ڈال", "دال"),
        ("ؤ", "و"),
        ("گئی", "گیی"),
        ("ب", "پ"),
    ],
)
def test_unrelated_letters_are_not_folded(first, second):
    assert normalise_for_matching(first) != normalise_for_matching(second)


def test_arabic_punctuation_matches_latin_punctuation():
    assert normalise_for_matching("کیا؟") == normalise_for_matching("کیا?")
    assert normalise_for_matching("ختم۔") == "ختم."


def test_normalising_twice_changes_nothing():
    sample = "  ﻛﺘﺎﺏ، عليٰ کِـتاب  ۲۰۲۶ Teacher\u200c "
    once = normalise_for_matching(sample)
    assert normalise_for_matching(once) == once


def test_to_urdu_digits():
    assert to_urdu_digits(2026) == "۲۰۲۶"
    assert to_urdu_digits("CPD 12.5 گھنٹے") == "CPD ۱۲.۵ گھنٹے"
    assert to_urdu_digits(Decimal("-3.50")) == "-۳.۵۰"
    with pytest.raises(TypeError):
        to_urdu_digits(True)


def test_to_ascii_digits():
    assert to_ascii_digits("۱۲٣") == "123"
    assert to_ascii_digits("abc") == "abc"


@pytest.mark.parametrize(
    ("value", "language_code", "expected"),
    [
        (1234567, "en", "1,234,567"),
        (1234567, "ur", "۱٬۲۳۴٬۵۶۷"),
        (1234567, "ur-pk", "۱٬۲۳۴٬۵۶۷"),
        (1234.5, "en-gb", "1,234.5"),
        (1234.5, "ur_PK", "۱٬۲۳۴٫۵"),
        (Decimal("0.10"), "en", "0.10"),
        (-42, "ur", "-۴۲"),
        (999, "en", "999"),
    ],
)
def test_format_number(value, language_code, expected):
    assert format_number(value, language_code) == expected


def test_format_number_rounds_to_decimal_places():
    assert format_number(Decimal("12.345"), "en", decimal_places=2) == "12.34"
    assert format_number(7, "ur", decimal_places=1) == "۷٫۰"


@pytest.mark.parametrize("bad", [True, "12", float("nan"), Decimal("Infinity")])
def test_format_number_refuses_what_is_not_a_finite_number(bad):
    with pytest.raises((TypeError, ValueError)):
        format_number(bad, "en")


def test_format_date_in_english_and_urdu():
    day = datetime.date(2026, 11, 25)
    assert format_date(day, "en") == "25 November 2026"
    assert format_date(day, "ur") == "۲۵ نومبر ۲۰۲۶"


@pytest.mark.parametrize(
    ("month", "urdu_name"),
    [(1, "جنوری"), (5, "مئی"), (7, "جولائی"), (10, "اکتوبر"), (12, "دسمبر")],
)
def test_format_date_urdu_month_names(month, urdu_name):
    assert format_date(datetime.date(2026, month, 3), "ur") == f"۳ {urdu_name} ۲۰۲۶"


@pytest.mark.parametrize(
    ("language_code", "expected"),
    [
        # CLDR's month names; Sindhi writes Arabic-Indic digits, Pashto and
        # Punjabi (Shahmukhi, CLDR's pa_Arab) extended ones.
        ("sd", "٢٥ نومبر ٢٠٢٦"),
        ("ps", "۲۵ نومبر ۲۰۲۶"),
        ("pnb", "۲۵ نومبر ۲۰۲۶"),
        ("xx", "25 November 2026"),
    ],
)
def test_format_date_in_every_served_language(language_code, expected):
    assert format_date(datetime.date(2026, 11, 25), language_code) == expected


def test_format_date_can_keep_latin_digits_for_print():
    day = datetime.date(2025, 3, 14)
    assert format_date(day, "ur", latin_digits=True) == "14 مارچ 2025"


def test_format_date_uses_the_date_of_a_datetime():
    moment = datetime.datetime(2026, 1, 5, 23, 59, tzinfo=datetime.UTC)
    assert format_date(moment, "en") == "5 January 2026"


def test_sindhi_swash_kaf_matches_keheh():
    assert normalise_for_matching("ڪتاب") == KITAB


def test_names_match_across_keyboards_punctuation_and_spacing():
    assert names_match("محمد علی خان", "محمّد علي  خان")
    assert names_match("عائشہ صدیقی", "عائشه صديقى")
    assert names_match("M. Ali-Khan", "m ali khan")
    assert names_match("علی، خان", "علی خان")


def test_names_that_differ_do_not_match():
    assert not names_match("Ali Khan", "Khan Ali")
    assert not names_match("علی خان", "علی خانم")
    assert not names_match("", "")
    assert not names_match("،", "۔")
