"""Importing a question-bank file: one service for the admin and the command.

``import_bank`` reads the file, makes its categories and saves its questions in
one transaction: a fault anywhere leaves nothing behind, not even a category.
``preview_bank`` is the same import rolled back, so what the trainer is shown is
exactly what confirming will do. Well-formed questions of unsupported types
(essay, matching...) refuse the file unless the caller asks to skip them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import User

from ..models import CoursePage, HeldQuestionImport, Question
from ..quiz_formats import ParsedBank, QuestionKind, UnsupportedQuestion
from . import authoring, banks, question_images

HELD_FOR = timedelta(hours=1)

_MOODLE_TYPE_LABELS = {
    "essay": _("Essay"),
    "matching": _("Matching"),
    "description": _("Description"),
    "multianswer": _("Embedded answers (cloze)"),
    "calculated": _("Calculated"),
    "random": _("Random question"),
}


def kind_label(kind: str) -> str | Promise:
    """A question kind as trainers know it: ours, or Moodle's type name."""
    if kind in set(QuestionKind):
        return Question.Kind(kind).label
    return _MOODLE_TYPE_LABELS.get(kind, kind)


@dataclass(frozen=True)
class BankImport:
    """What an import saved, and the unsupported questions it left out."""

    bank: ParsedBank
    saved: list[Question]
    # Image files written to storage, deleted again if the import is undone.
    stored_files: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> list[UnsupportedQuestion]:
        return self.bank.unsupported

    def kinds_found(self) -> list[tuple[str | Promise, int]]:
        return [
            (kind_label(kind), count) for kind, count in self.bank.kinds_found().items()
        ]


def import_bank(
    course: CoursePage,
    filename: str,
    data: bytes,
    *,
    category: str = "",
    language: str | None = None,
    skip_unsupported: bool = False,
) -> BankImport:
    """Import every question of the file, in one transaction: all or nothing.

    ``category`` (a path such as ``Unit 1/Week 2``) puts every question there
    instead of in the categories the file names. Raises QuestionFormatError (an
    ``UnsupportedQuestion`` for the first unsupported one unless
    ``skip_unsupported``) and
    ``wagtail.models.Locale.DoesNotExist`` for an unknown ``language``.
    """
    bank = banks.read_file(filename, data)
    if not skip_unsupported:
        bank.all_supported()
    stored: list[str] = []
    try:
        with transaction.atomic():
            target = (
                authoring.category_for(course, category, course.title)
                if category.strip()
                else None
            )
            saved = authoring.import_questions(
                course,
                bank.questions,
                target,
                language,
                bank.category_descriptions,
                stored_files=stored,
            )
    except BaseException:
        question_images.delete_files(stored)
        raise
    return BankImport(bank, saved, stored)


class _DryRun(Exception):
    def __init__(self, result: BankImport):
        self.result = result


def preview_bank(
    course: CoursePage,
    filename: str,
    data: bytes,
    *,
    category: str = "",
    language: str | None = None,
) -> BankImport:
    """What ``import_bank(..., skip_unsupported=True)`` would do; writes nothing.

    ``saved`` holds the questions as they would be saved, no longer in the
    database. A fault raises as the import would.
    """
    try:
        with transaction.atomic():
            raise _DryRun(
                import_bank(
                    course,
                    filename,
                    data,
                    category=category,
                    language=language,
                    skip_unsupported=True,
                )
            )
    except _DryRun as dry_run:
        question_images.delete_files(dry_run.result.stored_files)
        return dry_run.result


def hold_upload(
    user: User,
    course: CoursePage,
    filename: str,
    data: bytes,
    *,
    category: str = "",
    language: str,
) -> HeldQuestionImport:
    """Keep a previewed file until its trainer confirms; forget stale ones."""
    HeldQuestionImport.objects.filter(
        uploaded_at__lt=timezone.now() - HELD_FOR
    ).delete()
    return HeldQuestionImport.objects.create(
        uploaded_by=user,
        course=course,
        filename=filename,
        data=data,
        category=category,
        language=language,
    )


def held_upload(user: User, held_id: str) -> HeldQuestionImport | None:
    """The user's own held file, if it has not expired."""
    return (
        HeldQuestionImport.objects.filter(
            pk=held_id,
            uploaded_by=user,
            uploaded_at__gte=timezone.now() - HELD_FOR,
        )
        .select_related("course")
        .first()
    )


def import_held_upload(held: HeldQuestionImport) -> BankImport:
    """Import a previewed file as the trainer confirmed it, then forget the file."""
    result = None
    try:
        with transaction.atomic():
            result = import_bank(
                held.course,
                held.filename,
                bytes(held.data),
                category=held.category,
                language=held.language,
                skip_unsupported=True,
            )
            held.delete()
    except BaseException:
        if result is not None:
            question_images.delete_files(result.stored_files)
        raise
    return result
