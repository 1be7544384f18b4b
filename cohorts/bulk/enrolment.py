"""Enrolling a file of learners: one service call per row, run as a task.

``enrol_learner_row`` is the one function that enrols a row, in its own
transaction: an existing account joins the cohort (and its courses); an unknown
address gets an account without a password, a profile from the row, and an
invitation e-mail with a link to choose a password (Django's password-reset
token). Running the same file again finds every address known and every
membership made, so nobody is enrolled or invited twice.

The admin's upload view and the ``enrol_cohort`` command both call
``start_enrolment_run``; the task ``run_enrolment`` works through the rows,
saving progress every few rows for the progress page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django_tasks import task

from lms.accounts import services as accounts
from lms.accounts.models import District, Profile, User
from lms.background.retry import DATABASE_FAULTS, retried
from lms.background.services import enqueue_with_change

from ..models import BulkEnrolmentRun, Cohort, CohortMembership
from ..scoping import Area, areas, may_enrol_from, sees_everything
from ..services import join_cohort
from .reading import LearnerRow, PlaceIndex, RowProblem, parse_row, read_learner_file

_PROGRESS_EVERY = 20
# Rows whose accounts are read in one query.
_ROWS_PER_LOOKUP = 200
_PROGRESS_FIELDS = [
    "processed_rows",
    "enrolled_count",
    "invited_count",
    "skipped_count",
    "problems",
]


@dataclass(frozen=True)
class RowOutcome:
    line: int
    # "enrolled" (a known account joined), "invited" (a new account),
    # "already" (a member before), or "problem".
    result: str
    user_id: int | None = None
    problem: RowProblem | None = None


class EnrolmentScope:
    """What the person who started a run may enrol: read once per run."""

    def __init__(self, actor: User | None) -> None:
        self.actor = actor
        self.everything = actor is None or sees_everything(actor)
        self.areas: list[Area] = (
            [] if self.everything or actor is None else areas(actor)
        )

    def allows(self, cohort: Cohort, row_district: District) -> bool:
        if self.everything or self.actor is None:
            return self.everything
        return may_enrol_from(self.actor, cohort, row_district, known=self.areas)


def enrol_learner_row(
    cohort: Cohort,
    row: dict[str, Any],
    *,
    places: PlaceIndex,
    scope: EnrolmentScope,
    seen: dict[str, int] | None = None,
    known: KnownAccounts | None = None,
) -> RowOutcome:
    """Enrol the learner of one row in ``cohort``, in one transaction.

    ``known``: the accounts of the rows' addresses, read for a chunk of rows at
    once by ``enrol_rows``; without it the row looks its account up itself.
    """
    parsed = parse_row(row, places)
    if isinstance(parsed, RowProblem):
        return RowOutcome(parsed.line, "problem", problem=parsed)
    if seen is not None:
        first = seen.setdefault(parsed.email, parsed.line)
        if first != parsed.line:
            return RowOutcome(
                parsed.line,
                "problem",
                problem=RowProblem(
                    parsed.line,
                    "email_repeated",
                    {"value": parsed.email, "first": first},
                ),
            )
    with transaction.atomic():
        user = (
            known.get(parsed.email)
            if known is not None and parsed.email in known.looked_up
            else _account(parsed.email)
        )
        profile = getattr(user, "profile", None) if user else None
        district = profile.district if profile else parsed.district
        if profile is None and parsed.missing_for_new_account:
            return RowOutcome(
                parsed.line, "problem", problem=parsed.missing_for_new_account[0]
            )
        if district is None:  # parse_row listed it as missing for a new account
            return RowOutcome(
                parsed.line,
                "problem",
                problem=RowProblem(parsed.line, "district_missing"),
            )
        if not scope.allows(cohort, district):
            return RowOutcome(
                parsed.line,
                "problem",
                problem=RowProblem(
                    parsed.line,
                    "out_of_scope",
                    {"district": district.name_en, "district_ur": district.name_ur},
                ),
            )
        if user is None:
            try:
                with transaction.atomic():
                    user = _invite(parsed, cohort)
            except IntegrityError:  # the address was registered a moment ago
                user = User.objects.get(email__iexact=parsed.email)
            else:
                join_cohort(user, cohort, CohortMembership.Source.FILE)
                return RowOutcome(parsed.line, "invited", user.pk)
        elif profile is None:
            accounts.update_profile(user, _details(parsed))
        _membership, created = join_cohort(user, cohort, CohortMembership.Source.FILE)
    return RowOutcome(parsed.line, "enrolled" if created else "already", user.pk)


def _accounts() -> QuerySet[User]:
    return User.objects.select_related("profile__district__province")


def _account(email: str) -> User | None:
    return _accounts().filter(email__iexact=email).first()


class KnownAccounts:
    """The accounts of a chunk of rows' addresses, in one query (a lookup a
    row scanned the users table for every row: ``iexact`` has no index)."""

    def __init__(self, emails: Iterable[str]) -> None:
        self.looked_up = {email.lower() for email in emails}
        self.by_email: dict[str, User] = {}
        for user in (
            _accounts()
            .annotate(email_key=Lower("email"))
            .filter(email_key__in=self.looked_up)
            .order_by("pk")
        ):
            self.by_email.setdefault(user.email.lower(), user)

    def get(self, email: str) -> User | None:
        return self.by_email.get(email.lower())


def _details(parsed: LearnerRow) -> accounts.ProfileDetails:
    if parsed.district is None:
        raise ValueError("a new account's row names its district")
    return accounts.ProfileDetails(
        certificate_name_en=parsed.name_en,
        certificate_name_ur=parsed.name_ur,
        role=parsed.role,
        sector=parsed.sector,
        province=parsed.district.province,
        district=parsed.district,
        institution=parsed.institution,
        preferred_language="ur",
        gender=parsed.gender,
    )


def _invite(parsed: LearnerRow, cohort: Cohort) -> User:
    """A new account with no usable password, its profile, and an invitation."""
    from ..messages import send_invitation

    user = User.objects.create_user(
        email=parsed.email, password=None, first_name=parsed.name_en[:150]
    )
    Profile.objects.create(user=user, **_details(parsed).__dict__)
    user.groups.add(Group.objects.get(name=accounts.LEARNERS_GROUP))
    enqueue_with_change(send_invitation, user_id=user.pk, cohort_id=cohort.pk)
    return user


def enrol_rows(
    cohort: Cohort,
    rows: list[dict[str, Any]],
    *,
    actor: User | None,
    on_row: Callable[[RowOutcome], None] | None = None,
) -> list[RowOutcome]:
    places = PlaceIndex()
    scope = EnrolmentScope(actor)
    seen: dict[str, int] = {}
    outcomes = []
    for start in range(0, len(rows), _ROWS_PER_LOOKUP):
        chunk = rows[start : start + _ROWS_PER_LOOKUP]
        known = KnownAccounts(
            parsed.email
            for parsed in (parse_row(row, places) for row in chunk)
            if isinstance(parsed, LearnerRow)
        )
        for row in chunk:
            outcome = enrol_learner_row(
                cohort, row, places=places, scope=scope, seen=seen, known=known
            )
            outcomes.append(outcome)
            if on_row:
                on_row(outcome)
    return outcomes


@transaction.atomic
def start_enrolment_run(
    cohort: Cohort, file_name: str, data: bytes, *, actor: User | None
) -> BulkEnrolmentRun:
    """Read the file (raising ``LearnerFileError`` if it cannot be), record the
    run and queue the task that works through it. With no ``actor`` (the
    ``enrol_cohort`` command on the server) the run may enrol from every
    district."""
    rows = read_learner_file(file_name, data)
    run = BulkEnrolmentRun.objects.create(
        cohort=cohort,
        file_name=file_name[:255],
        rows=rows,
        total_rows=len(rows),
        started_by=actor,
        unrestricted=actor is None,
    )
    enqueue_with_change(run_enrolment, run.pk)
    return run


def work_through(run_id: int) -> BulkEnrolmentRun:
    """Enrol a run's rows, saving progress so the admin can show it. A run
    started again (a retried task) begins again: each row is idempotent."""
    run = BulkEnrolmentRun.objects.select_related("cohort", "started_by").get(pk=run_id)
    if run.state in (BulkEnrolmentRun.State.FINISHED, BulkEnrolmentRun.State.FAILED):
        return run
    if run.started_by is None and not run.unrestricted:
        # The coordinator who uploaded it is gone: their scope went with them.
        run.state = BulkEnrolmentRun.State.FAILED
        run.finished_at = timezone.now()
        run.save(update_fields=["state", "finished_at"])
        return run
    run.state = BulkEnrolmentRun.State.RUNNING
    run.processed_rows = run.enrolled_count = run.invited_count = 0
    run.skipped_count = 0
    run.problems = []
    run.save()

    def on_row(outcome: RowOutcome) -> None:
        run.processed_rows += 1
        if outcome.problem is not None:
            run.problems.append(outcome.problem.as_json())
        elif outcome.result == "invited":
            run.invited_count += 1
        elif outcome.result == "enrolled":
            run.enrolled_count += 1
        else:
            run.skipped_count += 1
        if run.processed_rows % _PROGRESS_EVERY == 0:
            run.save(update_fields=_PROGRESS_FIELDS)

    enrol_rows(run.cohort, run.rows, actor=run.started_by, on_row=on_row)
    run.state = BulkEnrolmentRun.State.FINISHED
    run.finished_at = timezone.now()
    run.save()
    return run


@retried(*DATABASE_FAULTS)
@task()
def run_enrolment(run_id: int) -> int:
    """Enrol an uploaded file's learners; return how many rows were done."""
    return work_through(run_id).processed_rows
