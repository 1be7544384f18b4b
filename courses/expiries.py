"""Course credentials that run out, for the apps that remind learners.

The certificates app knows when a certificate expires; the cohorts app sends
the reminder. Neither may import the other (they are one layer), so the
certificates app registers a reader here in its ``ready()`` and the cohorts
app asks through ``expiring``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection
from dataclasses import dataclass


@dataclass(frozen=True)
class Expiry:
    """A learner's current credential for a course, and the day it ends."""

    user_id: int
    course_id: int
    expires_on: datetime.date
    title_en: str
    title_ur: str

    def title(self, language: str) -> str:
        return self.title_ur if language == "ur" and self.title_ur else self.title_en


# reader(user ids, course ids, first day, last day) -> the credentials of those
# learners in those courses that expire between the two days, both included.
ExpiryReader = Callable[
    [Collection[int], Collection[int], datetime.date, datetime.date], list[Expiry]
]

_readers: list[ExpiryReader] = []


def register_expiry_reader(reader: ExpiryReader) -> ExpiryReader:
    if reader not in _readers:
        _readers.append(reader)
    return reader


def expiring(
    user_ids: Collection[int],
    course_ids: Collection[int],
    first: datetime.date,
    last: datetime.date,
) -> list[Expiry]:
    """Every registered reader's expiries in the range (one query each)."""
    found: list[Expiry] = []
    for reader in _readers:
        found.extend(reader(user_ids, course_ids, first, last))
    return found
