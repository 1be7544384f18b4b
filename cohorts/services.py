"""Every write about cohort membership goes through these functions."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from courses import services as courses
from lms.accounts.models import User

from .models import Cohort, CohortMembership
from .scoping import cohort_courses


class CohortError(Exception):
    message: StrOrPromise = _("This cannot be done.")

    def __init__(self, message: StrOrPromise | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class UnknownJoinCode(CohortError):
    message = _("No cohort has this code. Check it with your coordinator.")


def normalise_join_code(code: str) -> str:
    return "".join(code.split()).upper()[:32]


def join_cohort(
    user: User, cohort: Cohort, source: str = CohortMembership.Source.JOIN_CODE
) -> tuple[CohortMembership, bool]:
    """Make ``user`` a member of ``cohort`` and enrol them in its courses.

    Returns the membership and whether it is new. Joining twice changes
    nothing; a course whose prerequisites the learner lacks is left for later
    (the learner enrols themselves once they have them).
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                membership, created = CohortMembership.objects.get_or_create(
                    cohort=cohort, user=user, defaults={"source": source}
                )
        except IntegrityError:  # joined a moment ago by another request
            membership, created = (
                CohortMembership.objects.get(cohort=cohort, user=user),
                False,
            )
        for course in cohort_courses(cohort):
            try:
                courses.enrol(user, course)
            except courses.LearningError:
                continue
    return membership, created


def join_with_code(user: User, code: str) -> tuple[CohortMembership, bool]:
    cohort = Cohort.objects.filter(join_code=normalise_join_code(code)).first()
    if not code.strip() or cohort is None:
        raise UnknownJoinCode()
    return join_cohort(user, cohort, CohortMembership.Source.JOIN_CODE)
