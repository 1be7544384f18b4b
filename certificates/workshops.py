"""Bulk issuing for workshops: an attendee CSV in, one certificate per attendee out.

The CSV has a header row ``name_en,name_ur,email``. Each row is issued in its
own transaction, so one bad row is reported by its line number and the rest go
on. An attendee who already holds a current certificate for the workshop is
skipped, so uploading the same file again issues nothing twice.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from lms.accounts.models import User
from lms.background.retry import DATABASE_FAULTS, retried
from lms.background.services import enqueue_with_change

from .models import Certificate, Workshop, WorkshopIssueRun
from .notifications import email_certificate
from .services import Award, CertificateError, issue_certificate

COLUMNS = ("name_en", "name_ur", "email")
MAX_ROWS = 5000
MAX_NAME_LENGTH = 200
MAX_CSV_BYTES = 2 * 1024 * 1024
# Saved every 25 rows while a run works, so the admin can show its progress.
_PROGRESS_FIELDS = ["processed_rows", "issued_count", "skipped_count", "problems"]


class AttendeeListError(ValueError):
    """The file as a whole cannot be read (not its individual rows)."""


@dataclass(frozen=True)
class Attendee:
    line: int
    name_en: str
    name_ur: str
    email: str


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str


@dataclass(frozen=True)
class RowOutcome:
    line: int
    email: str
    certificate: Certificate | None
    issued: bool
    problem: str = ""


def decode_upload(data: bytes) -> str:
    """Text of an uploaded CSV: UTF-8 (with or without BOM), as Excel saves it."""
    if len(data) > MAX_CSV_BYTES:
        raise AttendeeListError(_("The file is larger than 2 MB."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise AttendeeListError(
            _(
                "The file is not UTF-8 text. Save it from your spreadsheet as "
                "“CSV UTF-8”."
            )
        ) from error


def read_attendees(csv_text: str) -> tuple[list[Attendee], list[RowProblem]]:
    """Parse the attendee list; return good rows and the problems of bad ones."""
    reader = csv.reader(io.StringIO(csv_text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise AttendeeListError(_("The file is empty.")) from None
    except csv.Error as error:
        raise AttendeeListError(_("Line 1 cannot be read: %s") % error) from error
    names = [cell.strip().lower() for cell in header]
    if names != list(COLUMNS):
        raise AttendeeListError(
            _("The first line must be the header name_en,name_ur,email (found: %s).")
            % ",".join(header)
        )
    attendees: list[Attendee] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    rows = _rows(reader, problems)
    for line, cells in rows:
        if len(attendees) + len(problems) >= MAX_ROWS:
            raise AttendeeListError(
                _("The file has more than %(count)d attendees; split it.")
                % {"count": MAX_ROWS}
            )
        if not any(cell.strip() for cell in cells):
            continue
        problem = _row_problem(cells)
        if problem:
            problems.append(RowProblem(line, problem))
            continue
        name_en, name_ur, email = (cell.strip() for cell in cells)
        email = email.lower()
        if email in seen:
            problems.append(
                RowProblem(
                    line,
                    _("%(email)s is listed twice (first on line %(first)d).")
                    % {"email": email, "first": seen[email]},
                )
            )
            continue
        seen[email] = line
        attendees.append(Attendee(line, name_en, name_ur, email))
    return attendees, problems


def _rows(reader, problems: list[RowProblem]) -> Iterator[tuple[int, list[str]]]:
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problems.append(RowProblem(line, _("The line cannot be read: %s") % error))
            return
        yield reader.line_num, cells


def _row_problem(cells: list[str]) -> str:
    if len(cells) != len(COLUMNS):
        return _("Expected 3 columns (name_en, name_ur, email), found %(count)d.") % {
            "count": len(cells)
        }
    name_en, name_ur, email = (cell.strip() for cell in cells)
    if not name_en and not name_ur:
        return _("The attendee has no name in English or Urdu.")
    if len(name_en) > MAX_NAME_LENGTH or len(name_ur) > MAX_NAME_LENGTH:
        return _("A name is longer than %(count)d characters.") % {
            "count": MAX_NAME_LENGTH
        }
    try:
        validate_email(email)
    except ValidationError:
        return _("“%(email)s” is not an e-mail address.") % {"email": email}
    return ""


def issue_to_attendee(
    workshop: Workshop,
    attendee: Attendee,
    actor,
    *,
    details: dict | None = None,
) -> RowOutcome:
    """Issue one attendee's certificate unless they already hold one.

    ``details`` are recorded in the audit log's entry (an event's staff
    override gives its reason there).
    """
    existing = Certificate.objects.filter(
        workshop=workshop, email=attendee.email, is_current=True
    ).first()
    if existing is not None:
        return RowOutcome(attendee.line, attendee.email, existing, issued=False)
    award = Award(
        kind=Certificate.Kind.WORKSHOP,
        holder_name_en=attendee.name_en,
        holder_name_ur=attendee.name_ur,
        course_title_en=workshop.title_en,
        course_title_ur=workshop.title_ur,
        programme_title_en=workshop.programme.title if workshop.programme else "",
        programme_title_ur=_programme_title_ur(workshop),
        cpd_hours=workshop.cpd_hours,
        issued_on=workshop.held_on,
        template=workshop.template,
    )
    account = User.objects.filter(email__iexact=attendee.email).first()
    try:
        with transaction.atomic():
            certificate = issue_certificate(
                award,
                user=account,
                email=attendee.email,
                workshop=workshop,
                actor=actor,
                details=details,
            )
            _after_commit_email(certificate.pk)
    except IntegrityError:
        # Another run issued this attendee's certificate a moment ago.
        certificate = Certificate.objects.get(
            workshop=workshop, email=attendee.email, is_current=True
        )
        return RowOutcome(attendee.line, attendee.email, certificate, issued=False)
    except CertificateError as error:
        return RowOutcome(
            attendee.line, attendee.email, None, False, problem=str(error.message)
        )
    return RowOutcome(attendee.line, attendee.email, certificate, issued=True)


def _programme_title_ur(workshop: Workshop) -> str:
    if workshop.programme is None:
        return ""
    urdu = (
        workshop.programme.get_translations()
        .filter(locale__language_code="ur")
        .live()
        .first()
    )
    return urdu.title if urdu else ""


def _after_commit_email(certificate_id: int) -> None:
    enqueue_with_change(email_certificate, certificate_id)


def issue_workshop_certificates(
    workshop: Workshop,
    csv_text: str,
    *,
    actor=None,
    on_row: Callable[[RowOutcome | RowProblem], None] | None = None,
) -> tuple[list[RowOutcome], list[RowProblem]]:
    """Issue every good row of an attendee list; report each row as it is done."""
    attendees, problems = read_attendees(csv_text)
    for problem in problems:
        if on_row:
            on_row(problem)
    outcomes = []
    for attendee in attendees:
        outcome = issue_to_attendee(workshop, attendee, actor)
        outcomes.append(outcome)
        if on_row:
            on_row(outcome)
    return outcomes, problems


@transaction.atomic
def start_issue_run(
    workshop: Workshop, data: bytes, *, file_name: str, actor
) -> WorkshopIssueRun:
    """Check the upload can be read, record it, and queue the issuing task."""
    csv_text = decode_upload(data)
    attendees, problems = read_attendees(csv_text)
    run = WorkshopIssueRun.objects.create(
        workshop=workshop,
        csv_text=csv_text,
        file_name=file_name[:255],
        total_rows=len(attendees) + len(problems),
        started_by=actor,
    )
    enqueue_with_change(run_workshop_issue, run.pk)
    return run


def run_issue(run_id: int) -> WorkshopIssueRun:
    """Work through an uploaded list, saving progress so the admin can show it."""
    run = WorkshopIssueRun.objects.select_related("workshop__programme").get(pk=run_id)
    if run.state == WorkshopIssueRun.State.FINISHED:
        return run
    run.state = WorkshopIssueRun.State.RUNNING
    run.processed_rows = run.issued_count = run.skipped_count = 0
    run.problems = []
    run.save()

    def on_row(result: RowOutcome | RowProblem) -> None:
        run.processed_rows += 1
        if isinstance(result, RowProblem):
            run.problems.append({"line": result.line, "message": result.message})
        elif result.problem:
            run.problems.append({"line": result.line, "message": result.problem})
        elif result.issued:
            run.issued_count += 1
        else:
            run.skipped_count += 1
        if run.processed_rows % 25 == 0:
            run.save(update_fields=_PROGRESS_FIELDS)

    try:
        issue_workshop_certificates(
            run.workshop, run.csv_text, actor=run.started_by, on_row=on_row
        )
    except AttendeeListError as error:
        run.problems.append({"line": 0, "message": str(error)})
        run.state = WorkshopIssueRun.State.FAILED
    else:
        run.state = WorkshopIssueRun.State.FINISHED
    run.finished_at = timezone.now()
    run.save()
    return run


@retried(*DATABASE_FAULTS)
@task()
def run_workshop_issue(run_id: int) -> int:
    """Issue a workshop's uploaded attendee list; return how many were issued."""
    return run_issue(run_id).issued_count
