"""Signed codes for attendance: nothing here is stored, everything is recomputed.

- The **rotating code** a session's check-in screen shows as a QR: an HMAC of
  the session's id and the current 30-second window, keyed from ``SECRET_KEY``.
  The window's number travels in the token so an old code is told apart from a
  forged one. The current window and the one before it are accepted (a phone
  may take a few seconds to open the link); anything older is refused, so a
  screenshot passed round after the fact does not work.
- The **session code** a trainer reads out to those who dial in to an online
  session: six digits from the same kind of HMAC over a 10-minute window (the
  current and previous windows accepted).
- A learner's **personal code** (their QR on *My learning*): an HMAC of their
  account id alone, ten letters and digits, with nothing in clear. A trainer's
  scan is matched against the session's registered learners, so a code
  identifies only someone who registered, and cannot be made up without the key.
- A learner's **join link** for an online session: the session and the learner,
  signed (Django's signer), so only the learner it was sent to is recorded.

Each key is derived from ``SECRET_KEY`` with its own salt, so a code of one
kind is never accepted as another.
"""

from __future__ import annotations

import base64
import hmac
import time
from dataclasses import dataclass
from enum import Enum

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

ROTATION_SECONDS = 30
SESSION_CODE_SECONDS = 600
PERSONAL_CODE_LENGTH = 10
_MAC_LENGTH = 10  # base32 characters: 50 bits, out of reach of guessing
_MAX_TOKEN_LENGTH = 40
_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"


class CodeCheck(Enum):
    VALID = "valid"
    EXPIRED = "expired"
    FORGED = "forged"


def _mac(salt: str, value: str, length: int) -> str:
    digest = salted_hmac(
        f"events.attendance.{salt}", value, secret=settings.SECRET_KEY
    ).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:length]


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return text


def current_window(now: float | None = None, seconds: int = ROTATION_SECONDS) -> int:
    return int((time.time() if now is None else now) // seconds)


def seconds_left(now: float | None = None) -> int:
    """Seconds until the rotating code changes (for the screen's countdown)."""
    now = time.time() if now is None else now
    return ROTATION_SECONDS - int(now % ROTATION_SECONDS)


def rotating_token(session_id: int, window: int | None = None) -> str:
    """The check-in code of ``session_id`` for ``window`` (default: now)."""
    window = current_window() if window is None else window
    mac = _mac("rotating", f"{session_id}:{window}", _MAC_LENGTH)
    return f"{_base36(window)}-{mac}"


def check_rotating_token(
    session_id: int, token: str, now: float | None = None
) -> CodeCheck:
    """Whether ``token`` is this session's code of now or of the window before."""
    token = (token or "")[:_MAX_TOKEN_LENGTH].strip().lower()
    window_text, dash, mac = token.partition("-")
    if not dash or not window_text.isalnum() or len(mac) != _MAC_LENGTH:
        return CodeCheck.FORGED
    try:
        window = int(window_text, 36)
    except ValueError:
        return CodeCheck.FORGED
    expected = _mac("rotating", f"{session_id}:{window}", _MAC_LENGTH)
    if not hmac.compare_digest(expected, mac):
        return CodeCheck.FORGED
    if current_window(now) - window in (0, 1):
        return CodeCheck.VALID
    # A code from the future is no screenshot, but it is no honest code either.
    return CodeCheck.EXPIRED


def session_code(session_id: int, window: int | None = None) -> str:
    """Six digits for those who dial in to an online session."""
    if window is None:
        window = current_window(seconds=SESSION_CODE_SECONDS)
    digest = salted_hmac(
        "events.attendance.session_code",
        f"{session_id}:{window}",
        secret=settings.SECRET_KEY,
    ).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 1_000_000:06d}"


def check_session_code(session_id: int, code: str, now: float | None = None) -> bool:
    code = "".join(ch for ch in (code or "")[:20] if ch.isdigit())
    if len(code) != 6:
        return False
    window = current_window(now, SESSION_CODE_SECONDS)
    return any(
        hmac.compare_digest(session_code(session_id, candidate), code)
        for candidate in (window, window - 1)
    )


def personal_code(user_id: int) -> str:
    """A learner's personal code: ten characters, shown as ``abcde-fghij``."""
    return _mac("personal", str(user_id), PERSONAL_CODE_LENGTH)


def display_personal_code(user_id: int) -> str:
    code = personal_code(user_id)
    return f"{code[:5]}-{code[5:]}"


def normalise_personal_code(text: str) -> str:
    """What a scan or a typed code leaves once spaces, dashes and the QR's
    prefix are gone; "" when it cannot be a personal code."""
    text = (text or "")[:_MAX_TOKEN_LENGTH].strip().lower()
    text = text.removeprefix(PERSONAL_QR_PREFIX.lower())
    code = "".join(ch for ch in text if ch not in " -")
    if len(code) != PERSONAL_CODE_LENGTH or any(ch not in _BASE32 for ch in code):
        return ""
    return code


def match_personal_code(text: str, user_ids: list[int]) -> int | None:
    """The one of ``user_ids`` whose personal code ``text`` is, if any."""
    code = normalise_personal_code(text)
    if not code:
        return None
    for user_id in user_ids:
        if hmac.compare_digest(personal_code(user_id), code):
            return user_id
    return None


# What the personal QR holds: the prefix tells the trainer's scanner (and a
# person) what it is; the code alone identifies the learner.
PERSONAL_QR_PREFIX = "ALF-P:"


def personal_qr_text(user_id: int) -> str:
    return PERSONAL_QR_PREFIX + personal_code(user_id)


_JOIN_SALT = "events.attendance.join"


@dataclass(frozen=True)
class JoinLink:
    session_id: int
    user_id: int


def join_token(session_id: int, user_id: int) -> str:
    return signing.dumps([session_id, user_id], salt=_JOIN_SALT, compress=False)


def read_join_token(token: str) -> JoinLink | None:
    if not token or len(token) > 200:
        return None
    try:
        session_id, user_id = signing.loads(token, salt=_JOIN_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(session_id, int) or not isinstance(user_id, int):
        return None
    return JoinLink(session_id, user_id)
