"""H5P packages sent for approval: a trainer's upload that needs libraries the
site does not have is held (nothing installed, nothing playable) until a
programme manager approves it (the libraries installed and the activity made in
the trainer's programme, at once) or declines it with a reason. The trainer is
told either way, by e-mail in their language (content.notifications)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, BinaryIO, cast

from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from lms.background.services import enqueue_with_change

from ..h5p import DEFAULT_LIMITS, H5PLimits, H5PValidationError
from ..h5p.errors import gettext_noop
from ..models import H5P_STORAGE_ROOT, H5PActivity, H5PHeldPackage
from ..notifications import email_package_decision
from ..scoping import in_scope, programmes_of
from .libraries import INSTALL_LIBRARY_PERMISSION
from .packages import checked_package, import_h5p_package

if TYPE_CHECKING:
    from lms.accounts.models import User

MAX_DECLINE_REASON_LENGTH = 1000


class ApprovalRefused(Exception):
    """A decision on a held package that may not be made; ``template`` %
    ``params`` is the message, translated where it is shown."""

    def __init__(self, code: str, template: str, **params: object) -> None:
        self.code = code
        self.template = template
        self.params = params
        super().__init__(template % params)


def send_package_for_approval(
    fileobj: BinaryIO,
    submitted_by: User,
    programme: Page,
    *,
    storage: Storage | None = None,
    limits: H5PLimits = DEFAULT_LIMITS,
) -> H5PHeldPackage:
    """Hold a package that needs new libraries for a programme manager.

    The package passes every check an upload passes first (a broken or hostile
    package is refused here, as it would be on upload). Raises
    ``H5PValidationError`` for those, and ``ApprovalRefused`` when the sender
    may not send for this programme or the package needs nothing installed.
    """
    if not (
        submitted_by.has_perm("content.add_h5pactivity")
        and programmes_of(submitted_by).filter(pk=programme.pk).exists()
    ):
        raise ApprovalRefused(
            "not_your_programme",
            gettext_noop(
                "You may only send packages for programmes whose activities you upload."
            ),
        )
    storage = storage or default_storage
    # Planned as the site would install it (no installer): what approval changes.
    with checked_package(fileobj, None, limits=limits) as (package, plan):
        title = package.title
    libraries = sorted(
        f"{info.machine_name} {info.major}.{info.minor}.{info.patch}"
        for info in [*plan.new, *(info for info, _row in plan.updates)]
    )
    if not libraries:
        raise H5PValidationError(
            "nothing_to_approve",
            gettext_noop(
                "This package uses only libraries this site has: upload it as an "
                "activity instead."
            ),
        )
    fileobj.seek(0)
    name = storage.save(
        f"{H5P_STORAGE_ROOT}/held/{uuid.uuid4().hex}.h5p", File(fileobj)
    )
    try:
        with transaction.atomic():
            held = H5PHeldPackage.objects.create(
                title=title[:255],
                storage_name=name,
                programme=programme,
                submitted_by=submitted_by,
                libraries=libraries,
            )
    except BaseException:
        storage.delete(name)
        raise
    return held


def may_decide(user: User, held: H5PHeldPackage) -> bool:
    """Whether ``user`` may approve or decline ``held``: a programme manager of
    its programme (the right to install libraries), never its own sender."""
    return (
        user.is_active
        and user.has_perm(INSTALL_LIBRARY_PERMISSION)
        and user.pk != held.submitted_by_id
        and in_scope(user, held)
    )


def _pending_for(held_id: int, user: User) -> H5PHeldPackage:
    held = H5PHeldPackage.objects.select_for_update().get(pk=held_id)
    if not may_decide(user, held):
        raise ApprovalRefused(
            "not_allowed",
            gettext_noop(
                "Only a programme manager of its programme may approve or decline "
                "a package, and never one they sent themselves."
            ),
        )
    if held.status != H5PHeldPackage.Status.PENDING:
        raise ApprovalRefused(
            "already_decided",
            gettext_noop("This package has been %(status)s already."),
            status=held.get_status_display(),
        )
    return held


def approve_held_package(
    held_id: int, decided_by: User, *, storage: Storage | None = None
) -> H5PActivity:
    """Install the held package's libraries and make its activity in the
    trainer's programme, in one transaction; the trainer is told.

    A package that no longer passes (a library installed since with other bytes)
    raises ``H5PValidationError`` and stays held, unchanged.
    """
    storage = storage or default_storage
    with transaction.atomic():
        held = _pending_for(held_id, decided_by)
        with storage.open(held.storage_name, "rb") as fileobj:
            activity = import_h5p_package(
                cast(BinaryIO, fileobj),
                uploaded_by=held.submitted_by,
                programme=held.programme,
                storage=storage,
                libraries_approved_by=decided_by,
            )
        held.status = H5PHeldPackage.Status.APPROVED
        held.activity = activity
        _decided(held, decided_by, storage)
    return activity


def decline_held_package(
    held_id: int,
    decided_by: User,
    reason: str,
    *,
    storage: Storage | None = None,
) -> H5PHeldPackage:
    """Decline the held package with a reason the trainer reads; nothing is
    installed and its file is removed."""
    reason = reason.strip()
    if not reason:
        raise ApprovalRefused(
            "reason_required",
            gettext_noop("Say why the package is declined: its trainer reads it."),
        )
    if len(reason) > MAX_DECLINE_REASON_LENGTH:
        raise ApprovalRefused(
            "reason_too_long",
            gettext_noop("The reason may be at most %(limit)s characters long."),
            limit=MAX_DECLINE_REASON_LENGTH,
        )
    storage = storage or default_storage
    with transaction.atomic():
        held = _pending_for(held_id, decided_by)
        held.status = H5PHeldPackage.Status.DECLINED
        held.decline_reason = reason
        _decided(held, decided_by, storage)
    return held


def _decided(held: H5PHeldPackage, decided_by: User, storage: Storage) -> None:
    held.decided_by = decided_by
    held.decided_at = timezone.now()
    held.save()
    name = held.storage_name
    transaction.on_commit(lambda: storage.delete(name))
    enqueue_with_change(email_package_decision, held.pk)
