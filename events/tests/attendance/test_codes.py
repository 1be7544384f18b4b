"""The signed codes: rotating check-in codes, session codes, personal codes,
join links. Each bad input is told apart and refused."""

from __future__ import annotations

import pytest

from events.attendance import codes

NOW = 1_800_000_015.0  # 15 s into a 30-second window


def test_rotating_code_is_valid_in_its_window_and_the_next():
    token = codes.rotating_token(7, codes.current_window(NOW))
    assert codes.check_rotating_token(7, token, NOW) is codes.CodeCheck.VALID
    assert codes.check_rotating_token(7, token, NOW + 30) is codes.CodeCheck.VALID


def test_rotating_code_older_than_its_window_is_expired_not_forged():
    token = codes.rotating_token(7, codes.current_window(NOW))
    assert codes.check_rotating_token(7, token, NOW + 60) is codes.CodeCheck.EXPIRED
    assert codes.check_rotating_token(7, token, NOW + 3600) is codes.CodeCheck.EXPIRED


def test_rotating_code_from_the_future_is_refused():
    token = codes.rotating_token(7, codes.current_window(NOW) + 1)
    assert codes.check_rotating_token(7, token, NOW) is codes.CodeCheck.EXPIRED


def test_rotating_code_changes_every_window_and_per_session():
    window = codes.current_window(NOW)
    assert codes.rotating_token(7, window) != codes.rotating_token(7, window + 1)
    assert codes.rotating_token(7, window) != codes.rotating_token(8, window)


@pytest.mark.parametrize(
    "token",
    ["", "nonsense", "abc-def", "zzzzz-aaaaaaaaaa", "-aaaaaaaaaa", "x" * 500],
)
def test_forged_rotating_codes_are_refused(token):
    assert codes.check_rotating_token(7, token, NOW) is codes.CodeCheck.FORGED


def test_another_sessions_code_is_forged_here():
    token = codes.rotating_token(8, codes.current_window(NOW))
    assert codes.check_rotating_token(7, token, NOW) is codes.CodeCheck.FORGED


def test_tampered_window_is_forged():
    window = codes.current_window(NOW)
    token = codes.rotating_token(7, window - 5)
    mac = token.split("-")[1]
    moved = f"{codes._base36(window)}-{mac}"
    assert codes.check_rotating_token(7, moved, NOW) is codes.CodeCheck.FORGED


def test_rotating_code_is_short_enough_for_a_readable_qr():
    assert len(codes.rotating_token(123456)) <= 20


def test_rotating_code_depends_on_the_secret_key(settings):
    token = codes.rotating_token(7, codes.current_window(NOW))
    settings.SECRET_KEY = "another-secret-key-of-sufficient-length-0123456789"
    assert codes.check_rotating_token(7, token, NOW) is codes.CodeCheck.FORGED


def test_session_code_is_accepted_for_two_windows_then_refused():
    window = codes.current_window(NOW, codes.SESSION_CODE_SECONDS)
    code = codes.session_code(7, window)
    assert len(code) == 6 and code.isdigit()
    assert codes.check_session_code(7, code, NOW)
    assert codes.check_session_code(7, f"{code[:3]} {code[3:]}", NOW)
    assert codes.check_session_code(7, code, NOW + codes.SESSION_CODE_SECONDS)
    assert not codes.check_session_code(7, code, NOW + 2 * codes.SESSION_CODE_SECONDS)
    assert not codes.check_session_code(8, code, NOW)
    assert not codes.check_session_code(7, "12345", NOW)


def test_personal_code_identifies_only_its_learner():
    code = codes.personal_code(41)
    assert len(code) == codes.PERSONAL_CODE_LENGTH
    assert "41" not in code
    assert codes.match_personal_code(code, [40, 41, 42]) == 41
    assert codes.match_personal_code(codes.personal_qr_text(41), [41]) == 41
    assert (
        codes.match_personal_code(codes.display_personal_code(41).upper(), [41]) == 41
    )
    assert codes.match_personal_code(code, [40, 42]) is None


def test_forged_personal_code_matches_nobody():
    real = codes.personal_code(41)
    forged = ("a" if real[0] != "a" else "b") + real[1:]
    assert codes.match_personal_code(forged, [41]) is None
    assert codes.match_personal_code("41", [41]) is None
    assert codes.match_personal_code("!" * 10, [41]) is None


def test_join_link_names_the_session_and_learner_and_refuses_tampering():
    token = codes.join_token(5, 9)
    link = codes.read_join_token(token)
    assert link == codes.JoinLink(5, 9)
    assert codes.read_join_token(token[:-2] + "xx") is None
    assert codes.read_join_token("") is None
    assert codes.read_join_token("a" * 300) is None
